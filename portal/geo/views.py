"""Pages of the geo domain."""

from . import bp  # noqa: F401
