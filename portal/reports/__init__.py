"""Dashboards and reports: progress against targets, funnels, rankings, exports."""

from . import views, views_funnel, views_year  # noqa: F401  (register their routes on bp)
from .blueprint import bp

__all__ = ["bp"]
