"""The due list a query string asks for: read once for the page, its XLSX (here) and its PDF (printing)."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _

from ..i18n.formatting import parse_date
from . import queries


def _int_arg(name: str, lo: int, hi: int) -> int | None:
    value = request.args.get(name, type=int)
    return value if value is not None and lo <= value <= hi else None


def _date_arg(name: str):
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None, None
    try:
        return parse_date(raw), None
    except ValueError:
        return None, _("“%(value)s” is not a date in the form dd/mm/yyyy.", value=raw)


def due_filter() -> tuple[queries.DueFilter, list[str]]:
    """The due list the query string asks for, and what was wrong in it."""
    kind = request.args.get("kind") if request.args.get("kind") in queries.DUE_KINDS else "paid_until"
    problems = []
    days = _int_arg("days", 1, 3650)
    if request.args.get("days") and days is None:
        problems.append(_("The number of days must be between 1 and 3650."))
    if days is None and kind == "stopped" and request.args.get("days") == "":
        days = 0  # stopped at any time
    start, bad_start = _date_arg("from") if kind == "paid_until" else (None, None)
    end, bad_end = _date_arg("to") if kind == "paid_until" else (None, None)
    problems += [p for p in (bad_start, bad_end) if p]
    if start and end and end < start:
        problems.append(_("The end of the window is before its start."))
        end = None
    group = "agent" if request.args.get("group") == "agent" else "hamlet"
    return queries.DueFilter(kind=kind, days=days, start=start, end=end, group=group,
                             commune_id=_int_arg("commune", 1, 2**31), hamlet_id=_int_arg("hamlet", 1, 2**31),
                             agent_id=_int_arg("agent", 1, 2**31)), problems
