"""Writes to events: create, change, reschedule, status, cancel, clone; each with its audit entry."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import delete, insert, select

from ..audit import services as audit
from ..extensions import db
from .models import Event, event_agents, event_audiences, event_speakers

VN = ZoneInfo("Asia/Ho_Chi_Minh")

#: status -> statuses it may move to by hand (results_entered is set by confirming results).
TRANSITIONS = {
    "draft": ("scheduled",),
    "scheduled": ("held", "draft"),
    "held": ("closed",),
    "results_entered": ("closed",),
    "closed": (),
    "cancelled": (),
}


def local_moment(day: date, hhmm: str) -> datetime:
    """A Vietnam-time date and HH:MM as an aware datetime."""
    hours, minutes = (int(p) for p in hhmm.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=VN)


def links(event: Event) -> dict[str, list]:
    """The speakers, agents and audience tags of an event."""
    return {
        "speakers": list(db.session.scalars(select(event_speakers.c.speaker_id).where(
            event_speakers.c.event_id == event.id))),
        "agents": list(db.session.scalars(select(event_agents.c.agent_id).where(event_agents.c.event_id == event.id))),
        "audience": list(db.session.scalars(select(event_audiences.c.tag).where(
            event_audiences.c.event_id == event.id))),
    }


def set_links(event: Event, *, speakers: list[int], agents: list[int], audience: list[str]) -> None:
    """Replace the speakers, agents and audience of an event."""
    for table, column, values in ((event_speakers, "speaker_id", speakers), (event_agents, "agent_id", agents),
                                  (event_audiences, "tag", audience)):
        db.session.execute(delete(table).where(table.c.event_id == event.id))
        if values:
            db.session.execute(insert(table), [{"event_id": event.id, column: v} for v in dict.fromkeys(values)])


def save(event: Event | None, fields: dict, *, speakers, agents, audience, user) -> Event:
    """Create or change an event; a change of time is audited as a rescheduling (caller commits)."""
    creating = event is None
    if creating:
        event = Event(status="draft", created_by_id=user.id)
        db.session.add(event)
    old_start, old_end = (None, None) if creating else (event.starts_at, event.ends_at)
    for key, value in fields.items():
        setattr(event, key, value)
    db.session.flush()
    set_links(event, speakers=speakers, agents=agents, audience=audience)
    if creating:
        audit.record("event.create", obj=event, object_type="event", details={"title": event.title})
    else:
        audit.record("event.update", obj=event, object_type="event", details={"fields": sorted(fields)})
        if (old_start, old_end) != (event.starts_at, event.ends_at):
            audit.record("event.reschedule", obj=event, object_type="event",
                         details={"from": old_start.isoformat(), "to": event.starts_at.isoformat()})
    return event


def change_status(event: Event, status: str) -> bool:
    """Move an event along its life cycle; False when the move is not allowed."""
    if status not in TRANSITIONS.get(event.status, ()):
        return False
    old = event.status
    event.status = status
    audit.record("event.status", obj=event, object_type="event", details={"from": old, "to": status})
    return True


def cancel(event: Event, reason: str) -> bool:
    """Cancel an event with a reason (it stays, with its history)."""
    if event.status in ("closed", "cancelled", "results_entered"):
        return False
    event.status = "cancelled"
    event.cancel_reason = reason.strip()
    audit.record("event.cancel", obj=event, object_type="event", details={"reason": event.cancel_reason})
    return True


def clone(event: Event, *, communes: list[int], days: list[date], user) -> list[Event]:
    """Copy an event to each commune and/or each date (drafts), with its speakers, agents and audience."""
    linked = links(event)
    start_local = event.starts_at.astimezone(VN)
    end_local = event.ends_at.astimezone(VN)
    targets = [(c, d) for c in (communes or [event.commune_id]) for d in (days or [start_local.date()])]
    copies = []
    for commune_id, day in targets:
        if commune_id == event.commune_id and day == start_local.date():
            continue
        fields = {
            "kind": event.kind, "title": event.title, "campaign_id": event.campaign_id, "commune_id": commune_id,
            "hamlet_id": event.hamlet_id if commune_id == event.commune_id else None, "venue": event.venue,
            "starts_at": datetime.combine(day, start_local.timetz()),
            "ends_at": datetime.combine(day, end_local.timetz()) if end_local.date() == start_local.date()
            else datetime.combine(day, end_local.timetz()),
            "organiser_office_id": event.organiser_office_id, "co_organiser_id": event.co_organiser_id,
            "expected_attendance": event.expected_attendance, "notes": event.notes,
        }
        copy = save(None, fields, speakers=linked["speakers"],
                    agents=linked["agents"] if commune_id == event.commune_id else [],
                    audience=linked["audience"], user=user)
        copies.append(copy)
    audit.record("event.clone", obj=event, object_type="event", details={"copies": [c.id for c in copies]})
    return copies
