"""Households and people: registry, import, search, coverage and due-payment lists."""

from . import views_household, views_import, views_lists, views_search  # noqa: F401  (register their routes on bp)
from .blueprint import bp

__all__ = ["bp"]
