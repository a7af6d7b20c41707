"""Writes of the retention work: a reminder contact and its outcome, a day's SMS reminders. Never commit."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from ..audit import services as audit
from ..auth.roles import AGENT
from ..extensions import db
from ..households.models import Person
from ..i18n.formatting import local_today
from .models import METHODS, OUTCOMES, SCHEMES, RetentionContact

#: How far ahead a promised date may be.
PROMISE_MAX_DAYS = 180
NOTE_MAX = 500


class ContactError(Exception):
    """A reminder that cannot be recorded; ``code`` names the field or the reason."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


def due_date_of(person: Person, scheme: str) -> date | None:
    """The date a person's payment falls due for a scheme (paid-until date, or card expiry date)."""
    return person.paid_until if scheme == "bhxh_tn" else person.bhyt_expires_on


def record_contact(person: Person, *, scheme: str, method: str, outcome: str, user, promised_on: date | None = None,
                   note: str | None = None, agent_id: int | None = None, submission_key: str | None = None,
                   today: date | None = None) -> RetentionContact:
    """Record a reminder and its outcome; the same ``submission_key`` twice records it once. "Now insured
    compulsorily" also marks the person so (audited); "moved" and "died" take them off the worklists."""
    if submission_key:
        existing = db.session.scalar(select(RetentionContact).where(
            RetentionContact.submission_key == submission_key))
        if existing is not None:
            return existing
    today = today or local_today()
    if scheme not in SCHEMES:
        raise ContactError("scheme")
    if method not in METHODS:
        raise ContactError("method")
    if outcome not in OUTCOMES:
        raise ContactError("outcome")
    if outcome == "promised":
        last = today + timedelta(days=PROMISE_MAX_DAYS)
        if promised_on is None:
            raise ContactError("promised_on_missing")
        if not today < promised_on <= last:
            raise ContactError("promised_on_range", first=today + timedelta(days=1), last=last)
    else:
        promised_on = None
    note = (note or "").strip() or None
    if note and len(note) > NOTE_MAX:
        raise ContactError("note")
    if agent_id is None and getattr(user, "role", None) == AGENT:
        agent_id = user.agent_id
    contact = RetentionContact(
        person_id=person.id, hamlet_id=person.hamlet_id, commune_id=person.commune_id, scheme=scheme,
        due_on=due_date_of(person, scheme), method=method, outcome=outcome, promised_on=promised_on, note=note,
        agent_id=agent_id, contacted_on=today, recorded_by_id=getattr(user, "id", None),
        submission_key=submission_key)
    db.session.add(contact)
    db.session.flush()
    audit.record("retention.contact", obj=contact, object_type="retention_contact", user=user,
                 details={"person": person.id, "scheme": scheme, "method": method, "outcome": outcome,
                          "promised_on": promised_on.isoformat() if promised_on else None})
    if outcome == "compulsory" and not person.compulsory_insured:
        person.compulsory_insured = True
        db.session.flush()
        audit.record("person.update", obj=person, object_type="person", user=user,
                     details={"fields": ["compulsory_insured"], "from": "retention_contact", "contact": contact.id})
    return contact


def record_sms_sent(rows, *, scheme: str, user, today: date | None = None) -> int:
    """Record the people of an exported SMS list as reminded by SMS today (so tomorrow's list leaves them out).
    ``rows`` are SmsRow of queries.sms_list."""
    today = today or local_today()
    for row in rows:
        db.session.add(RetentionContact(
            person_id=row.person_id, hamlet_id=row.hamlet_id, commune_id=row.commune_id, scheme=scheme,
            due_on=row.due_on, method="sms", outcome="no_answer", contacted_on=today,
            recorded_by_id=getattr(user, "id", None)))
    db.session.flush()
    return len(rows)


def record_sms_export(*, scheme: str, commune_id: int | None, agent_id: int | None, rows: int, marked: bool) -> None:
    """The audit entry of an SMS list export (the filter and the row count, never a phone)."""
    audit.record("export.sms_reminders", object_type="export",
                 details={"filter": {"scheme": scheme, "commune": commune_id, "agent": agent_id}, "rows": rows,
                          "marked_sent": marked})
