"""Data protection: a person's data report, data-subject requests, correction and erasure, retention."""

from . import views, views_requests, views_retention  # noqa: F401  (register their routes on bp)
from .blueprint import bp

__all__ = ["bp"]
