"""What the portal holds about one person, and who viewed, printed or exported it.

Everything is returned as plain values (strings, numbers, dates, lists and dicts) so the same report feeds the
page, the JSON download and the PDF. The access log is read from the audit log: entries about the person or
their household, prints of documents of events they appear in, declaration exports that carried their
sign-ups, views of evidence files of those events, and list exports filtered on their commune or hamlet
(which may have included them).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, or_, select

from ..audit.models import AuditEntry
from ..auth.models import User
from ..auth.scope import scope_for
from ..declarations.models import DeclarationBatch
from ..events.models import Event
from ..extensions import db
from ..geo.models import Commune, Hamlet
from ..households.models import Household, Person, person_name_tokens, person_tags
from ..i18n.collation import fold_diacritics
from ..org.models import Agent
from ..results.models import Attendance, Evidence, Invitation, SignUp
from ..visits.models import Visit, VisitAssignment, VisitList
from .models import DataSubjectRequest, Erasure

#: Person columns shown in the report, in order.
PERSON_FIELDS = ("full_name", "sex", "date_of_birth", "cccd", "bhxh_code", "phone", "relation_to_head", "ethnicity",
                 "ethnic_minority", "occupation", "income_band")
COVERAGE_FIELDS = ("bhxh_tn_status", "paid_until", "bhyt_expires_on", "compulsory_insured")
HOUSEHOLD_FIELDS = ("head_name", "address", "phone", "poverty_status", "notes")
#: List exports whose filter may have included a person of the commune or hamlet.
LIST_EXPORTS = ("export.households", "export.due_list")


def find_people(*, cccd: str | None = None, bhxh_code: str | None = None, name: str | None = None,
                limit: int = 50) -> list[Person]:
    """People matching an exact CCCD or insurance code, or every word of a name (without diacritics)."""
    if cccd or bhxh_code:
        clauses = []
        if cccd:
            clauses.append(Person.cccd == cccd)
        if bhxh_code:
            clauses.append(Person.bhxh_code == bhxh_code)
        return list(db.session.scalars(select(Person).where(or_(*clauses)).order_by(Person.id)))
    words = sorted({w[:40] for w in fold_diacritics(name or "").split()})
    if not words:
        return []
    stmt = select(Person)
    for word in words:
        stmt = stmt.where(Person.id.in_(select(person_name_tokens.c.person_id).where(
            person_name_tokens.c.token == word)))
    return list(db.session.scalars(stmt.order_by(Person.sort_key, Person.id).limit(limit)))


def places(people: list[Person]) -> dict[int, str]:
    """'Hamlet, Commune' of each person, by id (one query)."""
    hamlet_ids = {p.hamlet_id for p in people}
    rows = db.session.execute(select(Hamlet.id, Hamlet.name, Commune.name).join(
        Commune, Commune.id == Hamlet.commune_id).where(Hamlet.id.in_(hamlet_ids))).all() if hamlet_ids else []
    names = {hid: f"{hamlet}, {commune}" for hid, hamlet, commune in rows}
    return {p.id: names.get(p.hamlet_id, "") for p in people}


def _event(event: Event) -> dict[str, Any]:
    return {"id": event.id, "title": event.title, "starts_at": event.starts_at, "venue": event.venue}


def _history(person: Person) -> dict[str, list[dict[str, Any]]]:
    hid = person.household_id
    visits = [
        {"id": v.id, "recorded_at": v.recorded_at, "agent": agent, "outcome": v.outcome,
         "decline_reason": v.decline_reason, "note": v.note, "for_person": v.person_id == person.id}
        for v, agent in db.session.execute(
            select(Visit, Agent.full_name).outerjoin(Agent, Agent.id == Visit.agent_id)
            .where(Visit.household_id == hid, or_(Visit.person_id.is_(None), Visit.person_id == person.id))
            .order_by(Visit.recorded_at.desc(), Visit.id.desc()))]
    invitations = [
        {"id": i.id, "event": _event(e), "delivered_at": i.delivered_at, "named": i.person_id == person.id}
        for i, e in db.session.execute(select(Invitation, Event).join(Event, Event.id == Invitation.event_id)
                                       .where(Invitation.household_id == hid).order_by(Event.starts_at.desc()))]
    attendance = [
        {"id": a.id, "event": _event(e), "checked_in_at": a.checked_in_at, "walk_in": a.walk_in,
         "from_paper": a.from_paper}
        for a, e in db.session.execute(select(Attendance, Event).join(Event, Event.id == Attendance.event_id)
                                       .where(Attendance.person_id == person.id)
                                       .order_by(Attendance.checked_in_at.desc()))]
    signups = [
        {"id": s.id, "signed_on": s.signed_on, "scheme": s.scheme, "kind": s.kind, "status": s.status,
         "chosen_income": s.chosen_income, "months": s.months, "net": s.net, "receipt_number": s.receipt_number,
         "event": _event(e) if e else None, "export_batch_id": s.export_batch_id}
        for s, e in db.session.execute(select(SignUp, Event).outerjoin(Event, Event.id == SignUp.event_id)
                                       .where(SignUp.person_id == person.id)
                                       .order_by(SignUp.signed_on.desc(), SignUp.id.desc()))]
    return {"visits": visits, "invitations": invitations, "attendance": attendance, "signups": signups}


def _event_ids(person: Person, history: dict) -> set[int]:
    """Events whose documents can carry the person: invited, attended, signed up, or on the visit list."""
    ids = {row["event"]["id"] for key in ("invitations", "attendance") for row in history[key]}
    ids |= {row["event"]["id"] for row in history["signups"] if row["event"]}
    ids |= set(db.session.scalars(select(VisitList.event_id).join(
        VisitAssignment, VisitAssignment.visit_list_id == VisitList.id).where(
        VisitAssignment.household_id == person.household_id)))
    return ids


def _evidence(event_ids: set[int]) -> list[dict[str, Any]]:
    if not event_ids:
        return []
    rows = db.session.execute(select(Evidence, Event).join(Event, Event.id == Evidence.event_id).where(
        Evidence.event_id.in_(event_ids)).order_by(Evidence.uploaded_at.desc())).all()
    return [{"id": ev.id, "event": _event(e), "kind": ev.kind, "original_name": ev.original_name,
             "uploaded_at": ev.uploaded_at, "sha256": ev.sha256} for ev, e in rows]


def _entry(entry: AuditEntry, reach: str) -> dict[str, Any]:
    return {"id": entry.id, "at": entry.at, "username": entry.username, "action": entry.action,
            "object_type": entry.object_type, "object_id": entry.object_id, "outcome": entry.outcome,
            "ip": entry.ip, "reach": reach}


def _may_include(entry: AuditEntry, person: Person, in_scope: dict[int | None, bool]) -> bool:
    """Whether a list export may have held the person: its filter's hamlet or commune is theirs, or it had
    neither and the person was in the exporting user's territory."""
    filters = (entry.details or {}).get("filter") or {}
    hamlet = filters.get("hamlet_id", filters.get("hamlet"))
    if hamlet is not None:
        return hamlet == person.hamlet_id
    commune = filters.get("commune_id", filters.get("commune"))
    if commune is not None:
        return commune == person.commune_id
    if entry.user_id not in in_scope:
        user = db.session.get(User, entry.user_id) if entry.user_id else None
        in_scope[entry.user_id] = user is None or db.session.scalar(select(Person.id).where(
            Person.id == person.id, Person.scope_clause(scope_for(user)))) is not None
    return in_scope[entry.user_id]


