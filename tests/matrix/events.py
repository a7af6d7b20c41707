"""Matrix entries: events pages."""

from . import Route  # noqa: F401

ROUTES: dict = {}
