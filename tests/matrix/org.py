"""Matrix entries: org pages."""

from . import Route  # noqa: F401

ROUTES: dict = {}
