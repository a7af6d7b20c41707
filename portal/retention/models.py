"""Reminder contacts: what an agent or officer did to bring a participant whose payment falls due back to
paying, and what came of it."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..types import InHamlet, by_user, timestamp, value_checks

#: The schemes a reminder is about: voluntary social insurance (paid-until date) and household health
#: insurance (card expiry date).
SCHEMES = ("bhxh_tn", "bhyt_hgd")
#: How the person was reminded: a visit, a phone call, an SMS sent by the office's own SMS service.
METHODS = ("visit", "phone", "sms")
#: What came of it. "no_answer": reminded (an SMS sent, a call not picked up), nothing heard yet.
OUTCOMES = ("paid", "promised", "cannot_afford", "moved", "died", "compulsory", "refused", "no_answer")
#: Outcomes that take a person off the worklist for good (the person left the voluntary scheme's reach).
GONE = ("moved", "died", "compulsory")
#: Outcomes that close the reminder for the due date it was about (the next due date opens a new one).
SETTLED = ("paid", "refused")


class RetentionContact(InHamlet, db.Model):
    """One reminder to a participant whose payment falls due (or who stopped paying), and its outcome."""

    __tablename__ = "retention_contacts"
    __table_args__ = (
        *value_checks(scheme=SCHEMES, method=METHODS, outcome=OUTCOMES),
        CheckConstraint("(outcome = 'promised') = (promised_on IS NOT NULL)", name="promised_on"),
        # The latest contact of a person for a scheme (worklists, the due list), and whether any found them
        # gone, read from the index alone.
        Index("ix_retention_contacts_person", "person_id", "scheme", "id", "outcome"),
        # Figures per commune and month, and the SMS list's "reminded lately", read from the index alone.
        Index("ix_retention_contacts_commune_day", "commune_id", "contacted_on", "scheme", "outcome", "method",
              "hamlet_id"),
        # Promises falling due: they bring the person back on the worklist.
        Index("ix_retention_contacts_promised", "promised_on", "commune_id", "hamlet_id"),
    )

    #: Surrogate key.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Who was reminded.
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    #: Hamlet and commune of the person at the time (territory filters and figures need no join).
    hamlet_id: Mapped[int] = mapped_column(ForeignKey("hamlets.id"))
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    #: One of SCHEMES.
    scheme: Mapped[str] = mapped_column(String(10))
    #: The paid-until date (BHXH TN) or card expiry date (BHYT) the reminder was about.
    due_on: Mapped[date | None] = mapped_column(Date)
    #: One of METHODS.
    method: Mapped[str] = mapped_column(String(8))
    #: One of OUTCOMES.
    outcome: Mapped[str] = mapped_column(String(14))
    #: The day the person promised to pay by (outcome "promised" only): they come back on the list that day.
    promised_on: Mapped[date | None] = mapped_column(Date)
    #: Free note.
    note: Mapped[str | None] = mapped_column(Text)
    #: The agent who made the contact (None when an officer did).
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), index=True)
    #: The local day of the contact.
    contacted_on: Mapped[date] = mapped_column(Date)
    #: Who recorded it and when (UTC).
    recorded_by_id: Mapped[int | None] = by_user()
    recorded_at: Mapped[datetime] = timestamp()
    #: A client-generated token that makes a resubmitted form create nothing new.
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)

