"""Shorthands for view decorators."""

from .roles import ADMIN, roles_required

#: Administrators only.
ADMIN_ONLY = roles_required(ADMIN)
