"""Outreach activities of a campaign by kind: how many were held, who came, and the media work's items and reach.

Conferences are not the only activity offices count: talks within other meetings, round-tables, legal-advice
sessions, trainings, door-to-door days and media work are reported too, each with its own figures."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_pgettext, pgettext
from sqlalchemy import func, select

from ..auth.scope import Place
from ..events.models import EVENT_KINDS, Event
from ..extensions import db
from ..geo.models import Commune
from ..printing.text import DocumentWords, in_document_locale
from ..results.models import Attendance
from .exports import Column, Table
from .queries import HELD, utc_bounds

#: The kinds as the printed reports name them (document words: each lookup answers in the document's locale).
KIND_VI = DocumentWords({
    "conference": lazy_pgettext("document", "Outreach conferences"),
    "training": lazy_pgettext("document", "Training for collection agents and collaborators"),
    "door_to_door": lazy_pgettext("document", "Door-to-door days"),
    "mobile_propaganda": lazy_pgettext("document", "Mobile propaganda"),
    "dialogue": lazy_pgettext("document", "Dialogues"),
    "integrated_talk": lazy_pgettext("document", "Talks within other meetings"),
    "round_table": lazy_pgettext("document", "Round-tables"),
    "legal_advice": lazy_pgettext("document", "Legal-advice sessions"),
    "media": lazy_pgettext("document", "Media work (loudspeakers, articles, posts)"),
})
assert set(KIND_VI) == set(EVENT_KINDS)


@dataclass
class ActivityLine:
    """One kind of activity held in the campaign's period."""

    kind: str
    held: int = 0
    #: Check-ins at the event plus the head count recorded for talks, round-tables and legal advice.
    attendees: int = 0
    media_items: int = 0
    reach: int = 0


def by_kind(campaign, where: Place) -> list[ActivityLine]:
    """Activities held in the campaign's period in the communes of the offices the place covers, by kind (in the
    order of EVENT_KINDS, kinds with none left out). Two queries."""
    start, end = utc_bounds(campaign)
    held = (Event.status.in_(HELD), Event.starts_at >= start, Event.starts_at < end,
            Event.commune_id.in_(select(Commune.id).where(Commune.office_id.in_(where.covered_office_ids))))
    lines: dict[str, ActivityLine] = {}
    for kind, count, counted, items, reach in db.session.execute(
            select(Event.kind, func.count(), func.sum(Event.attendee_count), func.sum(Event.media_items),
                   func.sum(Event.reach)).where(*held).group_by(Event.kind)):
        lines[kind] = ActivityLine(kind, int(count), int(counted or 0), int(items or 0), int(reach or 0))
    for kind, people in db.session.execute(
            select(Event.kind, func.count(Attendance.id)).join(Attendance, Attendance.event_id == Event.id)
            .where(*held).group_by(Event.kind)):
        if kind in lines:
            lines[kind].attendees += int(people)
    return [lines[k] for k in EVENT_KINDS if k in lines]


@in_document_locale
def table(lines: list[ActivityLine]) -> Table:
    """The activities as a table of the printed and exported reports."""
    columns = [Column(pgettext("document", "Kind of activity"), "text", 40, 80),
               Column(pgettext("document", "Sessions held"), "int", 14, 30),
               Column(pgettext("document", "People attending"), "int", 14, 30),
               Column(pgettext("document", "Broadcasts, articles, posts"), "int", 16, 34),
               Column(pgettext("document", "People reached"), "int", 14, 30)]
    media = [line.kind == "media" for line in lines]
    rows = [[KIND_VI[line.kind], line.held, None if m else line.attendees, line.media_items if m else None,
             line.reach if m else None] for line, m in zip(lines, media, strict=True)]
    return Table(pgettext("document", "Activities by kind"), columns, rows,
                 total=[pgettext("document", "Total"), sum(line.held for line in lines), None, None, None]
                 if lines else None,
                 note=None if lines else pgettext("document", "No activity was held during the campaign."))
