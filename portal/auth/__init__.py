"""Accounts, sign-in and sessions."""

from . import views  # noqa: F401  (register their routes on bp)
from .blueprint import bp

__all__ = ["bp"]
