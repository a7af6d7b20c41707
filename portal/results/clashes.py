"""Counted once: the same person, scheme and period never counts twice, and a person is "new" to a scheme once.

Two sign-ups clash when they are of the same person and scheme and either pay for the same months (an event
sign-up and a door-to-door receipt for the same months are one enrolment: see :func:`same_payment`) or both say
"new" (a second "new" is a renewal, an adjustment, or the same enrolment recorded twice). A duplicate never clashes and never counts.
A clash blocks a confirmation when the other sign-up already counts or is confirmed with it; the officer
resolves it by marking one of the two as a duplicate of the other, or a second "new" as a renewal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from ..audit import services as audit
from ..extensions import db
from ..households.models import Person
from .models import SignUp


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    years, index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, index + 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def _pays_months(signup: SignUp) -> bool:
    """An adjustment pays for no month of its own."""
    return signup.kind != "adjustment" and bool(signup.months)


def same_payment(a: SignUp, b: SignUp) -> bool:
    """Whether two sign-ups pay for the same months: the later one was signed before half of what the earlier one
    paid for had run (the same receipt recorded at an event and on the door round, or three events on one day).
    A renewal collected towards the end of the period paid, or a monthly payment the next month, is not."""
    if not (_pays_months(a) and _pays_months(b)):
        return False
    first, later = sorted((a, b), key=lambda s: (s.signed_on, s.id))
    half = (add_months(first.signed_on, first.months) - first.signed_on) / 2
    return later.signed_on < first.signed_on + half


@dataclass(frozen=True)
class Clash:
    """Two sign-ups that would count the same enrolment twice."""

    signup: SignUp
    other: SignUp
    #: "overlap" (the same months paid twice) or "new_twice" (a second "new" for the scheme).
    reason: str
    #: The other already counts, or is confirmed in the same step: confirming must wait for a decision.
    blocking: bool

    @property
    def later(self) -> SignUp:
        """The one recorded after the other (offered first as the duplicate, or as the renewal)."""
        return max(self.signup, self.other, key=lambda s: (s.signed_on, s.id))


def _reason(a: SignUp, b: SignUp) -> str | None:
    if same_payment(a, b):
        return "overlap"
    if a.kind == "new" and b.kind == "new":
        return "new_twice"
    return None


def clashes(signups: Iterable[SignUp]) -> list[Clash]:
    """The clashes of these sign-ups with any other counted or recorded sign-up (one query), each pair once."""
    mine = [s for s in signups if s.status != "duplicate"]
    if not mine:
        return []
    ids = {s.id for s in mine}
    people = {s.person_id for s in mine}
    others = db.session.scalars(select(SignUp).where(SignUp.person_id.in_(people), SignUp.status != "duplicate")
                                .order_by(SignUp.signed_on, SignUp.id)).all()
    found, seen = [], set()
    for s in mine:
        for o in others:
            if o.id == s.id or o.person_id != s.person_id or o.scheme != s.scheme:
                continue
            pair = (min(s.id, o.id), max(s.id, o.id))
            if pair in seen:
                continue
            reason = _reason(s, o)
            if reason is None:
                continue
            seen.add(pair)
            found.append(Clash(s, o, reason, blocking=o.status == "confirmed" or o.id in ids))
    return found


def names_of(found: list[Clash]) -> dict[int, str]:
    """The names of the people in these clashes, by person id."""
    ids = {c.signup.person_id for c in found}
    if not ids:
        return {}
    return dict(db.session.execute(select(Person.id, Person.full_name).where(Person.id.in_(ids))).all())


class ClashError(ValueError):
    """A resolution that does not apply (``code`` says why)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def mark_duplicate(signup: SignUp, kept: SignUp, *, user) -> None:
    """Record that ``signup`` is the same enrolment as ``kept``: it never counts again, and what it added to the
    register's paid-until date or card expiry is taken back (caller commits)."""
    if (signup.id == kept.id or signup.person_id != kept.person_id or signup.scheme != kept.scheme
            or kept.status == "duplicate" or signup.status == "duplicate"):
        raise ClashError("not_a_clash")
    was = signup.status
    signup.status = "duplicate"
    signup.duplicate_of_id = kept.id
    _take_back_coverage(signup)
    audit.record("signup.duplicate", obj=signup, object_type="signup",
                 details={"kept": kept.id, "was": was, "event_id": signup.event_id, "batch_id": signup.batch_id})
    db.session.flush()


def make_renewal(signup: SignUp, *, user) -> None:
    """Record a second "new" as a renewal (the person was already enrolled; caller commits). Refused when it pays
    for months another sign-up already pays for: that one is a duplicate, not a renewal."""
    if signup.kind != "new" or signup.status == "duplicate":
        raise ClashError("not_a_clash")
    if any(c.reason == "overlap" for c in clashes([signup])):
        raise ClashError("overlap")
    signup.kind = "renewal"
    audit.record("signup.renewal", obj=signup, object_type="signup", details={"was": "new"})
    db.session.flush()


def _take_back_coverage(signup: SignUp) -> None:
    """Undo what recording the sign-up added to the register (its months after the paid-until date or the card's
    expiry), as far as the register still shows it."""
    if signup.kind == "adjustment" or not signup.months:
        return
    person = db.session.get(Person, signup.person_id)
    if signup.scheme == "bhxh_tn" and person.paid_until:
        person.paid_until = add_months(date(person.paid_until.year, person.paid_until.month, 1),
                                       1 - signup.months) - timedelta(days=1)
    elif signup.scheme == "bhyt_hgd" and person.bhyt_expires_on:
        person.bhyt_expires_on = add_months(person.bhyt_expires_on, -signup.months)
