"""Conversion funnels: listed → visited → invited → attended → signed up, with a fixed number of grouped queries.

Every step counts households at one event (a household on the lists of two events counts at both):

- listed: on the event's pre-visit list;
- visited: its latest outcome on the list is a visit (consulted, interested, invited, declined, already insured);
- invited: it holds an invitation letter to the event;
- attended: someone of the household was checked in (a walk-in nobody matched counts as one household);
- signed up: someone of the household signed up at the event (new or renewal, confirmed or not yet).

The people behind the last two steps (attendees, sign-ups) are counted beside. A step can hold households
that skipped an earlier one (a walk-in who signs up was never listed), so a rate can pass 100%.

The per-event counts come from four queries grouped by event, each read from one covering index (migration
0012); offices, communes, leaflet audiences and the total are sums of events, done in Python. Agents (who are
credited per step) have their own four queries; potential groups are counted in portal.reports.groups.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, case, func, select

from ..auth.scope import Place
from ..events.models import Event
from ..extensions import db
from ..geo.models import Commune
from ..results.models import Attendance, Invitation, SignUp
from ..visits.models import VISITED, VisitAssignment, VisitList
from .queries import utc_bounds

STEPS = ("listed", "visited", "invited", "attended", "signed_up")
#: Sign-up kinds that count as a conversion (an adjustment is not one).
CONVERTING = ("new", "renewal")
NO_AUDIENCE = ""


@dataclass
class Funnel:
    """The five steps for one subject (an event, commune, office, agent, group or audience)."""

    key: object = None
    name: str = ""
    listed: int = 0
    visited: int = 0
    invited: int = 0
    attended: int = 0
    signed_up: int = 0
    attendees: int = 0  #: people checked in
    signups: int = 0  #: sign-ups (a person signing up for both schemes counts twice)
    trace: tuple = ()  #: per event: sums of the households at each step (with the counts, a fingerprint)

    def count(self, step: str) -> int:
        return getattr(self, step)

    def rate(self, step: str) -> float | None:
        """The step as a percentage of the step before (None for the first step or an empty one before)."""
        index = STEPS.index(step)
        if index == 0:
            return None
        before = self.count(STEPS[index - 1])
        return 100.0 * self.count(step) / before if before else None

    @property
    def conversion(self) -> float | None:
        """Signed up as a percentage of listed."""
        return 100.0 * self.signed_up / self.listed if self.listed else None

    @property
    def attended_conversion(self) -> float | None:
        """Signed up as a percentage of attended."""
        return 100.0 * self.signed_up / self.attended if self.attended else None

    @property
    def empty(self) -> bool:
        return not any(self.count(s) for s in STEPS)

    def add(self, other: Funnel) -> Funnel:
        for name in COUNTED:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self


#: The fields of a funnel that add up.
COUNTED = (*STEPS, "attendees", "signups")


@dataclass
class EventInfo:
    """What a funnel table shows of an event."""

    id: int
    title: str
    starts_at: datetime
    status: str
    commune_id: int
    commune_name: str
    office_id: int | None
    audience: str


def campaign_events(campaign, where: Place) -> Select:
    """The ids of a campaign's events (not cancelled, starting in its period) in the communes of the offices the
    place covers."""
    start, end = utc_bounds(campaign)
    return select(Event.id).where(
        Event.starts_at >= start, Event.starts_at < end, Event.status != "cancelled",
        Event.commune_id.in_(select(Commune.id).where(Commune.province_id == campaign.province_id,
                                                      Commune.office_id.in_(where.covered_office_ids))))


def event_infos(event_ids: Select) -> list[EventInfo]:
    """The events, in date order, with their commune and office."""
    return [EventInfo(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7] or NO_AUDIENCE) for r in db.session.execute(
        select(Event.id, Event.title, Event.starts_at, Event.status, Event.commune_id, Commune.name,
               Commune.office_id, Event.leaflet_audience)
        .join(Commune, Commune.id == Event.commune_id).where(Event.id.in_(event_ids))
        .order_by(Event.starts_at, Event.id))]


def _counts(event_ids: Select, by: str) -> dict[object, Funnel]:
    """Four grouped queries: the steps per event ("event") or per credited agent ("agent").

    Households are counted distinct per event; for agents the counts come per event and agent and are added up
    here (a household whose members were signed up by two agents counts for both).
    """
    result: dict[object, Funnel] = {}

    def row(key) -> Funnel:
        return result.setdefault(key, Funnel(key))

    per_event = by == "event"
    traces: dict[object, list] = {}
    key = VisitList.event_id if per_event else VisitAssignment.agent_id
    # Grouped by outcome too: the index (list, outcome, household) is read in its own order.
    for k, outcome, n, households in db.session.execute(
            select(key, VisitAssignment.outcome, func.count(), func.sum(VisitAssignment.household_id))
            .join(VisitList, VisitList.id == VisitAssignment.visit_list_id)
            .where(VisitList.event_id.in_(event_ids)).group_by(key, VisitAssignment.outcome)):
        f = row(k)
        f.listed += int(n)
        if outcome in VISITED:
            f.visited += int(n)
        traces.setdefault(k, []).append((outcome or "", int(households or 0)))
    key = Invitation.event_id if per_event else Invitation.agent_id
    for k, n, trace in db.session.execute(select(key, func.count(), func.sum(Invitation.household_id))
                                          .where(Invitation.event_id.in_(event_ids)).group_by(key)):
        row(k).invited = int(n)
        traces.setdefault(k, []).append(int(trace or 0))
    households = func.count(Attendance.household_id.distinct()) + func.sum(
        case((Attendance.household_id.is_(None), 1), else_=0))
    stmt = select(Attendance.event_id, households, func.count(),
                  func.sum(func.coalesce(Attendance.household_id, 0))).where(Attendance.event_id.in_(event_ids))
    if per_event:
        stmt = stmt.group_by(Attendance.event_id)
    else:
        stmt = stmt.add_columns(Invitation.agent_id).outerjoin(
            Invitation, Invitation.id == Attendance.invitation_id).group_by(Attendance.event_id, Invitation.agent_id)
    for k, n, people, trace, *agent in db.session.execute(stmt):
        f = row(k if per_event else agent[0])
        f.attended += int(n or 0)
        f.attendees += int(people)
        traces.setdefault(k, []).append(int(trace or 0))
    credited = func.coalesce(SignUp.credited_agent_id, SignUp.agent_id)
    stmt = select(SignUp.event_id, func.count(SignUp.household_id.distinct()), func.count(),
                  func.sum(SignUp.household_id)).where(SignUp.event_id.in_(event_ids), SignUp.kind.in_(CONVERTING),
                                                     SignUp.status != "duplicate")
    stmt = stmt.group_by(SignUp.event_id) if per_event else stmt.add_columns(credited).group_by(
        SignUp.event_id, credited)
    for k, n, signups, trace, *agent in db.session.execute(stmt):
        f = row(k if per_event else agent[0])
        f.signed_up += int(n)
        f.signups += int(signups)
        traces.setdefault(k, []).append(int(trace or 0))
    if per_event:
        for k, f in result.items():
            f.trace = (*(f.count(s) for s in STEPS), f.attendees, f.signups, *traces.get(k, ()))
    return result


def by_event(event_ids: Select) -> dict[int, Funnel]:
    """The steps of each event (events with nothing yet are left out)."""
    return _counts(event_ids, "event")


def by_agent(event_ids: Select) -> dict[int | None, Funnel]:
    """The steps each agent is credited with: the households they were given, the letters they delivered,
    attendees who came with those letters, and sign-ups credited to them (None: nobody)."""
    return _counts(event_ids, "agent")


def rollup(events: list[EventInfo], counts: dict[int, Funnel], by: str) -> dict[object, Funnel]:
    """Sum per-event funnels by commune, office or leaflet audience."""
    sums: dict[object, list[int]] = {}
    attr = {"commune": "commune_id", "office": "office_id", "audience": "audience"}[by]
    for event in events:
        found = counts.get(event.id)
        if found is not None:
            into = sums.get(getattr(event, attr))
            if into is None:
                into = sums[getattr(event, attr)] = [0] * len(COUNTED)
            for i, name in enumerate(COUNTED):
                into[i] += getattr(found, name)
    return {key: Funnel(key, **dict(zip(COUNTED, values, strict=True))) for key, values in sums.items()}


def total(rows: list[Funnel], name: str = "") -> Funnel:
    """The sum of several funnels."""
    values = [sum(getattr(r, f) for r in rows) for f in COUNTED]
    return Funnel(None, name, **dict(zip(COUNTED, values, strict=True)))


def ranked(rows: list[Funnel], minimum: int = 1) -> list[Funnel]:
    """Rows with at least ``minimum`` listed households, best conversion (signed up / listed) first."""
    return sorted((r for r in rows if r.listed >= minimum), key=lambda r: (-(r.conversion or 0), -r.listed))
