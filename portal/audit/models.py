"""The audit log: who did what, when, to which object, from where, and how it ended."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..types import by_user, timestamp

OUTCOMES = ("success", "failure", "denied")


class AuditEntry(db.Model):
    """One audited action. Written by services, never edited or deleted from the interface."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_at", "at"),
        Index("ix_audit_entries_object", "object_type", "object_id"),
        Index("ix_audit_entries_user_at", "user_id", "at"),
    )

    #: Surrogate key.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: When it happened (UTC).
    at: Mapped[datetime] = timestamp()
    #: The signed-in user, if any.
    user_id: Mapped[int | None] = by_user()
    #: Username at the time (kept when the user is renamed; the attempted name for failed logins).
    username: Mapped[str | None] = mapped_column(String(64))
    #: What was done, e.g. "auth.login", "user.update", "export.households".
    action: Mapped[str] = mapped_column(String(64), index=True)
    #: Kind of object acted on, e.g. "user", "event".
    object_type: Mapped[str | None] = mapped_column(String(40))
    #: Id of the object acted on.
    object_id: Mapped[int | None] = mapped_column(Integer)
    #: Client address.
    ip: Mapped[str | None] = mapped_column(String(45))
    #: "success", "failure" or "denied".
    outcome: Mapped[str] = mapped_column(String(10), default="success")
    #: Further details (ID and phone numbers masked before they get here).
    details: Mapped[dict | None] = mapped_column(JSON)
