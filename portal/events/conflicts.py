"""Scheduling conflicts shown before an event is saved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..extensions import db
from ..i18n.collation import fold_diacritics
from .models import Event, event_agents, event_speakers


@dataclass(frozen=True)
class Conflict:
    """One clash: its kind ("venue", "speaker", "agent", "campaign_period") and the other event, if any."""

    kind: str
    other_id: int | None = None
    other_title: str = ""
    other_starts_at: datetime | None = None
    subject: str = ""


def _overlapping(starts_at: datetime, ends_at: datetime, exclude_id: int | None):
    stmt = select(Event).where(Event.starts_at < ends_at, Event.ends_at > starts_at, Event.status != "cancelled")
    if exclude_id:
        stmt = stmt.where(Event.id != exclude_id)
    return stmt


def find_conflicts(*, commune_id: int, venue: str, starts_at: datetime, ends_at: datetime,
                   speaker_ids: list[int], agent_ids: list[int], campaign=None, exclude_id: int | None = None,
                   speaker_names: dict[int, str] | None = None, agent_names: dict[int, str] | None = None
                   ) -> list[Conflict]:
    """Same venue, speaker or agent at overlapping times; an event outside its campaign's period."""
    found: list[Conflict] = []
    base = _overlapping(starts_at, ends_at, exclude_id)
    venue_key = fold_diacritics(venue)
    for other in db.session.scalars(base.where(Event.commune_id == commune_id)):
        if fold_diacritics(other.venue) == venue_key:
            found.append(Conflict("venue", other.id, other.title, other.starts_at, venue))
    if speaker_ids:
        rows = db.session.execute(base.with_only_columns(Event.id, Event.title, Event.starts_at,
                                                         event_speakers.c.speaker_id)
                                  .join(event_speakers, event_speakers.c.event_id == Event.id)
                                  .where(event_speakers.c.speaker_id.in_(speaker_ids))).all()
        for event_id, title, starts, speaker_id in rows:
            found.append(Conflict("speaker", event_id, title, starts, (speaker_names or {}).get(speaker_id, "")))
    if agent_ids:
        rows = db.session.execute(base.with_only_columns(Event.id, Event.title, Event.starts_at,
                                                         event_agents.c.agent_id)
                                  .join(event_agents, event_agents.c.event_id == Event.id)
                                  .where(event_agents.c.agent_id.in_(agent_ids))).all()
        for event_id, title, starts, agent_id in rows:
            found.append(Conflict("agent", event_id, title, starts, (agent_names or {}).get(agent_id, "")))
    if campaign is not None:
        from ..i18n.formatting import to_local

        if to_local(starts_at).date() < campaign.starts_on or to_local(ends_at).date() > campaign.ends_on:
            found.append(Conflict("campaign_period", None, campaign.name))
    return found
