"""The registry's read side, in one place for the views and other domains: people search and export
(search.py, planned by search_plan.py) and due-payment lists (due_lists.py)."""

from __future__ import annotations

from .due_lists import (
    DUE_DEFAULT_DAYS,
    DUE_DETAIL_MAX,
    DUE_KINDS,
    DueFilter,
    DueGroup,
    DueList,
    agents_of_hamlets,
    due_clause,
    due_list,
    due_query,
)
from .search import (
    BHYT_CHOICES,
    COUNT_CAP,
    EXPORT_MAX,
    PER_PAGE,
    STATUSES,
    PeopleFilter,
    SearchResult,
    export_people,
    filter_clauses,
    name_words,
    number_clause,
    phrase_clause,
    search_people,
)

__all__ = [
    "BHYT_CHOICES", "COUNT_CAP", "DUE_DEFAULT_DAYS", "DUE_DETAIL_MAX", "DUE_KINDS", "EXPORT_MAX", "PER_PAGE",
    "STATUSES", "DueFilter", "DueGroup", "DueList", "PeopleFilter", "SearchResult", "agents_of_hamlets",
    "due_clause", "due_list", "due_query", "export_people", "filter_clauses", "name_words", "number_clause",
    "phrase_clause", "search_people",
]
