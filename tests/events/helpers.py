"""Helpers of the events tests: form data, links, reading back what was saved."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.events.models import Event, event_speakers
from portal.extensions import db

from .. import factories


def event_data(world, **over) -> dict:
    """A valid event form for the own territory's first commune: 15/05/2027 08:00–11:00 Vietnam time."""
    data = {"kind": "conference", "title": "Hội nghị thôn Thượng", "campaign_id": "0",
            "commune_id": str(world.own.commune.id), "hamlet_id": "0", "venue": "Nhà văn hóa thôn Thượng",
            "day": "15/05/2027", "start_time": "08:00", "end_time": "11:00",
            "organiser_office_id": str(world.own.office.id), "co_organiser_id": "0", "expected_attendance": "60",
            "notes": ""}
    data.update(over)
    return data


def by_title(title: str) -> Event | None:
    """The event with this title, read fresh."""
    db.session.expire_all()
    return db.session.scalar(select(Event).where(Event.title == title))


def actions(event_id: int) -> list[str]:
    """The audit actions recorded for an event, oldest first."""
    return list(db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.object_type == "event", AuditEntry.object_id == event_id).order_by(AuditEntry.id)))


def add_speaker(event, speaker) -> None:
    """Link a speaker to an event."""
    db.session.execute(event_speakers.insert(), [{"event_id": event.id, "speaker_id": speaker.id}])
    db.session.commit()


def vn(year, month, day, hour, minute=0) -> datetime:
    """A Vietnam wall-clock time as a UTC moment."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC) - timedelta(hours=7)


def event_at(territory, start: datetime, **fields):
    """A committed event of a territory's first commune, three hours long."""
    return factories.make_event(territory.commune, territory.office, starts_at=start, **fields)
