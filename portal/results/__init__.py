"""Attendance, sign-ups and event results."""

from . import views, views_scan, views_signups  # noqa: F401  (register their routes on bp)
from .blueprint import bp

__all__ = ["bp"]
