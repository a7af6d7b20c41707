"""Writes to the network: collection points, the coverage rule, collaborators and training records, each with
its audit entry. Callers commit."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, insert, select

from ..audit import services as audit
from ..events.models import Event
from ..extensions import db
from ..i18n.formatting import local_today, to_local
from ..org.models import Agent
from .models import (
    WEEKDAYS,
    Collaborator,
    CollectionPoint,
    CoverageRule,
    TrainingParticipant,
    collection_point_agents,
)


class NetworkError(ValueError):
    """A write the rules refuse (``code``: not_training, not_yet)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def save_point(point: CollectionPoint | None, *, name: str, commune_id: int, hamlet_id: int | None,
               organisation_id: int | None, address: str | None, days: list[str], hours: str | None,
               active: bool, agent_ids: list[int]) -> CollectionPoint:
    """Create or change a collection point and the agents who work there."""
    creating = point is None
    point = point or CollectionPoint()
    point.set_name(name)
    point.commune_id, point.hamlet_id, point.organisation_id = commune_id, hamlet_id, organisation_id
    point.address, point.hours, point.active = address, hours, active
    point.opening_days = " ".join(d for d in WEEKDAYS if d in days)
    db.session.add(point)
    db.session.flush()
    db.session.execute(delete(collection_point_agents).where(collection_point_agents.c.point_id == point.id))
    if agent_ids:
        db.session.execute(insert(collection_point_agents),
                           [{"point_id": point.id, "agent_id": a} for a in dict.fromkeys(agent_ids)])
    audit.record("collection_point.create" if creating else "collection_point.update", obj=point,
                 object_type="collection_point", details={"agents": len(set(agent_ids))})
    return point


def set_rule(province_id: int, *, points: int, agents: int, user=None) -> CoverageRule:
    """Set the province's rule: collection points and active agents each hamlet should have."""
    rule = db.session.scalar(select(CoverageRule).where(CoverageRule.province_id == province_id))
    if rule is None:
        rule = CoverageRule(province_id=province_id)
        db.session.add(rule)
    rule.points_per_hamlet, rule.agents_per_hamlet = points, agents
    rule.updated_by_id = getattr(user, "id", None)
    db.session.flush()
    audit.record("coverage_rule.update", object_type="province", object_id=province_id,
                 details={"points_per_hamlet": points, "agents_per_hamlet": agents})
    return rule


def save_collaborator(row: Collaborator | None, *, full_name: str, role: str, position: str | None,
                      commune_id: int, hamlet_id: int | None, phone: str | None, active: bool) -> Collaborator:
    """Create or change a collaborator (their training date is kept by the training records)."""
    creating = row is None
    row = row or Collaborator()
    row.set_name(full_name)
    row.role, row.position, row.commune_id, row.hamlet_id = role, position, commune_id, hamlet_id
    row.phone, row.active = phone, active
    db.session.add(row)
    db.session.flush()
    audit.record("collaborator.create" if creating else "collaborator.update", obj=row, object_type="collaborator")
    return row


def training_day(event: Event) -> date:
    """The day a training took place (Vietnam time)."""
    return to_local(event.starts_at).date()


def record_training(event: Event, *, agent_ids: set[int], collaborator_ids: set[int], user=None,
                    today: date | None = None) -> tuple[int, int]:
    """Record who attended a training event: each agent's and collaborator's training date becomes the event's
    day (unless they were trained later); people taken off the list get their previous date back.
    Returns (added, removed)."""
    if event.kind != "training":
        raise NetworkError("not_training")
    day = training_day(event)
    if day > (today or local_today()) or event.status == "cancelled":
        raise NetworkError("not_yet")
    rows = db.session.scalars(select(TrainingParticipant).where(TrainingParticipant.event_id == event.id)).all()
    had_agents = {r.agent_id: r for r in rows if r.agent_id}
    had_collaborators = {r.collaborator_id: r for r in rows if r.collaborator_id}
    added = removed = 0
    for model, wanted, had, column in ((Agent, agent_ids, had_agents, "agent_id"),
                                       (Collaborator, collaborator_ids, had_collaborators, "collaborator_id")):
        people = {p.id: p for p in db.session.scalars(select(model).where(model.id.in_(set(wanted) | set(had))))}
        for person_id in set(wanted) - set(had):
            person = people[person_id]
            db.session.add(TrainingParticipant(event_id=event.id, previous_trained_on=person.trained_on,
                                               recorded_by_id=getattr(user, "id", None), **{column: person_id}))
            if person.trained_on is None or person.trained_on < day:
                person.trained_on = day
            added += 1
        for person_id in set(had) - set(wanted):
            row, person = had[person_id], people[person_id]
            if person.trained_on == day:
                person.trained_on = _latest_other(column, person_id, event.id, row.previous_trained_on)
            db.session.delete(row)
            removed += 1
    db.session.flush()
    audit.record("training.attendance", obj=event, object_type="event",
                 details={"agents": len(agent_ids), "collaborators": len(collaborator_ids), "added": added,
                          "removed": removed})
    return added, removed


def _latest_other(column: str, person_id: int, event_id: int, previous: date | None) -> date | None:
    """The person's training date without this training: the latest other one on record, or the date they had."""
    days = [training_day(e) for e in db.session.scalars(
        select(Event).join(TrainingParticipant, TrainingParticipant.event_id == Event.id)
        .where(getattr(TrainingParticipant, column) == person_id, Event.id != event_id))]
    candidates = [d for d in [*days, previous] if d is not None]
    return max(candidates) if candidates else None
