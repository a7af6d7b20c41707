"""Pre-visit lists: the households chosen for an event, who visits them, and what each visit found."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..types import OfEvent, UTCDateTime, by_user, one_of, timestamp

#: What a visit found, in the order an agent meets them.
OUTCOMES = ("consulted", "not_home", "interested", "invited", "declined", "already_insured")
#: Reasons offered when a household declines.
DECLINE_REASONS = ("no_money", "not_interested", "too_old", "has_other_insurance", "distrust", "away", "other")
#: Outcomes that count as "visited".
VISITED = ("consulted", "interested", "invited", "declined", "already_insured")


class VisitList(OfEvent, db.Model):
    """The pre-visit list of one event: which households agents visit and invite before it."""

    __tablename__ = "visit_lists"

    #: Surrogate key.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The event the visits prepare (one list per event).
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    #: The filters the list was built from (hamlets, tags, coverage, ages, not visited for N days).
    criteria: Mapped[dict | None] = mapped_column(JSON)
    #: Next row number to give (row numbers are stable and never reused within a list).
    next_row: Mapped[int] = mapped_column(Integer, default=1)
    #: Who built it and when (UTC).
    created_by_id: Mapped[int | None] = by_user()
    created_at: Mapped[datetime] = timestamp()

    assignments: Mapped[list[VisitAssignment]] = relationship(back_populates="visit_list", lazy="raise_on_sql",
                                                              cascade="all, delete-orphan")


class VisitAssignment(db.Model):
    """One household on a pre-visit list, with the agent who visits it and the latest outcome."""

    __tablename__ = "visit_assignments"
    __table_args__ = (
        UniqueConstraint("visit_list_id", "household_id", name="uq_visit_assignments_list_household"),
        UniqueConstraint("visit_list_id", "row_number", name="uq_visit_assignments_list_row"),
        one_of("outcome", OUTCOMES, or_null=True, name="outcome"),
        Index("ix_visit_assignments_agent_list", "agent_id", "visit_list_id"),
        Index("ix_visit_assignments_list_order", "visit_list_id", "walk_key"),
        # Reports count listed and visited households per event from this index alone (migration 0012).
        Index("ix_visit_assignments_list_outcome", "visit_list_id", "outcome", "household_id"),
    )

    #: Surrogate key.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The list.
    visit_list_id: Mapped[int] = mapped_column(ForeignKey("visit_lists.id", ondelete="CASCADE"))
    #: The household to visit.
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), index=True)
    #: Its hamlet and commune (for territory filters and walking order without joins).
    hamlet_id: Mapped[int] = mapped_column(ForeignKey("hamlets.id"))
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    #: Row number printed on paper lists; stable for the life of the list.
    row_number: Mapped[int] = mapped_column(Integer)
    #: Walking order: hamlet, then address.
    walk_key: Mapped[str] = mapped_column(String(1200))
    #: The agent who visits (None until assigned).
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    #: Latest outcome and when it was recorded.
    outcome: Mapped[str | None] = mapped_column(String(16))
    outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When to come back (not at home, interested).
    follow_up_on: Mapped[date | None] = mapped_column(Date)
    #: Optimistic-locking version.
    version: Mapped[int] = mapped_column(Integer, default=1)

    visit_list: Mapped[VisitList] = relationship(back_populates="assignments", lazy="raise_on_sql")

    __mapper_args__ = {"version_id_col": version}

    @classmethod
    def scope_clause(cls, scope):
        """An agent sees their own assignments; officers those in their territory."""
        if scope.kind == "agent":
            return cls.agent_id == scope.agent_id
        return scope.communes(cls.commune_id)


class Visit(db.Model):
    """One recorded visit outcome (the history; the assignment keeps the latest)."""

    __tablename__ = "visits"
    __table_args__ = (
        one_of("outcome", OUTCOMES, name="outcome"),
        Index("ix_visits_household_at", "household_id", "recorded_at"),
    )

    #: Surrogate key.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The assignment the visit belongs to (None for a visit outside any list).
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("visit_assignments.id", ondelete="SET NULL"),
                                                      index=True)
    #: The household, and the member when the outcome is for one person.
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), index=True)
    #: The agent who visited.
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), index=True)
    #: One of OUTCOMES.
    outcome: Mapped[str] = mapped_column(String(16))
    #: One of DECLINE_REASONS when declined.
    decline_reason: Mapped[str | None] = mapped_column(String(24))
    #: People expected at the event (when invited).
    expected_attendees: Mapped[int | None] = mapped_column(Integer)
    #: Free note.
    note: Mapped[str | None] = mapped_column(Text)
    #: When to come back.
    follow_up_on: Mapped[date | None] = mapped_column(Date)
    #: Entered later from a paper list.
    from_paper: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Recorded after the event had started (flagged for supervisors).
    after_event: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Who recorded it and when (UTC).
    recorded_by_id: Mapped[int | None] = by_user()
    recorded_at: Mapped[datetime] = timestamp()
    #: A client-generated token that makes a resubmitted form create nothing new.
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    @classmethod
    def scope_clause(cls, scope):
        """Visits of households in the scope."""
        from ..households.models import Household

        return cls.household_id.in_(select(Household.id).where(Household.scope_clause(scope)))


class AgentQuota(db.Model):
    """How many visits an agent takes on one list at most."""

    __tablename__ = "agent_quotas"

    #: The list and the agent.
    visit_list_id: Mapped[int] = mapped_column(ForeignKey("visit_lists.id", ondelete="CASCADE"), primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"), primary_key=True)
    #: Most households the agent is given.
    max_visits: Mapped[int] = mapped_column(Integer)
