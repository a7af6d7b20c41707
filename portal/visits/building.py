"""Building a pre-visit list from criteria, and splitting it among agents in walking order."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, exists, func, insert, select, update

from ..extensions import db
from ..geo.models import Hamlet
from ..households.models import Household, Person, person_tags
from ..org.models import Agent, agent_hamlets
from ..types import utcnow
from .models import AgentQuota, Visit, VisitAssignment, VisitList

#: Coverage filters offered when building a list.
COVERAGE_FILTERS = ("not_participating", "stopped_paying", "bhyt_expiring")


@dataclass
class Criteria:
    """Which households of the event's commune to put on the list."""

    hamlet_ids: list[int] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    coverage: list[str] = field(default_factory=list)
    min_age: int | None = None
    max_age: int | None = None
    not_visited_days: int | None = None
    bhyt_within_days: int = 60

    def as_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, [], "")}


def _birth_bounds(on: date, min_age: int | None, max_age: int | None):
    """Dates of birth for ages in [min_age, max_age] on a day."""
    latest = on.replace(year=on.year - min_age) if min_age is not None else None
    earliest = on.replace(year=on.year - max_age - 1) + timedelta(days=1) if max_age is not None else None
    return earliest, latest


def candidates(commune_id: int, criteria: Criteria, on: date, now: datetime | None = None):
    """A select of the ids of matching households in the commune (every filter must hold)."""
    now = now or utcnow()
    stmt = select(Household.id).where(Household.commune_id == commune_id)
    if criteria.hamlet_ids:
        stmt = stmt.where(Household.hamlet_id.in_(criteria.hamlet_ids))
    member = [Person.household_id == Household.id]
    if criteria.min_age is not None or criteria.max_age is not None:
        earliest, latest = _birth_bounds(on, criteria.min_age, criteria.max_age)
        if earliest:
            member.append(Person.date_of_birth >= earliest)
        if latest:
            member.append(Person.date_of_birth <= latest)
    if criteria.tags:
        member.append(exists().where(person_tags.c.person_id == Person.id, person_tags.c.tag.in_(criteria.tags)))
    coverage = []
    if "not_participating" in criteria.coverage:
        coverage.append(and_(Person.bhxh_tn_status == "never", Person.compulsory_insured.is_(False)))
    if "stopped_paying" in criteria.coverage:
        coverage.append(Person.bhxh_tn_status == "stopped")
    if "bhyt_expiring" in criteria.coverage:
        coverage.append(and_(Person.bhyt_expires_on.is_not(None),
                             Person.bhyt_expires_on <= on + timedelta(days=criteria.bhyt_within_days)))
    if coverage:
        from sqlalchemy import or_

        member.append(or_(*coverage))
    if len(member) > 1:
        stmt = stmt.where(exists().where(*member))
    if criteria.not_visited_days:
        since = now - timedelta(days=criteria.not_visited_days)
        stmt = stmt.where(~exists().where(Visit.household_id == Household.id, Visit.recorded_at >= since))
    return stmt


def count_candidates(commune_id: int, criteria: Criteria, on: date) -> int:
    """How many households the criteria select."""
    return db.session.scalar(select(func.count()).select_from(candidates(commune_id, criteria, on).subquery())) or 0


def _walk_rows(household_ids) -> list[dict[str, Any]]:
    """Households in walking order (hamlet, then address) with what an assignment needs."""
    rows = db.session.execute(
        select(Household.id, Household.hamlet_id, Household.commune_id, Hamlet.sort_key, Household.address_key,
               Household.sort_key)
        .join(Hamlet, Hamlet.id == Household.hamlet_id)
        .where(Household.id.in_(household_ids))
    ).all()
    rows.sort(key=lambda r: (r[3], r[4], r[5], r[0]))
    return [{"household_id": r[0], "hamlet_id": r[1], "commune_id": r[2],
             "walk_key": f"{r[3]}|{r[4]}|{r[5]}"[:1200]} for r in rows]


def add_households(visit_list: VisitList, household_ids) -> int:
    """Append households (not already on the list) with new row numbers in walking order; return how many."""
    present = select(VisitAssignment.household_id).where(VisitAssignment.visit_list_id == visit_list.id)
    if not isinstance(household_ids, list | set | tuple):
        wanted = household_ids.where(Household.id.not_in(present))
    else:
        wanted = select(Household.id).where(Household.id.in_(list(household_ids)), Household.id.not_in(present))
    rows = _walk_rows(wanted)
    if not rows:
        return 0
    start = visit_list.next_row
    for offset, row in enumerate(rows):
        row.update(visit_list_id=visit_list.id, row_number=start + offset, version=1)
    db.session.execute(insert(VisitAssignment), rows)
    visit_list.next_row = start + len(rows)
    return len(rows)


