"""User administration: accounts, roles, passwords (administrators only)."""

from . import views  # noqa: F401  (register their routes on bp)
from .blueprint import bp

__all__ = ["bp"]
