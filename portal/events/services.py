"""Writes to events and speakers: create, change, reschedule, status, cancel, clone; each with its audit entry.

Callers commit. A change made from a form that was opened on an older version raises :class:`StaleEvent`
(and a concurrent one raises SQLAlchemy's StaleDataError at flush): nothing is written then.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from flask_babel import gettext as _
from sqlalchemy import delete, insert

from ..audit import services as audit
from ..extensions import db
from ..i18n.formatting import LOCAL_TZ, format_datetime, to_local
from ..types import utcnow
from .models import Event, Speaker, event_agents, event_audiences, event_speakers
from .queries import links

#: Statuses an event may be moved to by hand. "results_entered" is set when its results are confirmed.
TRANSITIONS = {
    "draft": ("scheduled",),
    "scheduled": ("held", "draft"),
    "held": ("closed",),
    "results_entered": ("closed",),
    "closed": (),
    "cancelled": (),
}
#: The life cycle in order, as the event page shows it.
LIFE_CYCLE = ("draft", "scheduled", "held", "results_entered", "closed")
CANCELLABLE = ("draft", "scheduled")
FROZEN = ("cancelled", "closed")
#: Fields of an event that its form sets.
FIELDS = ("kind", "title", "commune_id", "hamlet_id", "venue", "starts_at", "ends_at", "organiser_office_id",
          "organiser_organisation_id", "co_organiser_id", "campaign_id", "expected_attendance", "notes")
#: Fields a caller may leave out (the event keeps what it has).
OPTIONAL_FIELDS = ("organiser_organisation_id",)
#: What the activity kinds beyond conferences record (set when the caller gives them).
ACTIVITY_FIELDS = ("host_meeting", "attendee_count", "media_channel", "media_items", "reach")


class StaleEvent(Exception):
    """The event changed since the form was opened."""


def local_moment(day: date, at: time) -> datetime:
    """A Vietnam-time date and time of day as a UTC moment."""
    return datetime.combine(day, at, tzinfo=LOCAL_TZ).astimezone(UTC)


def when_text(starts_at: datetime, ends_at: datetime) -> str:
    """"08:00 15/05/2027 – 11:00 15/05/2027" in Vietnam time (no long digit runs, so audit masking keeps it)."""
    return f"{format_datetime(starts_at)} – {format_datetime(ends_at)}"


def _set_links(event_id: int, *, speakers, agents, audience) -> None:
    for table, column, values in ((event_speakers, "speaker_id", speakers), (event_agents, "agent_id", agents),
                                  (event_audiences, "tag", audience)):
        db.session.execute(delete(table).where(table.c.event_id == event_id))
        if values:
            db.session.execute(insert(table), [{"event_id": event_id, column: v} for v in dict.fromkeys(values)])


def save(event: Event | None, fields: dict, *, speakers, agents, audience, user, status: str = "draft",
         expected_version: int | None = None, copied_from: int | None = None) -> Event:
    """Create an event (as a draft or scheduled) or change one; a change of time is also a rescheduling."""
    creating = event is None
    if creating:
        event = Event(status=status, created_by_id=getattr(user, "id", None))
        db.session.add(event)
        old: dict = {}
        old_links: dict = {"speakers": [], "agents": [], "audience": []}
    else:
        if expected_version is not None and expected_version != event.version:
            raise StaleEvent(event.id)
        old = {name: getattr(event, name) for name in FIELDS + ACTIVITY_FIELDS}
        old_links = links(event.id)
    for name in FIELDS:
        if name in fields or name not in OPTIONAL_FIELDS:
            setattr(event, name, fields[name])
    for name in ACTIVITY_FIELDS:
        if name in fields:
            setattr(event, name, fields[name])
    event.updated_at = utcnow()  # always an UPDATE, so the version moves even when only the links change
    db.session.flush()
    new_links = {"speakers": sorted(set(speakers)), "agents": sorted(set(agents)), "audience": sorted(set(audience))}
    _set_links(event.id, **new_links)
    if creating:
        details = {"title": event.title, "when": when_text(event.starts_at, event.ends_at), "status": event.status}
        if copied_from:
            details["copied_from"] = copied_from
        audit.record("event.create", obj=event, object_type="event", details=details)
        return event
    changed = [name for name in FIELDS if name not in ("starts_at", "ends_at") and name in fields
               and old[name] != fields[name]]
    changed += [name for name in ACTIVITY_FIELDS if name in fields and old[name] != fields[name]]
    changed += [name for name in new_links if sorted(set(old_links[name])) != new_links[name]]
    if changed:
        audit.record("event.update", obj=event, object_type="event", details={"fields": changed})
    if (old["starts_at"], old["ends_at"]) != (fields["starts_at"], fields["ends_at"]):
        audit.record("event.reschedule", obj=event, object_type="event", details={
            "old": when_text(old["starts_at"], old["ends_at"]),
            "new": when_text(fields["starts_at"], fields["ends_at"])})
    return event


def change_status(event: Event, status: str, *, now: datetime | None = None) -> str | None:
    """Move an event along its life cycle; the reason it cannot move, or None when it moved."""
    if status not in TRANSITIONS.get(event.status, ()):
        return _("This status change is not allowed.")
    if status == "held" and event.starts_at > (now or utcnow()):
        return _("An event can be marked as held only once it has started.")
    old = event.status
    event.status = status
    audit.record("event.status", obj=event, object_type="event", details={"from": old, "to": status})
    return None


def cancel(event: Event, reason: str) -> str | None:
    """Cancel an event with a reason; it stays, with its history. The reason it cannot, or None."""
    if event.status not in CANCELLABLE:
        return _("Only a draft or scheduled event can be cancelled.")
    old = event.status
    event.status = "cancelled"
    event.cancel_reason = " ".join(reason.split())[:300]
    audit.record("event.cancel", obj=event, object_type="event",
                 details={"from": old, "reason": event.cancel_reason})
    return None


def clone(event: Event, copies: list[tuple[int, date]], *, agents_by_commune: dict[int, list[int]],
          user) -> list[Event]:
    """Copy an event to each (commune, day) as a draft with the same times, speakers and audience; agents only
    where they cover the commune; the hamlet only in the same commune."""
    linked = links(event.id)
    start, end = to_local(event.starts_at), to_local(event.ends_at)
    days_long = end.date() - start.date()
    made = []
    for commune_id, day in copies:
        fields = {name: getattr(event, name) for name in FIELDS}
        fields.update(commune_id=commune_id,
                      hamlet_id=event.hamlet_id if commune_id == event.commune_id else None,
                      starts_at=local_moment(day, start.time()),
                      ends_at=local_moment(day + days_long, end.time()))
        made.append(save(None, fields, speakers=linked["speakers"], agents=agents_by_commune.get(commune_id, []),
                         audience=linked["audience"], user=user, status="draft", copied_from=event.id))
    audit.record("event.clone", obj=event, object_type="event",
                 details={"copies": [c.id for c in made], "count": len(made)})
    return made


def save_speaker(speaker: Speaker | None, *, full_name: str, position: str | None, phone: str | None,
                 office_id: int, active: bool) -> Speaker:
    """Add a speaker to the register or change one (the phone stays out of the audit entry)."""
    creating = speaker is None
    speaker = speaker or Speaker()
    speaker.set_name(full_name)
    speaker.position = position
    speaker.phone = phone
    speaker.office_id = office_id
    speaker.active = active
    db.session.add(speaker)
    db.session.flush()
    audit.record("speaker.create" if creating else "speaker.update", obj=speaker, object_type="speaker",
                 details={"name": speaker.full_name, "active": speaker.active})
    return speaker
