"""Reads for the pre-visit pages: the list with its households, supervision counts, an agent's work, and
what the pages offer (hamlets, agents, households to add)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, select

from ..auth.scope import scoped
from ..events.models import Event
from ..extensions import db
from ..geo.models import Hamlet
from ..households.models import Household, Person
from ..i18n.collation import fold_diacritics
from ..org.models import Agent, agent_hamlets
from ..types import utcnow
from .models import VISITED, AgentQuota, VisitAssignment, VisitList


@dataclass
class AgentProgress:
    """Counts for one agent on one list (agent None: households nobody was given)."""

    agent_id: int | None
    agent_name: str
    assigned: int
    visited: int
    invited: int
    declined: int
    not_home: int
    last_outcome_at: datetime | None

    @property
    def share_done(self) -> float:
        return 100.0 * self.visited / self.assigned if self.assigned else 0.0


def progress(visit_list_id: int) -> list[AgentProgress]:
    """Assigned, visited, invited and declined per agent, in one query."""
    visited = func.sum(case((VisitAssignment.outcome.in_(VISITED), 1), else_=0))
    rows = db.session.execute(
        select(VisitAssignment.agent_id, Agent.full_name, func.count(), visited,
               func.sum(case((VisitAssignment.outcome == "invited", 1), else_=0)),
               func.sum(case((VisitAssignment.outcome == "declined", 1), else_=0)),
               func.sum(case((VisitAssignment.outcome == "not_home", 1), else_=0)),
               func.max(VisitAssignment.outcome_at))
        .outerjoin(Agent, Agent.id == VisitAssignment.agent_id)
        .where(VisitAssignment.visit_list_id == visit_list_id)
        .group_by(VisitAssignment.agent_id, Agent.full_name, Agent.sort_key)
        .order_by(Agent.sort_key)
    ).all()
    return [AgentProgress(r[0], r[1] or "", r[2], r[3] or 0, r[4] or 0, r[5] or 0, r[6] or 0, r[7]) for r in rows]


def is_stalled(event: Event, rows: list[AgentProgress], now: datetime | None = None, *,
               built_at: datetime | None = None) -> bool:
    """Less than half visited with three days or less to go, or nothing recorded for three days since the last
    outcome or since the list was built (a list just built is not yet slow)."""
    now = now or utcnow()
    total = sum(r.assigned for r in rows)
    if not total or event.starts_at <= now:
        return False
    done = sum(r.visited for r in rows)
    last = max((r.last_outcome_at for r in rows if r.last_outcome_at), default=None)
    if built_at is not None and (last is None or built_at > last):
        last = built_at
    close = event.starts_at - now <= timedelta(days=3)
    quiet = last is None or now - last >= timedelta(days=3)
    return (close and done * 2 < total) or (quiet and done < total and event.starts_at - now <= timedelta(days=10))


def assignment_rows(visit_list_id: int, *, agent_id: int | None = None, outcome: str | None = None,
                    hamlet_id: int | None = None, unassigned: bool = False):
    """The list's households in row order, with head, address, hamlet and agent."""
    stmt = (
        select(VisitAssignment, Household.head_name, Household.address, Hamlet.name, Agent.full_name)
        .join(Household, Household.id == VisitAssignment.household_id)
        .join(Hamlet, Hamlet.id == VisitAssignment.hamlet_id)
        .outerjoin(Agent, Agent.id == VisitAssignment.agent_id)
        .where(VisitAssignment.visit_list_id == visit_list_id)
        .order_by(VisitAssignment.row_number)
    )
    if agent_id:
        stmt = stmt.where(VisitAssignment.agent_id == agent_id)
    if unassigned:
        stmt = stmt.where(VisitAssignment.agent_id.is_(None))
    if outcome == "pending":
        stmt = stmt.where(VisitAssignment.outcome.is_(None))
    elif outcome:
        stmt = stmt.where(VisitAssignment.outcome == outcome)
    if hamlet_id:
        stmt = stmt.where(VisitAssignment.hamlet_id == hamlet_id)
    return stmt


