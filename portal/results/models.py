"""Invitations, attendance, sign-ups and event results."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    select,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..types import OfEvent, UTCDateTime, by_user, timestamp, value_checks

SCHEMES = ("bhxh_tn", "bhyt_hgd")
SIGNUP_KINDS = ("new", "renewal", "adjustment")
#: "recorded" until the office confirms it (an event's results, or a batch of receipts); "duplicate" for a
#: second record of an enrolment already recorded (it never counts, ``duplicate_of_id`` names the one kept).
SIGNUP_STATUSES = ("recorded", "confirmed", "duplicate")
#: Where a sign-up was made: at an event, on a door-to-door visit, at a collection point or post-office counter,
#: online (VssID or the public service portal, reported back to the office), or elsewhere.
CHANNELS = ("event", "door", "counter", "online", "other")
#: The state-support category a BHXH TN sign-up is declared under (D05-TS "đối tượng"): the one that gives the
#: highest rate (Decree 159/2025: poor household or island commune 50%, near-poor 40%, ethnic minority 30%,
#: others 20%).
#: Listed from the highest rate down.
SUPPORT_CATEGORIES = ("poor", "island", "near_poor", "ethnic_minority", "other")


class Invitation(OfEvent, db.Model):
    """An invitation letter (giấy mời) to an event for a household, delivered by an agent."""

    __tablename__ = "invitations"
    __table_args__ = (
        UniqueConstraint("event_id", "household_id", name="uq_invitations_event_household"),
        UniqueConstraint("event_id", "sheet_row", name="uq_invitations_event_sheet_row"),
    )

    #: Surrogate key.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The event and the invited household (and the person named on the letter, if any).
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    #: The agent who delivers it.
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    #: Random token in the QR code: opens this invitation's check-in (no personal data in it).
    token: Mapped[str] = mapped_column(String(32), unique=True)
    #: People expected to come from the household.
    expected_attendees: Mapped[int] = mapped_column(Integer, default=1)
    #: When the letter was handed over.
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Row number on the attendance sheet, given when the sheet is first printed (stable afterwards).
    sheet_row: Mapped[int | None] = mapped_column(Integer)
    #: Numbered after the sheet was first printed: the row comes after the others, out of name order, and the
    #: sheet says so.
    late: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: When it was created (UTC).
    created_at: Mapped[datetime] = timestamp()


class Attendance(OfEvent, db.Model):
    """Someone who came to an event: an invited person, or a walk-in."""

    __tablename__ = "attendances"
    __table_args__ = (
        Index("uq_attendances_event_person", "event_id", "person_id", unique=True,
              postgresql_where=text("person_id IS NOT NULL"), sqlite_where=text("person_id IS NOT NULL")),
        Index("ix_attendances_event", "event_id"),
        # Reports count the households at each event from this index alone (migration 0012).
        Index("ix_attendances_event_household", "event_id", "household_id"),
    )

    #: Surrogate key.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The event.
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    #: The person (None for a walk-in nobody could match yet) and their household.
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), index=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id", ondelete="SET NULL"))
    #: The invitation they came with, if any.
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitations.id", ondelete="SET NULL"))
    #: Came without an invitation.
    walk_in: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Name, phone and hamlet as given at the door (walk-ins).
    name: Mapped[str | None] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(10))
    hamlet_id: Mapped[int | None] = mapped_column(ForeignKey("hamlets.id"))
    #: When they were checked in, by whom, and whether from the paper sheet afterwards.
    checked_in_at: Mapped[datetime] = timestamp()
    recorded_by_id: Mapped[int | None] = by_user()
    from_paper: Mapped[bool] = mapped_column(Boolean, default=False)
    #: A client token that makes a resubmitted check-in create nothing new.
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)


class SignUp(db.Model):
    """A person signing up for voluntary social insurance or household health insurance."""

    __tablename__ = "signups"
    __table_args__ = (
        *value_checks(scheme=SCHEMES, kind=SIGNUP_KINDS, status=SIGNUP_STATUSES, channel=CHANNELS,
                      support_category=SUPPORT_CATEGORIES),
        CheckConstraint("net >= 0 AND amount_due >= 0", name="amounts"),
        Index("uq_signups_event_person_scheme", "event_id", "person_id", "scheme", unique=True,
              postgresql_where=text("event_id IS NOT NULL"), sqlite_where=text("event_id IS NOT NULL")),
        Index("ix_signups_event", "event_id"),
        Index("ix_signups_signed_on", "signed_on"),
        Index("ix_signups_commune_signed", "commune_id", "signed_on"),
        # Reports count sign-ups per event and per commune and day from these indexes alone (migration 0012).
        Index("ix_signups_event_kind_household", "event_id", "kind", "household_id"),
        Index("ix_signups_commune_day_scheme", "commune_id", "signed_on", "status", "scheme", "kind",
              "credited_agent_id", "agent_id"),
        # The year's work and the periodic report count a province's sign-ups per day and channel, with the
        # amounts, from this index alone; the newest change is the reports' fingerprint (migration 0021).
        Index("ix_signups_day_channel", "signed_on", "status", "channel", "scheme", "kind", "commune_id", "net"),
        Index("ix_signups_updated_at", "updated_at"),
    )

    #: Surrogate key.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Who signs up, their household and commune (for territory filters).
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"))
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    #: The event where they signed up, if any.
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    #: One of CHANNELS: "event" for a sign-up at an event, else where it was made outside any event.
    channel: Mapped[str] = mapped_column(String(10), default="event", server_default="event")
    #: The agent who signed them up, and the agent credited for the visit that won them (attribution).
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), index=True)
    credited_agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), index=True)
    #: "bhxh_tn" or "bhyt_hgd"; "new", "renewal" or "adjustment".
    scheme: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(10), default="new")
    #: BHXH TN: chosen monthly income, payment mode and months paid.
    chosen_income: Mapped[int | None] = mapped_column(Integer)
    payment_mode: Mapped[str | None] = mapped_column(String(20))
    months: Mapped[int] = mapped_column(Integer, default=1)
    #: The first month paid for (the 1st of that month): BHXH TN "từ tháng", BHYT the card's first month.
    #: None on sign-ups recorded before it was asked: declared from the month of ``signed_on``.
    from_month: Mapped[date | None] = mapped_column(Date)
    #: BHXH TN: one of SUPPORT_CATEGORIES, the category the state support was given for (None: before it was
    #: recorded, derived again from the household and the person when declared).
    support_category: Mapped[str | None] = mapped_column(String(16))
    #: BHYT HGĐ: the member's order in the household (1 = first member).
    member_order: Mapped[int | None] = mapped_column(Integer)
    #: BHYT HGĐ: the facility chosen for initial care (nơi đăng ký KCB ban đầu), from the register of the
    #: person's province; None before the register was filled in, and for BHXH TN.
    facility_id: Mapped[int | None] = mapped_column(ForeignKey("facilities.id"), index=True)
    #: Amounts in đồng: due, state support, local support, net payable; and the net the calculator gave.
    amount_due: Mapped[int] = mapped_column(Integer)
    support: Mapped[int] = mapped_column(Integer, default=0)
    local_support: Mapped[int] = mapped_column(Integer, default=0)
    net: Mapped[int] = mapped_column(Integer)
    computed_net: Mapped[int] = mapped_column(Integer)
    #: Why the amount differs from the calculator's (required when it does).
    override_reason: Mapped[str | None] = mapped_column(String(300))
    #: Receipt number (biên lai) and the receipt's date, if it differs from the sign-up's.
    receipt_number: Mapped[str | None] = mapped_column(String(40))
    #: Day of the receipt (D03-TS "ngày biên lai"), if it differs from the sign-up's.
    receipt_date: Mapped[date | None] = mapped_column(Date)
    #: Outside events: the collection point or counter where it was paid (free text: "Bưu điện xã …").
    collection_point: Mapped[str | None] = mapped_column(String(120))
    #: Outside events: the office's confirmation batch that made it count.
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("signup_batches.id", ondelete="SET NULL"), index=True)
    #: A duplicate: the sign-up kept in its place (the same person, scheme and period recorded twice).
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("signups.id", ondelete="SET NULL"))
    #: Day of the sign-up.
    signed_on: Mapped[date] = mapped_column(Date)
    #: "recorded"; "confirmed" with the event's results or the batch; "duplicate" (never counts).
    status: Mapped[str] = mapped_column(String(10), default="recorded")
    #: Row on the paper sign-up sheet, if entered from one.
    sheet_row: Mapped[int | None] = mapped_column(Integer)
    #: The declaration export (D05-TS / D03-TS) that carried it.
    export_batch_id: Mapped[int | None] = mapped_column(Integer, index=True)
    #: A client token that makes a resubmitted form create nothing new.
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    #: Optimistic-locking version.
    version: Mapped[int] = mapped_column(Integer, default=1)
    #: Who recorded it and when (UTC).
    created_by_id: Mapped[int | None] = by_user()
    created_at: Mapped[datetime] = timestamp()
    updated_at: Mapped[datetime] = timestamp(on_update=True)

    __mapper_args__ = {"version_id_col": version}

    @classmethod
    def scope_clause(cls, scope):
        """Sign-ups in the scope's communes; an agent sees those they made or are credited with."""
        if scope.kind == "agent":
            return (cls.agent_id == scope.agent_id) | (cls.credited_agent_id == scope.agent_id)
        return scope.communes(cls.commune_id)


