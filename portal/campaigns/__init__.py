"""Campaigns (the May campaign month, waves) and their targets."""

from . import (  # noqa: F401  (register their routes on bp)
    views_campaigns,
    views_coverage,
    views_files,
    views_targets,
    views_wizard,
)
from .blueprint import bp

__all__ = ["bp"]