def access_log(person: Person, event_ids: set[int], batch_ids: set[int], evidence_ids: set[int],
               request_ids: set[int], signup_ids: set[int]) -> list[dict[str, Any]]:
    """Who viewed, printed, exported or changed the person's data, newest first (see the module docstring)."""
    direct = [and_(AuditEntry.object_type == "person", AuditEntry.object_id == person.id),
              and_(AuditEntry.object_type == "household", AuditEntry.object_id == person.household_id)]
    if request_ids:
        direct.append(and_(AuditEntry.object_type == "data_request", AuditEntry.object_id.in_(request_ids)))
    if signup_ids:
        direct.append(and_(AuditEntry.object_type == "signup", AuditEntry.object_id.in_(signup_ids)))
    found = {e.id: _entry(e, "direct") for e in db.session.scalars(select(AuditEntry).where(or_(*direct)))}
    related = []
    if event_ids:
        related.append((and_(AuditEntry.object_type == "event", AuditEntry.object_id.in_(event_ids),
                             AuditEntry.action.like("print.%")), "document"))
    if batch_ids:
        related.append((and_(AuditEntry.object_type == "declaration_batch", AuditEntry.object_id.in_(batch_ids)),
                        "declaration"))
    if evidence_ids:
        related.append((and_(AuditEntry.object_type == "evidence", AuditEntry.object_id.in_(evidence_ids)),
                        "evidence"))
    for clause, reach in related:
        for entry in db.session.scalars(select(AuditEntry).where(clause)):
            found.setdefault(entry.id, _entry(entry, reach))
    in_scope: dict[int | None, bool] = {}
    for entry in db.session.scalars(select(AuditEntry).where(AuditEntry.action.in_(LIST_EXPORTS))):
        if _may_include(entry, person, in_scope):
            found.setdefault(entry.id, _entry(entry, "list_export"))
    return sorted(found.values(), key=lambda e: (e["at"], e["id"]), reverse=True)


