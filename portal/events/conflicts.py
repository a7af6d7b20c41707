"""Scheduling conflicts, shown before an event (or a batch of copies) is saved.

Four kinds of clash: the same venue in the same commune at overlapping times (compared without case, diacritics
or extra spaces), the same speaker or the same agent at overlapping times, and an event outside its campaign's
period. Two warnings about the date: an event scheduled (or moved) to a time already past, and an event whose
invitation letters were printed moved to another time or place (the letters say the old one). Cancelled events
never conflict. All of them are warnings: the user may save anyway.
Clashes are looked for among all events, not only the user's; one outside the user's area is named vaguely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from ..audit.models import AuditEntry
from ..auth.scope import scoped
from ..campaigns.models import Campaign
from ..extensions import db
from ..geo.models import Commune
from ..i18n.collation import fold_diacritics
from ..i18n.formatting import to_local
from ..types import utcnow
from .models import Event, event_agents, event_speakers

KINDS = ("venue", "speaker", "agent", "campaign_period", "in_past", "moved_after_print")
#: Kinds that are about the event's own date, not a clash with another event.
DATE_WARNINGS = ("campaign_period", "in_past", "moved_after_print")


@dataclass(frozen=True)
class Conflict:
    """One clash: its kind, what clashes (a venue, a speaker's or agent's name, a campaign) and with what."""

    kind: str
    subject: str
    other_id: int | None = None
    other_title: str = ""
    other_starts_at: datetime | None = None
    other_ends_at: datetime | None = None
    other_commune: str = ""
    #: The other event is outside the user's area (shown without its title or a link).
    hidden: bool = False
    #: The clash is with another copy of the same batch (named by this label), not with a saved event.
    pending_label: str = ""
    #: moved_after_print: when the letters were last printed.
    printed_at: datetime | None = None


@dataclass
class Slot:
    """An event as it would be saved: where, when, with whom (each copy of a batch is a Slot)."""

    commune_id: int
    venue: str
    starts_at: datetime
    ends_at: datetime
    speaker_ids: tuple[int, ...] = ()
    agent_ids: tuple[int, ...] = ()
    campaign_id: int | None = None
    #: The event being edited (it never conflicts with itself).
    event_id: int | None = None
    #: How the slot is named among a batch of copies ("Xã A, 20/05/2027").
    label: str = ""
    conflicts: list[Conflict] = field(default_factory=list)


def venue_key(venue: str) -> str:
    """A venue compared without case, diacritics, punctuation or extra spaces."""
    folded = fold_diacritics(venue or "")
    return " ".join(re.sub(r"[^\w\s]", " ", folded).split())


def _overlaps(a_start, a_end, b_start, b_end) -> bool:
    return a_start < b_end and b_start < a_end


def _others(slot: Slot):
    """Saved, not cancelled events overlapping a slot's time (except the event being edited)."""
    stmt = select(Event).where(Event.starts_at < slot.ends_at, Event.ends_at > slot.starts_at,
                               Event.status != "cancelled")
    if slot.event_id:
        stmt = stmt.where(Event.id != slot.event_id)
    return stmt


