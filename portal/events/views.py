"""Pages of the events domain."""

from . import bp  # noqa: F401
