"""Pages of the campaigns domain."""

from . import bp  # noqa: F401