def check(slots: list[Slot], *, speaker_names: dict[int, str], agent_names: dict[int, str]) -> list[Slot]:
    """Fill each slot's conflicts with saved events and with the slots before it; return the slots."""
    campaign_ids = {s.campaign_id for s in slots if s.campaign_id}
    campaigns = {c.id: c for c in db.session.scalars(select(Campaign).where(Campaign.id.in_(campaign_ids)))} \
        if campaign_ids else {}
    found_events: dict[int, Event] = {}
    found_per_slot: list[list[tuple[str, str, int]]] = []  # (kind, subject, other event id) per slot
    for index, slot in enumerate(slots):
        found: list[tuple[str, str, int]] = []
        found_per_slot.append(found)
        key = venue_key(slot.venue)
        if key:
            for other in db.session.scalars(_others(slot).where(Event.commune_id == slot.commune_id)):
                if venue_key(other.venue) == key:
                    found_events[other.id] = other
                    found.append(("venue", slot.venue, other.id))
        for kind, table, column, ids, names in (
            ("speaker", event_speakers, event_speakers.c.speaker_id, slot.speaker_ids, speaker_names),
            ("agent", event_agents, event_agents.c.agent_id, slot.agent_ids, agent_names),
        ):
            if not ids:
                continue
            rows = db.session.execute(_others(slot).add_columns(column).join(table, table.c.event_id == Event.id)
                                      .where(column.in_(list(ids)))).all()
            for other, subject_id in rows:
                found_events[other.id] = other
                found.append((kind, names.get(subject_id, "?"), other.id))
        slot.conflicts = []
        for earlier in slots[:index]:
            if not _overlaps(slot.starts_at, slot.ends_at, earlier.starts_at, earlier.ends_at):
                continue
            if slot.commune_id == earlier.commune_id and key and venue_key(earlier.venue) == key:
                slot.conflicts.append(Conflict("venue", slot.venue, pending_label=earlier.label))
            for speaker_id in sorted(set(slot.speaker_ids) & set(earlier.speaker_ids)):
                slot.conflicts.append(Conflict("speaker", speaker_names.get(speaker_id, "?"),
                                               pending_label=earlier.label))
            for agent_id in sorted(set(slot.agent_ids) & set(earlier.agent_ids)):
                slot.conflicts.append(Conflict("agent", agent_names.get(agent_id, "?"), pending_label=earlier.label))
        campaign = campaigns.get(slot.campaign_id) if slot.campaign_id else None
        if campaign is not None and (to_local(slot.starts_at).date() < campaign.starts_on
                                     or to_local(slot.ends_at).date() > campaign.ends_on):
            slot.conflicts.append(Conflict("campaign_period", campaign.name))
        slot.conflicts += _date_warnings(slot)
    # Which clashing events the user may see, and their communes: one query each for the whole batch.
    visible = set(db.session.scalars(scoped(Event, select(Event.id)).where(Event.id.in_(list(found_events))))) \
        if found_events else set()
    commune_names = dict(db.session.execute(select(Commune.id, Commune.name).where(
        Commune.id.in_({e.commune_id for e in found_events.values()}))).all()) if found_events else {}
    for slot, found in zip(slots, found_per_slot, strict=True):
        resolved = []
        for kind, subject, other_id in found:
            other = found_events[other_id]
            hidden = other_id not in visible
            resolved.append(Conflict(kind, subject, other_id, "" if hidden else other.title, other.starts_at,
                                     other.ends_at, "" if hidden else commune_names.get(other.commune_id, ""),
                                     hidden=hidden))
        slot.conflicts = resolved + slot.conflicts
    return slots


def _moved(before: Event, slot: Slot) -> bool:
    return (before.starts_at != slot.starts_at or before.ends_at != slot.ends_at
            or before.commune_id != slot.commune_id or venue_key(before.venue) != venue_key(slot.venue))


def _date_warnings(slot: Slot) -> list[Conflict]:
    """A new event (or one moved) in the past; a moved event whose invitation letters were printed."""
    before = db.session.get(Event, slot.event_id) if slot.event_id else None
    moved = before is not None and _moved(before, slot)
    warnings = []
    if slot.starts_at < utcnow() and (before is None or moved):
        warnings.append(Conflict("in_past", ""))
    if moved:
        printed_at = db.session.scalar(select(func.max(AuditEntry.at)).where(
            AuditEntry.action == "print.invitations", AuditEntry.object_type == "event",
            AuditEntry.object_id == before.id, AuditEntry.outcome == "success"))
        if printed_at is not None:
            warnings.append(Conflict("moved_after_print", "", printed_at=printed_at))
    return warnings


def find_conflicts(slot: Slot, *, speaker_names: dict[int, str] | None = None,
                   agent_names: dict[int, str] | None = None) -> list[Conflict]:
    """The conflicts of one event as it would be saved."""
    check([slot], speaker_names=speaker_names or {}, agent_names=agent_names or {})
    return slot.conflicts
