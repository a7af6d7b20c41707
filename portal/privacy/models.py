"""Data protection (Law 91/2025/QH15, Decree 356/2025): data-subject requests, erasures, retention runs."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, true
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..types import UTCDateTime, by_user, one_of, timestamp, value_checks

#: What a data subject asks for.
REQUEST_KINDS = ("access", "correction", "deletion", "objection")
#: received -> acknowledged -> done, or refused (with the reason in ``outcome``).
REQUEST_STATUSES = ("received", "acknowledged", "done", "refused")
#: How the request reached the office.
CHANNELS = ("in_person", "letter", "phone", "email", "other")
#: Statuses of a request that still needs work.
OPEN_STATUSES = ("received", "acknowledged")


class DataSubjectRequest(db.Model):
    """A request from a person about their personal data: access, correction, deletion or objection."""

    __tablename__ = "data_subject_requests"
    __table_args__ = (
        *value_checks(kind=REQUEST_KINDS, status=REQUEST_STATUSES, channel=CHANNELS),
        Index("ix_data_subject_requests_status_answer", "status", "answer_by"),
    )

    #: Surrogate key.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: One of REQUEST_KINDS.
    kind: Mapped[str] = mapped_column(String(12))
    #: One of REQUEST_STATUSES.
    status: Mapped[str] = mapped_column(String(12), default="received")
    #: The person the request is about (None while nobody in the registry matches).
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), index=True)
    #: Who made the request: the person or their representative, as they gave their name.
    requester_name: Mapped[str] = mapped_column(String(120))
    #: One of CHANNELS.
    channel: Mapped[str] = mapped_column(String(12), default="in_person")
    #: Day the request was received.
    received_on: Mapped[date] = mapped_column(Date)
    #: Last day to acknowledge it (2 working days) and to answer it.
    acknowledge_by: Mapped[date] = mapped_column(Date)
    answer_by: Mapped[date] = mapped_column(Date)
    #: Days it was acknowledged and answered.
    acknowledged_on: Mapped[date | None] = mapped_column(Date)
    answered_on: Mapped[date | None] = mapped_column(Date)
    #: What the person asks (free text).
    details: Mapped[str | None] = mapped_column(Text)
    #: What was done, or why it was refused.
    outcome: Mapped[str | None] = mapped_column(Text)
    #: Who recorded it, when it was recorded and last changed (UTC).
    created_by_id: Mapped[int | None] = by_user()
    created_at: Mapped[datetime] = timestamp()
    updated_at: Mapped[datetime] = timestamp(on_update=True)
    #: Optimistic-locking version, bumped on every change.
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __audit_type__ = "data_request"

    @property
    def is_open(self) -> bool:
        """Whether the request still needs work."""
        return self.status in OPEN_STATUSES

    @classmethod
    def scope_clause(cls, scope):
        """Requests are handled by administrators only (the views allow no other role)."""
        return true()


class Erasure(db.Model):
    """The trace of an erased person or household: what, why (the request), by whom and when. Irreversible."""

    __tablename__ = "erasures"
    __table_args__ = (
        one_of("object_type", ("person", "household"), name="object_type"),
        Index("ix_erasures_object", "object_type", "object_id"),
    )

    #: Surrogate key.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The deletion request that asked for it.
    request_id: Mapped[int] = mapped_column(ForeignKey("data_subject_requests.id"), index=True)
    #: "person" or "household", and its id (the anonymised row is kept so that results still add up).
    object_type: Mapped[str] = mapped_column(String(10))
    object_id: Mapped[int] = mapped_column(Integer)
    #: Names of the fields that were erased, and how many rows of each kind were touched.
    fields: Mapped[list] = mapped_column(JSON)
    counts: Mapped[dict] = mapped_column(JSON)
    #: Why, in the administrator's words.
    reason: Mapped[str | None] = mapped_column(Text)
    #: Who erased it and when (UTC).
    erased_by_id: Mapped[int | None] = by_user()
    erased_at: Mapped[datetime] = timestamp()

    @classmethod
    def scope_clause(cls, scope):
        """Erasures are read by administrators only."""
        return true()


class RetentionRun(db.Model):
    """One run of ``flask retention apply``: what was past retention and what was deleted."""

    __tablename__ = "retention_runs"

    #: Surrogate key.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: When it started and ended (UTC).
    started_at: Mapped[datetime] = timestamp()
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: A dry run counts and deletes nothing.
    dry_run: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Who ran it (e.g. "cli:root").
    username: Mapped[str | None] = mapped_column(String(64))
    #: Per rule: the setting used, the cut-off, and how many rows or files were (or would be) deleted.
    results: Mapped[dict] = mapped_column(JSON, default=dict)

    @classmethod
    def scope_clause(cls, scope):
        """Retention runs are read by administrators only."""
        return true()
