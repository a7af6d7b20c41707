"""The outreach network beyond the agents: collection points, the coverage rule per province, collaborators, and
who was trained at a training event."""

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
    select,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..geo.models import Commune, Hamlet
from ..org.models import Agent, AgentOrganisation
from ..types import InCommune, Named, OfEvent, PersonNamed, by_user, link_table, one_of, timestamp

#: Days of the week a collection point opens, Monday first.
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: What a collaborator (cộng tác viên) is in the commune.
COLLABORATOR_ROLES = ("hamlet_head", "association_leader", "commune_official", "health_worker", "other")

#: Agents who work at a collection point.
collection_point_agents = link_table(db.metadata, "collection_point_agents",
                                     point_id="collection_points.id", agent_id="agents.id")


class CollectionPoint(Named, db.Model):
    """A collection point (điểm thu): where people pay and sign up, in a commune or one of its hamlets."""

    __tablename__ = "collection_points"

    #: Surrogate key.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Name, e.g. "Điểm thu Bưu điện văn hóa xã Khao Mang".
    name: Mapped[str] = mapped_column(String(200))
    #: Commune it serves.
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"), index=True)
    #: Hamlet it sits in, when it serves one hamlet (None: the whole commune).
    hamlet_id: Mapped[int | None] = mapped_column(ForeignKey("hamlets.id", ondelete="SET NULL"), index=True)
    #: The agent organisation that runs it.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("agent_organisations.id", ondelete="SET NULL"))
    #: Address or landmark.
    address: Mapped[str | None] = mapped_column(String(300))
    #: Opening days: codes of :data:`WEEKDAYS` separated by spaces, Monday first.
    opening_days: Mapped[str] = mapped_column(String(30), default="")
    #: Opening hours as written, e.g. "7:30–11:00".
    hours: Mapped[str | None] = mapped_column(String(60))
    #: Closed points keep their history but do not count in the coverage.
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Vietnamese sort key of the name.
    sort_key: Mapped[str] = mapped_column(String(800))

    commune: Mapped[Commune] = relationship(lazy="raise_on_sql")
    hamlet: Mapped[Hamlet | None] = relationship(lazy="raise_on_sql")
    organisation: Mapped[AgentOrganisation | None] = relationship(lazy="raise_on_sql")
    agents: Mapped[list[Agent]] = relationship(secondary=collection_point_agents, lazy="raise_on_sql")

    @property
    def days(self) -> list[str]:
        return [d for d in (self.opening_days or "").split() if d in WEEKDAYS]

    @classmethod
    def scope_clause(cls, scope):
        """Points in the scope's communes; an agent sees the points of the communes they work in."""
        if scope.kind == "agent":
            from ..org.models import agent_communes

            return cls.commune_id.in_(select(agent_communes.c.commune_id)
                                      .where(agent_communes.c.agent_id == scope.agent_id))
        return scope.communes(cls.commune_id)


class CoverageRule(db.Model):
    """The province office's rule of thumb for the network in a campaign's communes: points and agents per hamlet."""

    __tablename__ = "coverage_rules"
    __table_args__ = (CheckConstraint("points_per_hamlet >= 0 AND agents_per_hamlet >= 0", name="counts"),)

    #: Surrogate key.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The province (one rule each).
    province_id: Mapped[int] = mapped_column(ForeignKey("provinces.id"), unique=True)
    #: Collection points each hamlet should have (default 1).
    points_per_hamlet: Mapped[int] = mapped_column(Integer, default=1)
    #: Active agents each hamlet should have (default 3).
    agents_per_hamlet: Mapped[int] = mapped_column(Integer, default=3)
    #: Who set it last, when (UTC).
    updated_by_id: Mapped[int | None] = by_user()
    updated_at: Mapped[datetime] = timestamp(on_update=True)


class Collaborator(PersonNamed, InCommune, db.Model):
    """Someone who is not an agent but helps the outreach (hamlet head, association leader, commune official…)."""

    __tablename__ = "collaborators"
    __table_args__ = (one_of("role", COLLABORATOR_ROLES, name="role"),)

    #: Surrogate key.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Full name (NFC).
    full_name: Mapped[str] = mapped_column(String(120))
    #: One of :data:`COLLABORATOR_ROLES`.
    role: Mapped[str] = mapped_column(String(20))
    #: Position as written, e.g. "Chi hội trưởng Hội Phụ nữ thôn Khe Cam".
    position: Mapped[str | None] = mapped_column(String(200))
    #: Commune they work in, and hamlet if one.
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"), index=True)
    hamlet_id: Mapped[int | None] = mapped_column(ForeignKey("hamlets.id", ondelete="SET NULL"))
    #: Phone (personal data).
    phone: Mapped[str | None] = mapped_column(String(10))
    #: Date of their last training, if any (kept by the training events they attend).
    trained_on: Mapped[date | None] = mapped_column(Date)
    #: Inactive collaborators keep their history.
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Sort key by given name, and the name without diacritics.
    sort_key: Mapped[str] = mapped_column(String(400))
    search_name: Mapped[str] = mapped_column(String(120))

    commune: Mapped[Commune] = relationship(lazy="raise_on_sql")
    hamlet: Mapped[Hamlet | None] = relationship(lazy="raise_on_sql")


class TrainingParticipant(OfEvent, db.Model):
    """An agent or a collaborator who attended a training event: their training history."""

    __tablename__ = "training_participants"
    __table_args__ = (
        CheckConstraint("(agent_id IS NULL) <> (collaborator_id IS NULL)", name="who"),
        Index("uq_training_participants_agent", "event_id", "agent_id", unique=True,
              postgresql_where=text("agent_id IS NOT NULL"), sqlite_where=text("agent_id IS NOT NULL")),
        Index("uq_training_participants_collaborator", "event_id", "collaborator_id", unique=True,
              postgresql_where=text("collaborator_id IS NOT NULL"),
              sqlite_where=text("collaborator_id IS NOT NULL")),
    )

    #: Surrogate key.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The training event.
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    #: The agent, or the collaborator, who attended.
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"), index=True)
    collaborator_id: Mapped[int | None] = mapped_column(ForeignKey("collaborators.id", ondelete="CASCADE"),
                                                       index=True)
    #: The person's training date before this training was recorded (restored if it is taken back).
    previous_trained_on: Mapped[date | None] = mapped_column(Date)
    #: Who recorded it and when (UTC).
    recorded_by_id: Mapped[int | None] = by_user()
    recorded_at: Mapped[datetime] = timestamp()


__all__ = ["COLLABORATOR_ROLES", "WEEKDAYS", "Collaborator", "CollectionPoint", "CoverageRule",
           "TrainingParticipant", "collection_point_agents"]
