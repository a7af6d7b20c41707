"""Shorthands for view decorators."""

from .roles import ADMINS, roles_required

#: Administrators only.
ADMIN_ONLY = roles_required(ADMINS)