def build_list(event, criteria: Criteria, user) -> tuple[VisitList, int]:
    """Create the event's list (or add to it) from criteria; return the list and how many were added."""
    visit_list = db.session.scalar(select(VisitList).where(VisitList.event_id == event.id))
    if visit_list is None:
        visit_list = VisitList(event_id=event.id, criteria=criteria.as_json(), created_by_id=user.id, next_row=1)
        db.session.add(visit_list)
        db.session.flush()
    on = event.starts_at.date()
    added = add_households(visit_list, candidates(event.commune_id, criteria, on))
    return visit_list, added


@dataclass
class SplitResult:
    """What an automatic split did."""

    assigned: dict[int, int] = field(default_factory=dict)  #: agent id -> households given
    unassigned: int = 0  #: households no eligible agent could take
    hamlets_without_agent: list[int] = field(default_factory=list)


def split_among_agents(visit_list: VisitList, agent_ids: list[int] | None = None, *, redo: bool = False) -> SplitResult:
    """Give unassigned households (all of them with ``redo``) to the agents covering their hamlets.

    Loads are balanced by count; a hamlet stays with one agent unless it is bigger than that agent's fair share,
    and then it is cut into consecutive runs of the walking order. Quotas are respected.
    """
    stmt = select(VisitAssignment.id, VisitAssignment.hamlet_id, VisitAssignment.agent_id).where(
        VisitAssignment.visit_list_id == visit_list.id).order_by(VisitAssignment.walk_key, VisitAssignment.row_number)
    rows = db.session.execute(stmt).all()
    load: dict[int, int] = defaultdict(int)
    by_hamlet: dict[int, list[int]] = defaultdict(list)
    for assignment_id, hamlet_id, agent_id in rows:
        if agent_id is not None and not redo:
            load[agent_id] += 1
        else:
            by_hamlet[hamlet_id].append(assignment_id)
    result = SplitResult()
    if not by_hamlet:
        return result
    coverage = select(agent_hamlets.c.hamlet_id, agent_hamlets.c.agent_id).join(
        Agent, Agent.id == agent_hamlets.c.agent_id).where(
        agent_hamlets.c.hamlet_id.in_(list(by_hamlet)), Agent.active.is_(True))
    if agent_ids:
        coverage = coverage.where(agent_hamlets.c.agent_id.in_(agent_ids))
    eligible: dict[int, list[int]] = defaultdict(list)
    for hamlet_id, agent_id in db.session.execute(coverage):
        eligible[hamlet_id].append(agent_id)
    quotas = dict(db.session.execute(select(AgentQuota.agent_id, AgentQuota.max_visits).where(
        AgentQuota.visit_list_id == visit_list.id)).all())
    agents = sorted({a for lst in eligible.values() for a in lst})
    total = sum(len(v) for h, v in by_hamlet.items() if eligible.get(h)) + sum(load[a] for a in agents)
    fair = -(-total // len(agents)) if agents else 0

    def room(agent_id: int) -> int:
        cap = quotas.get(agent_id)
        return (cap - load[agent_id]) if cap is not None else 10**9

    plan: list[tuple[int, int]] = []  # (assignment id, agent id)
    for hamlet_id in sorted(by_hamlet, key=lambda h: -len(by_hamlet[h])):
        ids = by_hamlet[hamlet_id]
        candidates_ = eligible.get(hamlet_id, [])
        if not candidates_:
            result.unassigned += len(ids)
            result.hamlets_without_agent.append(hamlet_id)
            continue
        position = 0
        while position < len(ids):
            open_agents = [a for a in candidates_ if room(a) > 0]
            if not open_agents:
                result.unassigned += len(ids) - position
                break
            agent = min(open_agents, key=lambda a: (load[a], a))
            remaining = len(ids) - position
            share = max(fair - load[agent], 1)
            others = [a for a in open_agents if a != agent]
            take = remaining if (remaining <= share or not others) else share
            take = min(take, room(agent))
            for assignment_id in ids[position:position + take]:
                plan.append((assignment_id, agent))
            load[agent] += take
            result.assigned[agent] = result.assigned.get(agent, 0) + take
            position += take
    if plan:
        table = VisitAssignment.__table__
        db.session.execute(
            update(table).where(table.c.id == bindparam("b_id")).values(
                agent_id=bindparam("b_agent"), version=table.c.version + 1),
            [{"b_id": a, "b_agent": g} for a, g in plan],
        )
    return result


def reassign(visit_list: VisitList, assignment_ids: list[int], agent_id: int | None) -> int:
    """Give some households of the list to another agent (or none); return how many changed."""
    table = VisitAssignment.__table__
    result = db.session.execute(
        update(table).where(table.c.visit_list_id == visit_list.id, table.c.id.in_(assignment_ids))
        .values(agent_id=agent_id, version=table.c.version + 1))
    return result.rowcount or 0


def remove_households(visit_list: VisitList, assignment_ids: list[int]) -> int:
    """Take households off the list (their row numbers are not reused); visits already recorded stay."""
    from sqlalchemy import delete

    table = VisitAssignment.__table__
    result = db.session.execute(delete(table).where(table.c.visit_list_id == visit_list.id,
                                                    table.c.id.in_(assignment_ids)))
    return result.rowcount or 0