def agent_work(agent_id: int, now: datetime | None = None):
    """An agent's households on lists of events that have not ended more than a day ago, in walking order."""
    now = now or utcnow()
    return db.session.execute(
        select(VisitAssignment, Event, Household.head_name, Household.address, Household.phone, Hamlet.name,
               Household.version)
        .join(VisitList, VisitList.id == VisitAssignment.visit_list_id)
        .join(Event, Event.id == VisitList.event_id)
        .join(Household, Household.id == VisitAssignment.household_id)
        .join(Hamlet, Hamlet.id == VisitAssignment.hamlet_id)
        .where(VisitAssignment.agent_id == agent_id, Event.ends_at >= now - timedelta(days=1),
               Event.status != "cancelled")
        .order_by(Event.starts_at, VisitAssignment.walk_key, VisitAssignment.row_number)
    ).all()


def list_for(event_id: int) -> VisitList | None:
    """The event's pre-visit list, if it has one."""
    return db.session.scalar(select(VisitList).where(VisitList.event_id == event_id))


def event_of_list(visit_list_id: int) -> Event | None:
    """The event a pre-visit list is for."""
    return db.session.scalar(select(Event).join(VisitList, VisitList.event_id == Event.id).where(
        VisitList.id == visit_list_id))


def hamlets_in_scope(commune_id: int) -> list[Hamlet]:
    """The visible hamlets of a commune, in name order."""
    return list(db.session.scalars(scoped(Hamlet).where(Hamlet.commune_id == commune_id).order_by(Hamlet.sort_key)))


def agents_for(commune_id: int) -> list[Agent]:
    """Visible active agents covering a hamlet of the commune."""
    hamlet_ids = select(Hamlet.id).where(Hamlet.commune_id == commune_id)
    return list(db.session.scalars(
        scoped(Agent).where(Agent.active.is_(True),
                            Agent.id.in_(select(agent_hamlets.c.agent_id).where(
                                agent_hamlets.c.hamlet_id.in_(hamlet_ids))))
        .order_by(Agent.sort_key)))


def quotas(visit_list_id: int) -> dict[int, int]:
    """The most visits each agent takes on a list, by agent id."""
    return dict(db.session.execute(select(AgentQuota.agent_id, AgentQuota.max_visits).where(
        AgentQuota.visit_list_id == visit_list_id)).all())


def rows_by_number(visit_list_id: int) -> dict[int, VisitAssignment]:
    """A list's households by their row number on the paper list."""
    return {a.row_number: a for a in db.session.scalars(select(VisitAssignment).where(
        VisitAssignment.visit_list_id == visit_list_id))}


def households_of_commune(commune_id: int, household_ids) -> list[int]:
    """Which of these households are visible and in the commune."""
    return list(db.session.scalars(scoped(Household, select(Household.id)).where(
        Household.id.in_(list(household_ids)), Household.commune_id == commune_id)))


def find_households(commune_id: int, text: str):
    """Visible households of the commune whose head's name contains ``text`` (id, head, address, hamlet; 30 at
    most, in name order)."""
    return db.session.execute(
        scoped(Household, select(Household.id, Household.head_name, Household.address, Hamlet.name))
        .join(Hamlet, Hamlet.id == Household.hamlet_id)
        .where(Household.commune_id == commune_id, Household.match_key.like(f"%{fold_diacritics(text)}%"))
        .order_by(Household.sort_key).limit(30)).all()


def members(household_id: int) -> list[Person]:
    """The people of a household, in the order they were recorded."""
    return list(db.session.scalars(select(Person).where(Person.household_id == household_id).order_by(Person.id)))


def agent_outcomes(event_id: int, agent_id: int | None) -> list[str | None]:
    """The outcomes of an agent's households on the event's list."""
    return list(db.session.scalars(
        select(VisitAssignment.outcome).join(VisitList, VisitList.id == VisitAssignment.visit_list_id)
        .where(VisitList.event_id == event_id, VisitAssignment.agent_id == agent_id)))
