"""Figures counted over a campaign or a whole year (hundreds of thousands of sign-ups and step rows, a million
people) kept between requests under a fingerprint of the data they are counted from, so that the dashboards,
the funnels, the year's pages, the periodic report and the home page add up a cached aggregate instead of
reading every row again.

The fingerprint is the newest id and change time of the sign-ups, the people and the coverage figures (each
read from an index in one step, all in one statement): any sign-up recorded, confirmed or changed, any person's
status changed, any figure entered makes the next request count again. The funnels' counts per event or agent
are kept the same way under a fingerprint of their steps (see :func:`steps_fingerprint`). Entries also expire
after ``REPORTS_YEAR_SECONDS`` (default 600); the memory holds at most ``LIMIT`` aggregates, most of them a
few kilobytes, the largest (a province's funnel per event) a few hundred (see :class:`GroupCache`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

from flask import current_app, g, has_request_context
from sqlalchemy import func, select

from ..audit.models import AuditEntry
from ..campaigns.models import CommuneFigures, CoverageTarget
from ..events.models import Event
from ..extensions import db
from ..households.models import Person
from ..results.models import Attendance, Invitation, SignUp
from ..visits.models import Visit, VisitAssignment, VisitList


class GroupCache:
    """Counts kept under keys that hold the fingerprint of their data, for ``seconds`` at most: one per
    application and use (these figures; the group counts of groups.py), shared by its threads."""

    def __init__(self, seconds: float, limit: int = 100_000):
        self.seconds, self.limit = seconds, limit
        self._data: dict[tuple, tuple[float, dict[str, tuple[int, ...]]]] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple) -> dict[str, tuple[int, ...]] | None:
        found = self._data.get(key)
        if found is None or time.monotonic() - found[0] > self.seconds:
            return None
        return found[1]

    def put(self, items: dict[tuple, dict[str, tuple[int, ...]]]) -> None:
        with self._lock:
            if len(self._data) + len(items) > self.limit:
                # Keep the newer half: entries of data that has since changed are never asked for again.
                kept = sorted(self._data.items(), key=lambda kv: kv[1][0])[-(self.limit // 2):]
                self._data = dict(kept) if len(items) <= self.limit // 2 else {}
            now = time.monotonic()
            self._data.update({k: (now, v) for k, v in items.items()})

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


DEFAULT_SECONDS = 600
#: Most aggregates kept (the older half goes when more come): a few per office and page.
LIMIT = 256
T = TypeVar("T")


def _store() -> GroupCache:
    app = current_app._get_current_object()
    found = app.extensions.get("portal_report_year")
    if found is None:
        found = app.extensions["portal_report_year"] = GroupCache(
            float(app.config.get("REPORTS_YEAR_SECONDS", DEFAULT_SECONDS)), limit=LIMIT)
    return found


def clear() -> None:
    """Forget every kept figure."""
    _store().clear()


def fingerprint() -> tuple:
    """What the cached figures depend on (read once per request)."""
    if has_request_context() and "report_fingerprint" in g:
        return g.report_fingerprint
    # One statement of separate scalar subqueries: each maximum is then read from its index in one step (SQLite
    # reads a single max() from an index, but two aggregates in one select scan the whole table).
    found = tuple(str(v) for v in db.session.execute(select(*[
        select(func.max(column)).scalar_subquery()
        for model in (SignUp, Person, CommuneFigures, CoverageTarget) for column in (model.id, model.updated_at)
    ])).one())
    if has_request_context():
        g.report_fingerprint = found
    return found


def _read(name: str, parts: list) -> tuple:
    """The values of some one-row selects, in one statement (read once per request)."""
    if has_request_context() and name in g:
        return g.get(name)
    found = tuple(str(v) for v in db.session.execute(select(*[part.scalar_subquery() for part in parts])).one())
    if has_request_context():
        setattr(g, name, found)
    return found


#: The audited changes that remove step rows or move them between agents, which the newest ids do not show.
#: Each is rare, so the newest of them is read from the index of audit entries by action in a few steps.
REMOVALS = ("attendance.undo", "visit_list.reassign", "visit_list.remove", "visit_list.split", "privacy.erase")


def _newest_removal():
    return select(func.max(AuditEntry.id)).where(AuditEntry.action.in_(REMOVALS))


def events_fingerprint() -> tuple:
    """What the conferences held and their attendees depend on: the events' newest id and change time, the
    newest attendance, and the newest audited removal (an undone check-in)."""
    return _read("events_fingerprint", [*[select(func.max(column)) for column in (
        Event.id, Event.updated_at, Attendance.id)], _newest_removal()])


def steps_fingerprint() -> tuple:
    """What the funnels' counts depend on: the events and attendances (see :func:`events_fingerprint`), the
    newest sign-up and sign-up change, the newest pre-visit list and their number, the newest list row, recorded
    visit and invitation. Rows added show in the newest ids; an outcome recorded adds a visit; households taken
    off a list, given to another agent or split among agents, check-ins undone and people erased are audited
    (see REMOVALS). Every part is read from an index in a few steps (the lists, a few thousand, are counted)."""
    return events_fingerprint() + _read("steps_fingerprint", [
        *[select(func.max(column)) for column in (SignUp.id, SignUp.updated_at, VisitList.id, VisitAssignment.id,
                                                  Visit.id, Invitation.id)],
        select(func.count()).select_from(VisitList)])


def counts_fingerprint() -> tuple:
    """What the campaign counts depend on: the sign-ups (with the people and figures), the events held and
    their attendees."""
    return fingerprint() + events_fingerprint()


def clause_key(clause) -> tuple | None:
    """A SQL expression or select as a key: its SQL text and its parameters."""
    if clause is None:
        return None
    compiled = clause.compile(db.engine)
    return str(compiled), tuple(sorted((k, tuple(v) if isinstance(v, list) else v)
                                       for k, v in compiled.params.items()))


def window_key(window) -> tuple:
    """Some days of a province (a campaign, with its id: its events held outside its period count too)."""
    campaign = window.id if isinstance(getattr(window, "id", None), int) else None
    return window.province_id, window.starts_on, window.ends_on, campaign


def cached(name: str, args: tuple, compute: Callable[[], T], *, depends: Callable[[], tuple] = fingerprint) -> T:
    """``compute()``, or its value from an earlier request while the data it ``depends`` on (by default the
    sign-ups, people and coverage figures) has not changed."""
    store = _store()
    key = (name, args, depends())
    found = store.get(key)
    if found is None:
        found = compute()
        store.put({key: found})
    return found
