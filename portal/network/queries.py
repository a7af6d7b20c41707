"""Reads for the network pages: collection points, the coverage table, collaborators and training records."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Select, distinct, func, or_, select

from ..auth.scope import Scope, scoped
from ..campaigns.models import Campaign, Target
from ..events.models import Event
from ..extensions import db
from ..geo.models import Commune, Hamlet, Province
from ..org.models import Agent, AgentOrganisation, Office, agent_communes, agent_hamlets
from .models import Collaborator, CollectionPoint, CoverageRule, TrainingParticipant, collection_point_agents

DEFAULT_POINTS, DEFAULT_AGENTS = 1, 3


def points(*, commune_id: int | None = None, q: str = "") -> Select:
    """Visible collection points with their commune, hamlet, organisation and number of agents, by commune."""
    agents = (select(collection_point_agents.c.point_id, func.count().label("n"))
              .group_by(collection_point_agents.c.point_id).subquery())
    stmt = (scoped(CollectionPoint, select(CollectionPoint, Commune.name, Hamlet.name, AgentOrganisation.name,
                                           func.coalesce(agents.c.n, 0)))
            .join(Commune, Commune.id == CollectionPoint.commune_id)
            .outerjoin(Hamlet, Hamlet.id == CollectionPoint.hamlet_id)
            .outerjoin(AgentOrganisation, AgentOrganisation.id == CollectionPoint.organisation_id)
            .outerjoin(agents, agents.c.point_id == CollectionPoint.id))
    if commune_id:
        stmt = stmt.where(CollectionPoint.commune_id == commune_id)
    if q:
        stmt = stmt.where(or_(CollectionPoint.name.ilike(f"%{q}%"), Commune.search_name.like(f"%{q}%")))
    return stmt.order_by(Commune.sort_key, CollectionPoint.sort_key)


def visible_communes() -> list[Commune]:
    """The communes a user may put a point or a collaborator in, by name."""
    return list(db.session.scalars(scoped(Commune).order_by(Commune.sort_key)))


def hamlets_of(commune_id: int | None) -> list[Hamlet]:
    return list(db.session.scalars(scoped(Hamlet).where(Hamlet.commune_id == (commune_id or 0))
                                   .order_by(Hamlet.sort_key)))


def point_choices(commune: Commune | None) -> dict:
    """What a point of this commune can be linked to: its hamlets, the organisations of its office, its agents."""
    if commune is None:
        return {"hamlets": [], "organisations": [], "agents": []}
    return {
        "hamlets": hamlets_of(commune.id),
        "organisations": list(db.session.scalars(scoped(AgentOrganisation).where(
            AgentOrganisation.office_id == (commune.office_id or 0)).order_by(AgentOrganisation.sort_key))),
        "agents": list(db.session.scalars(scoped(Agent).where(
            Agent.active.is_(True),
            Agent.id.in_(select(agent_communes.c.agent_id).where(agent_communes.c.commune_id == commune.id)))
            .order_by(Agent.sort_key))),
    }


def point_agent_ids(point_id: int) -> list[int]:
    return list(db.session.scalars(select(collection_point_agents.c.agent_id)
                                   .where(collection_point_agents.c.point_id == point_id)))


def rule_for(province_id: int) -> tuple[int, int]:
    """(points, agents) each hamlet should have in the province (1 and 3 unless the province set its own)."""
    rule = db.session.scalar(select(CoverageRule).where(CoverageRule.province_id == province_id))
    return (rule.points_per_hamlet, rule.agents_per_hamlet) if rule else (DEFAULT_POINTS, DEFAULT_AGENTS)


def provinces() -> list[Province]:
    return list(db.session.scalars(scoped(Province).order_by(Province.name)))


def offices() -> list[Office]:
    return list(db.session.scalars(scoped(Office).where(Office.kind == "local").order_by(Office.sort_key)))


def campaigns() -> list[Campaign]:
    return list(db.session.scalars(scoped(Campaign).order_by(Campaign.starts_on.desc())))


def campaign_communes(campaign_id: int) -> Select:
    """The communes of a campaign: those with a target, those of offices with a target, those with its events."""
    office_ids = select(Target.office_id).where(Target.campaign_id == campaign_id, Target.office_id.is_not(None))
    return select(Commune.id).where(or_(
        Commune.id.in_(select(Target.commune_id).where(Target.campaign_id == campaign_id)),
        Commune.office_id.in_(office_ids),
        Commune.id.in_(select(Event.commune_id).where(Event.campaign_id == campaign_id))))


@dataclass
class HamletCoverage:
    """One hamlet's line of the coverage table."""

    id: int
    name: str
    points: int
    agents: int
    needs_points: int
    needs_agents: int

    @property
    def points_short(self) -> bool:
        return self.points < self.needs_points

    @property
    def agents_short(self) -> bool:
        return self.agents < self.needs_agents

    @property
    def gap(self) -> bool:
        return self.points_short or self.agents_short


@dataclass
class CommuneCoverage:
    """A commune's block of the coverage table: its commune-wide points and its hamlets."""

    id: int
    name: str
    commune_points: int
    hamlets: list[HamletCoverage] = field(default_factory=list)

    @property
    def gaps(self) -> int:
        return sum(1 for h in self.hamlets if h.gap)

    @property
    def covered(self) -> int:
        return len(self.hamlets) - self.gaps