class SignUpBatch(db.Model):
    """The office's confirmation of sign-ups made outside events: one agent's, organisation's or collection
    point's receipts over a period, checked against the money handed in; its sign-ups count from then on."""

    __tablename__ = "signup_batches"
    __table_args__ = (
        CheckConstraint("period_start <= period_end", name="period"),
        CheckConstraint("signups >= 0 AND total_net >= 0 AND handed_in >= 0", name="totals"),
    )

    #: Surrogate key.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Whose receipts: an agent, an agent organisation (the post office), or a collection point named freely.
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("agent_organisations.id"), index=True)
    collection_point: Mapped[str | None] = mapped_column(String(120))
    #: The days of the receipts (sign-up days), both included.
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    #: How many sign-ups it confirmed and the sum of what they paid (đồng); the money handed in, as counted.
    signups: Mapped[int] = mapped_column(Integer)
    total_net: Mapped[int] = mapped_column(Integer)
    handed_in: Mapped[int] = mapped_column(Integer)
    #: Why the money handed in differs from the receipts' total, and other notes for the record.
    notes: Mapped[str | None] = mapped_column(Text)
    #: Who confirmed it and when (UTC).
    confirmed_by_id: Mapped[int | None] = by_user()
    confirmed_at: Mapped[datetime] = timestamp(index=True)

    @classmethod
    def scope_clause(cls, scope):
        """Batches holding a sign-up of the scope."""
        return cls.id.in_(select(SignUp.batch_id).where(SignUp.batch_id.is_not(None), SignUp.scope_clause(scope)))


