"""Erasing a person or a household on a deletion request: personal fields wiped, results kept, a trace left.

Rows are anonymised rather than deleted: sign-ups, attendance and visits point at the person, and the reports
count them, so those rows keep their links (event, commune, agent, scheme, amounts) and the totals do not move.
What identifies or describes the person is overwritten in place, the name search tokens and potential-group
tags are removed, and nothing is kept from which the old values could be put back: an erasure cannot be undone.
An :class:`~portal.privacy.models.Erasure` row and an audit entry record who erased what, when, and why.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from ..audit import services as audit
from ..extensions import db
from ..geo.models import Hamlet
from ..households import services as registry
from ..households.models import Household, Person, person_name_tokens, person_tags
from ..results.models import Attendance
from ..visits.models import Visit
from .models import DataSubjectRequest, Erasure

#: What an erased person is called from then on (stored data, in Vietnamese like printed documents).
ERASED_NAME = "[Đã xoá]"
#: Person fields wiped (set to None, or False for the flags).
PERSON_FIELDS = ("cccd", "bhxh_code", "phone", "date_of_birth", "sex", "ethnicity", "ethnic_minority", "occupation",
                 "income_band", "paid_until", "bhyt_expires_on")
#: Household fields wiped.
HOUSEHOLD_FIELDS = ("head_name", "address", "phone", "notes", "poverty_status")
#: Kept on purpose: relation to the head, insurance status, hamlet and commune, and every result row's links.


class ErasureRefused(Exception):
    """The erasure cannot be done as asked (the message says why)."""


def erased(object_type: str, object_id: int) -> Erasure | None:
    """The erasure of a person or household, if it was erased."""
    return db.session.scalar(select(Erasure).where(Erasure.object_type == object_type,
                                                   Erasure.object_id == object_id).limit(1))


def person_erased(person: Person) -> bool:
    """Whether the person was erased on their own or with their household."""
    return erased("person", person.id) is not None or erased("household", person.household_id) is not None


def _household_name(household: Household) -> str:
    return f"{ERASED_NAME} #{household.id}"


def _wipe_household_fields(household: Household) -> None:
    hamlet = db.session.get(Hamlet, household.hamlet_id)
    # The name carries the id so that the (hamlet, head and address) key stays unique among erased households.
    registry.set_household_fields(household, hamlet=hamlet, head_name=_household_name(household), address=None)
    household.phone = None
    household.notes = None
    household.poverty_status = "none"


def _wipe_person(person: Person) -> dict[str, int]:
    """Overwrite one person's fields and the personal parts of the rows about them; returns counts."""
    person.set_name(ERASED_NAME)
    for name in PERSON_FIELDS:
        setattr(person, name, False if name == "ethnic_minority" else None)
    db.session.execute(delete(person_name_tokens).where(person_name_tokens.c.person_id == person.id))
    tags = db.session.execute(delete(person_tags).where(person_tags.c.person_id == person.id)).rowcount
    attendance = db.session.execute(update(Attendance).where(Attendance.person_id == person.id).values(
        name=None, phone=None)).rowcount
    visits = db.session.execute(update(Visit).where(Visit.person_id == person.id).values(note=None)).rowcount
    return {"tags": tags or 0, "attendance": attendance or 0, "visit_notes": visits or 0}


def _check(request: DataSubjectRequest) -> None:
    if request.kind != "deletion":
        raise ErasureRefused(_("Only a deletion request can erase data."))
    if not request.is_open:
        raise ErasureRefused(_("The request is closed."))


def erase_person(request: DataSubjectRequest, person: Person, *, reason: str | None, user) -> Erasure:
    """Erase one person (and the household's head name when they are its head)."""
    _check(request)
    if person_erased(person):
        raise ErasureRefused(_("This person's data was already erased."))
    household = db.session.get(Household, person.household_id)
    counts = _wipe_person(person)
    fields = list(PERSON_FIELDS) + ["full_name", "tags"]
    if person.relation_to_head == "head":
        hamlet = db.session.get(Hamlet, household.hamlet_id)
        registry.set_household_fields(household, hamlet=hamlet, head_name=_household_name(household),
                                      address=household.address)
        fields.append("household.head_name")
    counts["people"] = 1
    return _trace(request, "person", person.id, fields, counts, reason, user)


def erase_household(request: DataSubjectRequest, household: Household, *, reason: str | None, user) -> Erasure:
    """Erase a household and every member."""
    _check(request)
    if erased("household", household.id) is not None:
        raise ErasureRefused(_("This household's data was already erased."))
    members = db.session.scalars(select(Person).where(Person.household_id == household.id)).all()
    counts = {"people": len(members), "tags": 0, "attendance": 0, "visit_notes": 0}
    for member in members:
        for key, value in _wipe_person(member).items():
            counts[key] += value
    _wipe_household_fields(household)
    counts["visit_notes"] += db.session.execute(update(Visit).where(
        Visit.household_id == household.id, Visit.note.is_not(None)).values(note=None)).rowcount or 0
    counts["attendance"] += db.session.execute(update(Attendance).where(
        Attendance.household_id == household.id, Attendance.person_id.is_(None)).values(
        name=None, phone=None)).rowcount or 0
    fields = [f"household.{f}" for f in HOUSEHOLD_FIELDS] + list(PERSON_FIELDS) + ["full_name", "tags"]
    return _trace(request, "household", household.id, fields, counts, reason, user)


def _trace(request: DataSubjectRequest, object_type: str, object_id: int, fields: list[str], counts: dict,
           reason: str | None, user) -> Erasure:
    row = Erasure(request_id=request.id, object_type=object_type, object_id=object_id, fields=fields,
                  counts=counts, reason=reason, erased_by_id=user.id)
    db.session.add(row)
    db.session.flush()
    audit.record("privacy.erase", object_type=object_type, object_id=object_id,
                 details={"request": request.id, "erasure": row.id, "fields": fields, "counts": counts})
    return row
