"""Matrix entries: campaigns pages."""

from . import Route  # noqa: F401

ROUTES: dict = {}
