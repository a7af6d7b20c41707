"""Campaigns (the May campaign month, waves) and their targets."""

from . import views_campaigns, views_files, views_targets, views_wizard  # noqa: F401  (register their routes on bp)
from .blueprint import bp

__all__ = ["bp"]
