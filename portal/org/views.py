"""Pages of the org domain."""

from . import bp  # noqa: F401
