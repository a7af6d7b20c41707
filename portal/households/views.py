"""Pages of the households domain."""

from . import bp  # noqa: F401
