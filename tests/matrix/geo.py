"""Matrix entries: geo pages."""

from . import Route  # noqa: F401

ROUTES: dict = {}
