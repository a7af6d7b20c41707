"""Retention work: reminders to participants whose payment falls due, their outcomes, the SMS list, and the
renewal figures per office, commune and agent."""

from . import views, views_agent  # noqa: F401  (register their routes on bp)
from .blueprint import bp

__all__ = ["bp"]
