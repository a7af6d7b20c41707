"""Deadlines of data-subject requests in working days (Saturdays, Sundays and configured holidays skipped).

A request must be acknowledged within 2 working days of its receipt. The answer period is a setting
(``PRIVACY_ANSWER_WORKING_DAYS``) so that the office can follow what its legal department confirms.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from flask import current_app, has_app_context

#: Working days to acknowledge a request.
ACKNOWLEDGE_WORKING_DAYS = 2
#: Default working days to answer it (a setting).
ANSWER_WORKING_DAYS = 10


def holidays() -> frozenset[date]:
    """Public holidays from the ``PRIVACY_HOLIDAYS`` setting (dates or ISO strings)."""
    if not has_app_context():
        return frozenset()
    found = set()
    for value in current_app.config.get("PRIVACY_HOLIDAYS", ()):
        found.add(value if isinstance(value, date) else date.fromisoformat(str(value)))
    return frozenset(found)


def is_working_day(day: date, off: Iterable[date] = ()) -> bool:
    """Monday to Friday, and not a holiday."""
    return day.weekday() < 5 and day not in set(off)


def add_working_days(start: date, days: int, off: Iterable[date] | None = None) -> date:
    """The day ``days`` working days after ``start`` (the day of receipt itself does not count)."""
    off = set(holidays() if off is None else off)
    day = start
    left = days
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day, off):
            left -= 1
    return day


def answer_working_days() -> int:
    """Working days allowed for the answer."""
    if has_app_context():
        return int(current_app.config.get("PRIVACY_ANSWER_WORKING_DAYS", ANSWER_WORKING_DAYS))
    return ANSWER_WORKING_DAYS


def deadlines(received_on: date) -> tuple[date, date]:
    """(acknowledge by, answer by) for a request received on a day."""
    return (add_working_days(received_on, ACKNOWLEDGE_WORKING_DAYS),
            add_working_days(received_on, answer_working_days()))