class EventResult(OfEvent, db.Model):
    """The confirmation of an event's results (after which they count in reports)."""

    __tablename__ = "event_results"

    #: The event.
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    #: When and by whom the results were confirmed (None: not yet).
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_by_id: Mapped[int | None] = by_user()
    #: Notes (biên bản).
    notes: Mapped[str | None] = mapped_column(Text)
    #: Optimistic-locking version.
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class Evidence(OfEvent, db.Model):
    """A photo or scan of a signed sheet, kept as evidence of an event's results."""

    __tablename__ = "evidence_files"

    #: Surrogate key.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The event.
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    #: What it shows ("attendance", "signups", "other") and the name it was uploaded with.
    kind: Mapped[str] = mapped_column(String(12))
    original_name: Mapped[str] = mapped_column(String(200))
    #: File name in the store's uploads/evidence/ (random), its type, size and SHA-256.
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    #: Who uploaded it and when.
    uploaded_by_id: Mapped[int | None] = by_user()
    uploaded_at: Mapped[datetime] = timestamp()

    #: Where evidence files are kept in the file store (portal.storage), by stored name.
    PREFIX = "uploads/evidence/"

    @classmethod
    def key_of(cls, stored_name: str) -> str:
        """The storage key of an evidence file."""
        return cls.PREFIX + stored_name

    @property
    def storage_key(self) -> str:
        """This file's storage key."""
        return self.key_of(self.stored_name)
