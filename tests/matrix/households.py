"""Matrix entries: households pages."""

from . import Route  # noqa: F401

ROUTES: dict = {}