def coverage(*, office_id: int | None = None, campaign_id: int | None = None,
             scope: Scope | None = None) -> list[CommuneCoverage]:
    """Points and active agents per hamlet of the visible communes (of an office, or of a campaign), against the
    province's rule. Six queries whatever the number of communes."""
    stmt = scoped(Commune, select(Commune.id, Commune.name, Commune.province_id), scope)
    if office_id:
        stmt = stmt.where(Commune.office_id == office_id)
    if campaign_id:
        stmt = stmt.where(Commune.id.in_(campaign_communes(campaign_id)))
    communes = db.session.execute(stmt.order_by(Commune.sort_key)).all()
    ids = [c.id for c in communes]
    if not ids:
        return []
    rules = {p: (r.points_per_hamlet, r.agents_per_hamlet) for p, r in db.session.execute(
        select(CoverageRule.province_id, CoverageRule).where(
            CoverageRule.province_id.in_({c.province_id for c in communes})))}
    active = CollectionPoint.active.is_(True)
    by_hamlet = dict(db.session.execute(select(CollectionPoint.hamlet_id, func.count()).where(
        active, CollectionPoint.commune_id.in_(ids), CollectionPoint.hamlet_id.is_not(None))
        .group_by(CollectionPoint.hamlet_id)).all())
    by_commune = dict(db.session.execute(select(CollectionPoint.commune_id, func.count()).where(
        active, CollectionPoint.commune_id.in_(ids), CollectionPoint.hamlet_id.is_(None))
        .group_by(CollectionPoint.commune_id)).all())
    agents = dict(db.session.execute(
        select(agent_hamlets.c.hamlet_id, func.count(distinct(agent_hamlets.c.agent_id)))
        .join(Agent, Agent.id == agent_hamlets.c.agent_id).join(Hamlet, Hamlet.id == agent_hamlets.c.hamlet_id)
        .where(Agent.active.is_(True), Hamlet.commune_id.in_(ids)).group_by(agent_hamlets.c.hamlet_id)).all())
    table = {c.id: CommuneCoverage(c.id, c.name, by_commune.get(c.id, 0)) for c in communes}
    province_of = {c.id: c.province_id for c in communes}
    for hamlet in db.session.execute(select(Hamlet.id, Hamlet.name, Hamlet.commune_id)
                                     .where(Hamlet.commune_id.in_(ids)).order_by(Hamlet.sort_key)):
        need_points, need_agents = rules.get(province_of[hamlet.commune_id], (DEFAULT_POINTS, DEFAULT_AGENTS))
        table[hamlet.commune_id].hamlets.append(HamletCoverage(
            hamlet.id, hamlet.name, by_hamlet.get(hamlet.id, 0), agents.get(hamlet.id, 0), need_points,
            need_agents))
    return list(table.values())


def collaborators(*, q: str = "", commune_id: int | None = None, role: str | None = None) -> Select:
    """Visible collaborators with their commune and hamlet names, by given name."""
    stmt = (scoped(Collaborator, select(Collaborator, Commune.name, Hamlet.name))
            .join(Commune, Commune.id == Collaborator.commune_id)
            .outerjoin(Hamlet, Hamlet.id == Collaborator.hamlet_id))
    if q:
        stmt = stmt.where(Collaborator.search_name.like(f"%{q}%"))
    if commune_id:
        stmt = stmt.where(Collaborator.commune_id == commune_id)
    if role:
        stmt = stmt.where(Collaborator.role == role)
    return stmt.order_by(Collaborator.sort_key)


def trainings_of(*, agent_id: int | None = None, collaborator_id: int | None = None) -> list[Event]:
    """The training events a person attended, newest first."""
    column = TrainingParticipant.agent_id if agent_id else TrainingParticipant.collaborator_id
    return list(db.session.scalars(
        select(Event).join(TrainingParticipant, TrainingParticipant.event_id == Event.id)
        .where(column == (agent_id or collaborator_id)).order_by(Event.starts_at.desc())))


def training_people(event: Event) -> dict:
    """Who could have attended a training (the organising office's agents, collaborators of its communes, and
    anyone already recorded), and who is recorded."""
    rows = db.session.execute(select(TrainingParticipant.agent_id, TrainingParticipant.collaborator_id)
                              .where(TrainingParticipant.event_id == event.id)).all()
    agent_ids = {a for a, _c in rows if a}
    collaborator_ids = {c for _a, c in rows if c}
    office_communes = select(Commune.id).where(Commune.office_id == event.organiser_office_id)
    return {
        "agents": list(db.session.scalars(scoped(Agent).where(or_(
            Agent.office_id == event.organiser_office_id, Agent.id.in_(agent_ids or {0}))).order_by(Agent.sort_key))),
        "collaborators": list(db.session.scalars(scoped(Collaborator).where(or_(
            Collaborator.commune_id.in_(office_communes), Collaborator.commune_id == event.commune_id,
            Collaborator.id.in_(collaborator_ids or {0}))).order_by(Collaborator.sort_key))),
        "agent_ids": agent_ids, "collaborator_ids": collaborator_ids,
    }
