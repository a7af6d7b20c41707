"""Matching checked import rows to the registry, in a handful of bulk reads whatever the file's size.

A person is found by CCCD, else by social insurance code, else by name and date of birth within the same
household (a household by its head's name and address within the hamlet). A found person is updated where
the file gives a value that differs; an identity number is never silently replaced by another one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import has_request_context
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..auth import held_elsewhere, throttle
from ..auth.scope import current_scope
from ..core.tabular import column_letter
from ..extensions import db
from ..geo.models import Commune
from ..i18n.collation import fold_diacritics
from .models import Household, Person, person_tags
from .services import household_match_key

if TYPE_CHECKING:
    from .importer import Report, Row

CHUNK = 900  # below SQLite's limit of bound parameters
_MATCH_COLUMNS = ("id", "commune_id", "household_id", "search_name", "date_of_birth", "cccd", "bhxh_code",
                  "sex", "phone", "ethnicity", "occupation", "income_band", "bhxh_tn_status", "paid_until",
                  "bhyt_expires_on", "compulsory_insured")


def _people(*where) -> dict[int, object]:
    columns = [getattr(Person, c) for c in _MATCH_COLUMNS]
    return {row.id: row for row in db.session.execute(select(*columns).where(*where))}


def _people_with(column, numbers: list[str]) -> dict[int, object]:
    found = {}
    for start in range(0, len(numbers), CHUNK):
        found.update(_people(column.in_(numbers[start:start + CHUNK])))
    return found


def _mask(number: str) -> str:
    return "…" + number[-4:]


def match_rows(commune, rows: list[Row], report: Report) -> None:
    """Sort checked rows into new, updated and unchanged; reject conflicts with the registry."""
    from .importer import PERSON_FIELDS

    cccds = sorted({r.values["cccd"] for r in rows if r.values.get("cccd")})
    codes = sorted({r.values["bhxh_code"] for r in rows if r.values.get("bhxh_code")})
    if (cccds or codes) and (user := _caller()) is not None:
        try:  # while the caller's checks wait, no number is checked (whether it is held elsewhere or not)
            held_elsewhere.check_allowed(user)
        except held_elsewhere.TooManyChecks as exc:
            report.error = exc.message
            return
    by_id = _people(Person.commune_id == commune.id)
    by_id.update(_people_with(Person.cccd, cccds))
    by_id.update(_people_with(Person.bhxh_code, codes))
    by_cccd = {p.cccd: p for p in by_id.values() if p.cccd}
    by_code = {p.bhxh_code: p for p in by_id.values() if p.bhxh_code}
    members = {(p.household_id, p.search_name, p.date_of_birth): p for p in by_id.values()
               if p.commune_id == commune.id}
    namesakes: dict[tuple, int] = {}
    for p in by_id.values():
        if p.commune_id == commune.id:
            namesakes.setdefault((p.search_name, p.date_of_birth), p.household_id)
    households = {(h.hamlet_id, h.match_key): h for h in db.session.execute(
        select(Household.id, Household.hamlet_id, Household.match_key, Household.poverty_status)
        .where(Household.commune_id == commune.id))}
    tags = _tags_of([p.id for p in by_id.values()]) if "tags" in report.columns else {}
    fields = [f for f in PERSON_FIELDS if f in report.columns]
    elsewhere = _outside_scope({p.commune_id for p in by_id.values() if p.commune_id != commune.id})
    held = [r for r in rows if (p := by_cccd.get(r.values.get("cccd")) or by_code.get(r.values.get("bhxh_code")))
            is not None and p.commune_id in elsewhere]
    if held and not _held_elsewhere_allowed(commune, report, held, by_cccd, by_code):
        return
    for row in rows:
        values = row.values
        folded = fold_diacritics(values["full_name"])
        person = by_cccd.get(values.get("cccd")) or by_code.get(values.get("bhxh_code"))
        if person is not None and person.commune_id in elsewhere:
            report.rejected.append((row.number, _column(report, "cccd" if values.get("cccd") in by_cccd else
                                                        "bhxh_code"), str(held_elsewhere.MESSAGE)))
            continue
        other = by_code.get(values.get("bhxh_code")) if values.get("cccd") in by_cccd else None
        if person is not None and other is not None and other.id != person.id:
            report.rejected.append((row.number, _column(report, "bhxh_code"), _(
                "The CCCD number and the social insurance code belong to two different people in the registry.")))
            continue
        if person is not None and person.commune_id != commune.id:
            report.rejected.append((row.number, _column(report, "cccd" if values.get("cccd") in by_cccd else
                                                        "bhxh_code"), _(
                "This identity number belongs to a person registered elsewhere; ask the office that holds the "
                "record.")))
            continue
        if person is not None and person.search_name != folded:
            report.rejected.append((row.number, _column(report, "full_name"), _(
                "This identity number is registered for another name; check the number, or correct the name on "
                "the person's page first.")))
            continue
        hamlet_id = report.hamlet_ids.get(row.hamlet_key)
        household = households.get((hamlet_id, household_match_key(row.head, row.address))) if hamlet_id else None
        row.household_id = household.id if household is not None else None
        if person is None and household is not None:
            person = members.get((household.id, folded, values.get("date_of_birth")))
        if person is None:
            home = namesakes.get((folded, values.get("date_of_birth")))
            if values.get("date_of_birth") and home is not None and home != row.household_id:
                report.warnings.append((row.number, _column(report, "full_name"), _(
                    "Someone with this name and date of birth is already registered in another household of the "
                    "commune: check that this is not the same person.")))
            report.new.append(row)
            continue
        conflict = next((f for f in ("cccd", "bhxh_code") if values.get(f) and getattr(person, f)
                         and getattr(person, f) != values[f]), None)
        if conflict:
            report.rejected.append((row.number, _column(report, conflict), _(
                "This person already has the number %(number)s; the file gives another one. Correct it on the "
                "person's page if it really changed.", number=_mask(getattr(person, conflict)))))
            continue
        row.person_id = person.id
        row.household_id = person.household_id
        row.changes = [f for f in fields if values.get(f) is not None and getattr(person, f) != values[f]]
        row.new_tags = (values.get("tags") or frozenset()) - tags.get(person.id, frozenset())
        if row.new_tags:
            row.changes.append("tags")
        if household is not None and values.get("poverty") and values["poverty"] != household.poverty_status:
            row.changes.append("poverty")
        if row.changes:
            report.updated.append(row)
        else:
            report.unchanged += 1


def _caller():
    """The signed-in user importing, or None (the command line, which sees everything)."""
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user._get_current_object()
    return None


def _outside_scope(commune_ids: set[int]) -> set[int]:
    """Which of these communes the importing user may not see (none from the command line)."""
    if not commune_ids or _caller() is None:
        return set()
    scope = current_scope()
    if scope.is_all:
        return set()
    visible = set(db.session.scalars(select(Commune.id).where(Commune.id.in_(commune_ids),
                                                              scope.communes(Commune.id))))
    return commune_ids - visible


def _held_elsewhere_allowed(commune, report: Report, held: list[Row], by_cccd: dict, by_code: dict) -> bool:
    """Audit and count the file's numbers held outside the caller's territory; refuse the whole file (naming no
    row) when it holds more such numbers than one window allows."""
    user = _caller()
    holders = [(by_cccd.get(r.values.get("cccd")) or by_code.get(r.values.get("bhxh_code"))).id for r in held]
    details = {"commune": commune.id}
    limit = throttle.HELD_ELSEWHERE.free
    held_elsewhere.answered(user, "households.import_elsewhere", holders, details)
    if len(held) > limit:
        report.error = _("More than %(n)d numbers in this file are held elsewhere: ask the province office. "
                         "Nothing was checked further.", n=limit)
        return False
    return True


def _column(report: Report, name: str) -> str:
    index = report.columns.get(name)
    return column_letter(index) if index is not None else "A"


def _tags_of(person_ids: list[int]) -> dict[int, frozenset[str]]:
    found: dict[int, set[str]] = {}
    for start in range(0, len(person_ids), CHUNK):
        for person_id, tag in db.session.execute(select(person_tags.c.person_id, person_tags.c.tag).where(
                person_tags.c.person_id.in_(person_ids[start:start + CHUNK]))):
            found.setdefault(person_id, set()).add(tag)
    return {k: frozenset(v) for k, v in found.items()}
