"""The home page's panels by role: coming events, this week's work, campaign progress, and what needs attention
(events held without results, stalled pre-visit lists, payments falling due). A fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask_login import current_user
from sqlalchemy import case, func, select

from ..auth.roles import AGENT
from ..auth.scope import Place, current_scope, local_offices, scoped
from ..campaigns.access import province_id
from ..campaigns.labels import METRIC_SHORT
from ..campaigns.models import METRICS, Campaign
from ..events.models import Event
from ..extensions import db
from ..geo.models import Commune
from ..households.queries import due_query
from ..i18n.formatting import local_today
from ..org.models import Agent
from ..visits.models import VISITED, VisitAssignment, VisitList
from ..visits.queries import AgentProgress, is_stalled
from . import coverage, queries
from .queries import VN

SHOWN = 8  #: items listed per panel
CAMPAIGNS = 3  #: campaigns under way shown with their progress
DUE_DAYS = 30


@dataclass
class ListState:
    """A pre-visit list of a coming event: how far its visits are."""

    event: Event
    assigned: int
    visited: int
    stalled: bool

    @property
    def remaining(self) -> int:
        return self.assigned - self.visited

    @property
    def share(self) -> float:
        return 100.0 * self.visited / self.assigned if self.assigned else 0.0


def _week(today) -> tuple[datetime, datetime]:
    """Monday 00:00 to the next Monday, Vietnam time, as UTC."""
    monday = today - timedelta(days=today.weekday())
    start = datetime.combine(monday, datetime.min.time(), tzinfo=VN).astimezone(UTC)
    return start, start + timedelta(days=7)


def _lists(now: datetime) -> list[ListState]:
    """Lists of events starting in the next ten days, with their visit counts (one grouped query)."""
    visited = func.sum(case((VisitAssignment.outcome.in_(VISITED), 1), else_=0))
    stmt = (select(Event, func.count(VisitAssignment.id), visited, func.max(VisitAssignment.outcome_at),
                   func.min(VisitList.created_at))
            .join(VisitList, VisitList.event_id == Event.id)
            .join(VisitAssignment, VisitAssignment.visit_list_id == VisitList.id)
            .where(Event.starts_at > now, Event.starts_at < now + timedelta(days=10), Event.status != "cancelled",
                   VisitAssignment.scope_clause(current_scope()))
            .group_by(Event.id).order_by(Event.starts_at))
    stmt = scoped(Event, stmt)
    result = []
    for event, assigned, done, last, built_at in db.session.execute(stmt):
        progress = [AgentProgress(None, "", assigned, done or 0, 0, 0, 0, last)]
        result.append(ListState(event, assigned, done or 0, is_stalled(event, progress, now, built_at=built_at)))
    return result


def _campaigns() -> list[dict]:
    """Campaigns under way with the user's part of their targets: achieved against target per metric."""
    found = db.session.scalars(scoped(Campaign).where(Campaign.status == "active")
                               .order_by(Campaign.starts_on.desc()).limit(CAMPAIGNS)).all()
    result = []
    for campaign in found:
        if current_user.role == AGENT:
            agent_id = current_scope().agent_id
            agent = db.session.get(Agent, agent_id)
            done = queries.achievements(campaign, "agent", Commune.office_id == agent.office_id).get(agent_id, {})
            goals = queries.targets(campaign, "agent").get(agent_id, {})
            line = queries.Line("agent", agent_id, agent.full_name, goals, {m: done.get(m, 0) for m in METRICS})
        else:
            line = queries.total(queries.lines(campaign, Place("office", local_offices(campaign.province_id))))
        metrics = [m for m in METRICS if line.target.get(m)] or ["new_bhxh_tn", "new_bhyt_hgd"]
        result.append({"campaign": campaign, "line": line, "metrics": metrics})
    return result


def _year(today) -> dict | None:
    """This year's counted sign-ups (every channel, inside campaigns or not) and coverage in the offices the user
    sees (officers and viewers)."""
    province = province_id()
    if province is None:
        return None
    where = Place("office", local_offices(province))
    if not where.offices:
        return None
    window = queries.Window(province, today.replace(month=1, day=1), today.replace(month=12, day=31))
    channels = queries.by_channel(window, Commune.office_id.in_(where.office_ids))
    total = {m: sum(v[m] for v in channels.values()) for m in queries.CHANNEL_METRICS}
    cover = coverage.coverage(province, today.year, where, today)
    return {"year": today.year, "total": total, "coverage": cover}


def dashboard() -> dict:
    """What the signed-in user's home page shows."""
    now = datetime.now(UTC)
    today = local_today()
    is_agent = current_user.role == AGENT
    upcoming = db.session.scalars(scoped(Event).where(Event.starts_at >= now - timedelta(hours=3),
                                                      Event.starts_at < now + timedelta(days=14),
                                                      Event.status != "cancelled")
                                  .order_by(Event.starts_at).limit(SHOWN)).all()
    held = scoped(Event).where(Event.status == "held", Event.ends_at < now - timedelta(days=1))
    without_results = db.session.scalars(held.order_by(Event.starts_at).limit(SHOWN)).all()
    without_count = db.session.scalar(select(func.count()).select_from(held.subquery())) if len(
        without_results) == SHOWN else len(without_results)
    start, end = _week(today)
    week_events = db.session.scalar(select(func.count()).select_from(scoped(Event).where(
        Event.starts_at >= start, Event.starts_at < end, Event.status != "cancelled").subquery())) or 0
    lists = _lists(now)
    due = {kind: db.session.scalar(select(func.count()).select_from(
        due_query(kind, start=today, end=today + timedelta(days=DUE_DAYS)).subquery())) or 0
        for kind in ("paid_until", "bhyt_expiring")}
    return {
        "upcoming": upcoming, "without_results": without_results, "without_count": without_count,
        "week": {"start": start, "events": week_events, "lists": len(lists),
                 "to_visit": sum(s.remaining for s in lists), "visited": sum(s.visited for s in lists)},
        "lists": lists[:SHOWN], "stalled": [s for s in lists if s.stalled][:SHOWN],
        "campaigns": _campaigns(), "due": due, "this_year": None if is_agent else _year(today), "due_count": due["paid_until"],
        "due_days": DUE_DAYS, "is_agent": is_agent, "metric_short": METRIC_SHORT,
    }
