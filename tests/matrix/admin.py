"""Matrix entries: admin pages."""

from . import Route  # noqa: F401

ROUTES: dict = {}
