"""Conversion funnels: listed → visited → invited → attended → signed up, with a fixed number of grouped queries.

Every step counts households at one event (a household on the lists of two events counts at both), and the
steps nest: a household counts at a step only when it reached every step before it, so no step holds more than
the one before (no rate passes 100%):

- listed: on the event's pre-visit list;
- visited: listed, and its latest outcome on the list is a visit (consulted, interested, invited, declined,
  already insured);
- invited: visited, and it holds an invitation letter to the event;
- attended: invited, and someone of the household was checked in;
- signed up: attended, and someone of the household signed up at the event (new or renewal, confirmed or not).

The people behind the last two steps (attendees, sign-ups, whoever they are) are counted beside, and so are the
households that came or signed up without the steps before (``outside``: walk-ins, households never listed or
never invited; an attendance nobody matched to a household counts as one).

The counts come from one query over the step units of the events, grouped per household and then per event (or
per agent the household was given to); offices, communes, leaflet audiences and the total are sums of events,
done in Python; potential groups are counted in portal.reports.groups from the same per-household rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, Select, case, cast, func, literal, null, select, union_all

from ..auth.scope import Place
from ..events.models import Event
from ..extensions import db
from ..geo.models import Commune
from ..results.models import Attendance, Invitation, SignUp
from ..visits.models import VISITED, VisitAssignment, VisitList
from . import memo
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
    outside: int = 0  #: households that attended or signed up without the steps before (walk-ins, not listed)
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
        return not any(getattr(self, name) for name in COUNTED)

    def add(self, other: Funnel) -> Funnel:
        for name in COUNTED:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self


#: The fields of a funnel that add up.
COUNTED = (*STEPS, "attendees", "signups", "outside")


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


def units(event_ids) -> Select:
    """Every step unit of the events: (event, household) with the step's marks (zero for the others).

    The list rows carry the agent the household was given to; an attendance nobody matched to a household is a
    unit of its own kind (``strangers``)."""
    zero, one = literal(0), literal(1)
    nobody = cast(null(), Integer)
    visited = case((VisitAssignment.outcome.in_(VISITED), 1), else_=0)
    matched = case((Attendance.household_id.is_(None), 0), else_=1)
    return union_all(
        select(VisitList.event_id.label("event_id"), VisitAssignment.household_id.label("household_id"),
               VisitAssignment.agent_id.label("agent_id"), one.label("listed"), visited.label("visited"),
               zero.label("invited"), zero.label("attended"), zero.label("attendees"), zero.label("signed_up"),
               zero.label("signups"), zero.label("strangers"))
        .join(VisitList, VisitList.id == VisitAssignment.visit_list_id).where(VisitList.event_id.in_(event_ids)),
        select(Invitation.event_id, Invitation.household_id, nobody, zero, zero, one, zero, zero, zero, zero, zero)
        .where(Invitation.event_id.in_(event_ids)),
        select(Attendance.event_id, Attendance.household_id, nobody, zero, zero, zero, matched, one, zero, zero,
               one - matched).where(Attendance.event_id.in_(event_ids)),
        select(SignUp.event_id, SignUp.household_id, nobody, zero, zero, zero, zero, zero, one, one, zero)
        .where(SignUp.event_id.in_(event_ids), SignUp.kind.in_(CONVERTING), SignUp.status != "duplicate"),
    ).subquery("units")


def households(event_ids):
    """One row per event and household with the steps it reached, nested: a household counts at a step only
    when it reached every step before it (``outside``: it attended or signed up without the steps before).

    Columns: event_id, household_id, agent_id (of its list row), the five steps (0 or 1), attendees, signups,
    outside (households, plus attendances nobody matched)."""
    u = units(event_ids)
    listed = func.max(u.c.listed)
    visited = listed * func.max(u.c.visited)
    invited = visited * func.max(u.c.invited)
    attended = invited * func.max(u.c.attended)
    signed_up = attended * func.max(u.c.signed_up)
    outside = (case((func.max(u.c.attended) > attended, 1), else_=0)
               + case((func.max(u.c.signed_up) > signed_up, 1), else_=0))
    return (select(u.c.event_id, u.c.household_id, func.max(u.c.agent_id).label("agent_id"),
                   listed.label("listed"), visited.label("visited"), invited.label("invited"),
                   attended.label("attended"), signed_up.label("signed_up"),
                   func.sum(u.c.attendees).label("attendees"), func.sum(u.c.signups).label("signups"),
                   (case((outside > 0, 1), else_=0) + func.sum(u.c.strangers)).label("outside"))
            .group_by(u.c.event_id, u.c.household_id).subquery("households"))


def _counts(event_ids: Select, by: str) -> dict[object, Funnel]:
    """One grouped query: the nested steps per event ("event") or per agent the households were given to
    ("agent"; households nobody was given, walk-ins among them, count for None).

    The query reads every step row of the events (hundreds of thousands for a province's campaign), so its
    figures are kept between requests while the steps do not change (see memo.steps_fingerprint); each request
    gets funnels of its own to name and add up."""
    found = memo.cached("funnel", (by, memo.clause_key(event_ids)), lambda: _count_rows(event_ids, by), depends=memo.steps_fingerprint)
    result: dict[object, Funnel] = {}
    for k, counts in found.items():
        f = result[k] = Funnel(k, **dict(zip(COUNTED, counts[:len(COUNTED)], strict=True)))
        if by == "event":
            f.trace = counts
    return result


def _count_rows(event_ids: Select, by: str) -> dict[object, tuple[int, ...]]:
    h = households(event_ids)
    key = h.c.event_id if by == "event" else h.c.agent_id
    marks = [func.sum(getattr(h.c, name)) for name in COUNTED]
    traces = [func.sum(func.coalesce(h.c.household_id, 0) * getattr(h.c, step)) for step in STEPS]
    return {k: tuple(int(v or 0) for v in values)
            for k, *values in db.session.execute(select(key, *marks, *traces).group_by(key))}


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
