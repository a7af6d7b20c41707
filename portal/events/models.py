"""Events: outreach conferences, trainings, door-to-door days, mobile propaganda, dialogues, talks woven into
other meetings, round-tables, legal-advice sessions and media work; and speakers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..types import InOffice, PersonNamed, UTCDateTime, by_user, link_table, one_of, timestamp, value_checks

EVENT_KINDS = ("conference", "training", "door_to_door", "mobile_propaganda", "dialogue", "integrated_talk",
               "round_table", "legal_advice", "media")
#: Media work: loudspeaker broadcasts, articles (press, commune bulletin), posts (Zalo, Facebook pages).
MEDIA_CHANNELS = ("loudspeaker", "article", "post")
#: draft -> scheduled -> held -> results_entered -> closed; or cancelled (with a reason).
EVENT_STATUSES = ("draft", "scheduled", "held", "results_entered", "closed", "cancelled")
#: Leaflet variants: stable income in towns, low income, ethnic minorities.
LEAFLET_AUDIENCES = ("town", "low_income", "ethnic")


#: Speakers (báo cáo viên) of an event.
event_speakers = link_table(db.metadata, "event_speakers", event_id="events.id", speaker_id="speakers.id")

#: Collection agents working at an event (for an agent's own list and for double-booking checks).
event_agents = link_table(db.metadata, "event_agents", event_id="events.id", agent_id="agents.id")

#: Potential groups an event targets (codes from portal.households.models.POTENTIAL_GROUPS).
event_audiences = Table(
    "event_audiences",
    db.metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("tag", String(32), primary_key=True),
)


class Speaker(PersonNamed, InOffice, db.Model):
    """A conference speaker (báo cáo viên) kept in a small register per office."""

    __tablename__ = "speakers"

    #: Surrogate key.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Full name (NFC).
    full_name: Mapped[str] = mapped_column(String(120))
    #: Position and workplace, e.g. "Phó Giám đốc BHXH cơ sở Nghĩa Lộ".
    position: Mapped[str | None] = mapped_column(String(200))
    #: Phone (personal data).
    phone: Mapped[str | None] = mapped_column(String(10))
    #: Office whose register holds the speaker.
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    #: Inactive speakers are kept for history but not offered for new events.
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Sort key by given name.
    sort_key: Mapped[str] = mapped_column(String(400))


class Event(db.Model):
    """An outreach event held in a commune (optionally in one hamlet), part of a campaign or not."""

    __tablename__ = "events"
    __table_args__ = (
        *value_checks(kind=EVENT_KINDS, status=EVENT_STATUSES),
        CheckConstraint("ends_at > starts_at", name="period"),
        one_of("leaflet_audience", LEAFLET_AUDIENCES, name="leaflet_audience"),
        one_of("media_channel", MEDIA_CHANNELS, name="media_channel", or_null=True),
        Index("ix_events_commune_starts", "commune_id", "starts_at"),
        Index("ix_events_starts", "starts_at"),
        Index("ix_events_campaign", "campaign_id"),
    )

    #: Surrogate key.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: One of EVENT_KINDS.
    kind: Mapped[str] = mapped_column(String(20))
    #: Title, e.g. "Hội nghị tuyên truyền BHXH tự nguyện thôn Khe Cam".
    title: Mapped[str] = mapped_column(String(200))
    #: Campaign the event belongs to, if any.
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id", ondelete="SET NULL"))
    #: Commune where it takes place.
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    #: Hamlet where it takes place, if it is for one hamlet.
    hamlet_id: Mapped[int | None] = mapped_column(ForeignKey("hamlets.id"), index=True)
    #: Venue, e.g. "Nhà văn hóa thôn Khe Cam".
    venue: Mapped[str] = mapped_column(String(200))
    #: Start and end (UTC; shown in Vietnam time).
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: Organising BHXH office.
    organiser_office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    #: The agent organisation that organises it (a post office holding its own conference), if it is not the
    #: office's own event; the office above stays responsible for it.
    organiser_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("agent_organisations.id"), index=True)
    #: Co-organising agent organisation (post office, association), if any.
    co_organiser_id: Mapped[int | None] = mapped_column(ForeignKey("agent_organisations.id"))
    #: Expected number of attendees.
    expected_attendance: Mapped[int | None] = mapped_column(Integer)
    #: Notes.
    notes: Mapped[str | None] = mapped_column(Text)
    #: One of EVENT_STATUSES.
    status: Mapped[str] = mapped_column(String(16), default="draft")
    #: Why it was cancelled.
    cancel_reason: Mapped[str | None] = mapped_column(String(300))
    #: Leaflet variant the officer chose for this event (one of LEAFLET_AUDIENCES), if any.
    leaflet_audience: Mapped[str | None] = mapped_column(String(12))
    #: Integrated talk (tuyên truyền lồng ghép): the meeting that hosts it, e.g. "Họp Chi hội Phụ nữ thôn Khe Cam".
    host_meeting: Mapped[str | None] = mapped_column(String(200))
    #: People who came (integrated talks, round-tables, legal advice), counted on the day.
    attendee_count: Mapped[int | None] = mapped_column(Integer)
    #: Media work: the channel (one of MEDIA_CHANNELS), how many broadcasts, articles or posts, and their reach
    #: (listeners, readers or views as reported).
    media_channel: Mapped[str | None] = mapped_column(String(12))
    media_items: Mapped[int | None] = mapped_column(Integer)
    reach: Mapped[int | None] = mapped_column(Integer)
    #: Optimistic-locking version.
    version: Mapped[int] = mapped_column(Integer, default=1)
    #: Who created it, when, and when it last changed (UTC).
    created_by_id: Mapped[int | None] = by_user()
    created_at: Mapped[datetime] = timestamp()
    updated_at: Mapped[datetime] = timestamp(on_update=True)

    speakers: Mapped[list[Speaker]] = relationship(secondary=event_speakers, lazy="raise_on_sql")

    __mapper_args__ = {"version_id_col": version}

    @classmethod
    def scope_clause(cls, scope):
        """Events in the scope's communes; an agent sees the events they work at."""
        if scope.kind == "agent":
            from sqlalchemy import select

            return cls.id.in_(select(event_agents.c.event_id).where(event_agents.c.agent_id == scope.agent_id))
        return scope.communes(cls.commune_id)

    def __str__(self) -> str:
        return self.title
