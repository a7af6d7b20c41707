"""Audit log pages."""

from . import bp  # noqa: F401