def person_report(person: Person) -> dict[str, Any]:
    """Everything the portal holds about a person, and its access log."""
    household = db.session.get(Household, person.household_id)
    hamlet = db.session.get(Hamlet, person.hamlet_id)
    commune = db.session.get(Commune, person.commune_id)
    members = db.session.execute(select(Person.id, Person.relation_to_head).where(
        Person.household_id == household.id).order_by(Person.id)).all()
    tags = sorted(db.session.scalars(select(person_tags.c.tag).where(person_tags.c.person_id == person.id)))
    history = _history(person)
    event_ids = _event_ids(person, history)
    evidence = _evidence(event_ids)
    batch_ids = {row["export_batch_id"] for row in history["signups"] if row["export_batch_id"]}
    declarations = []
    if batch_ids:
        declarations = [{"id": b.id, "form": b.form, "created_at": b.created_at, "count": b.count}
                        for b in db.session.scalars(select(DeclarationBatch).where(
                            DeclarationBatch.id.in_(batch_ids)).order_by(DeclarationBatch.created_at.desc()))]
    requests = [{"id": r.id, "kind": r.kind, "status": r.status, "received_on": r.received_on,
                 "answered_on": r.answered_on, "outcome": r.outcome}
                for r in db.session.scalars(select(DataSubjectRequest).where(
                    DataSubjectRequest.person_id == person.id).order_by(DataSubjectRequest.received_on.desc()))]
    erasures = [{"id": e.id, "object_type": e.object_type, "erased_at": e.erased_at, "request_id": e.request_id,
                 "fields": e.fields}
                for e in db.session.scalars(select(Erasure).where(or_(
                    and_(Erasure.object_type == "person", Erasure.object_id == person.id),
                    and_(Erasure.object_type == "household", Erasure.object_id == household.id)))
                    .order_by(Erasure.erased_at))]
    return {
        "person": {"id": person.id, **{f: getattr(person, f) for f in PERSON_FIELDS},
                   "created_at": person.created_at, "updated_at": person.updated_at},
        "coverage": {f: getattr(person, f) for f in COVERAGE_FIELDS},
        "tags": tags,
        "household": {"id": household.id, **{f: getattr(household, f) for f in HOUSEHOLD_FIELDS},
                      "hamlet": hamlet.name, "commune": commune.name, "members": len(members),
                      "relations": [relation for _id, relation in members if _id != person.id]},
        **history,
        "declarations": declarations,
        "evidence": evidence,
        "requests": requests,
        "erasures": erasures,
        "access_log": access_log(person, event_ids, batch_ids, {e["id"] for e in evidence},
                                 {r["id"] for r in requests}, {s["id"] for s in history["signups"]}),
    }
