"""Figures of a whole year (hundreds of thousands of sign-ups, a million people) kept between requests under a
fingerprint of the data they are counted from, so that the year's pages, the home page and the dashboards'
coverage add up a cached aggregate instead of reading every row again.

The fingerprint is the newest id and change time of the sign-ups, the people and the coverage figures (each
read from an index in one step): any sign-up recorded, confirmed or changed, any person's status changed, any
figure entered makes the next request count again. Entries also expire after ``REPORTS_YEAR_SECONDS``
(default 600); the memory holds at most 64 aggregates, the largest a few hundred kilobytes (see
groups.GroupCache).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import current_app, g, has_request_context
from sqlalchemy import func, select

from ..campaigns.models import CommuneFigures, CoverageTarget
from ..extensions import db
from ..households.models import Person
from ..results.models import SignUp
from .groups import GroupCache

DEFAULT_SECONDS = 600
T = TypeVar("T")


def _store() -> GroupCache:
    app = current_app._get_current_object()
    found = app.extensions.get("portal_report_year")
    if found is None:
        found = app.extensions["portal_report_year"] = GroupCache(
            float(app.config.get("REPORTS_YEAR_SECONDS", DEFAULT_SECONDS)), limit=64)
    return found


def fingerprint() -> tuple:
    """What the cached figures depend on (read once per request)."""
    if has_request_context() and "report_fingerprint" in g:
        return g.report_fingerprint
    values = []
    for model in (SignUp, Person, CommuneFigures, CoverageTarget):
        values += list(db.session.execute(select(func.max(model.id), func.max(model.updated_at))).one())
    found = tuple(str(v) for v in values)
    if has_request_context():
        g.report_fingerprint = found
    return found


def cached(name: str, args: tuple, compute: Callable[[], T]) -> T:
    """``compute()``, or its value from an earlier request while the data has not changed."""
    store = _store()
    key = (name, args, fingerprint())
    found = store.get(key)
    if found is None:
        found = compute()
        store.put({key: found})
    return found
