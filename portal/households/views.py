"""Households and people: the views of the ``households`` blueprint.

They live in three modules imported here: search and bulk tagging (views_search), household and person
pages and forms (views_household), due-payment lists and exports (views_lists).
"""

from __future__ import annotations

from . import views_household, views_lists, views_search  # noqa: F401  (routes register on import)

