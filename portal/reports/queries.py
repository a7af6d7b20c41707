"""Progress against targets, computed with a fixed number of aggregate queries whatever the data size.

Achievements count confirmed results only: sign-ups whose event results were confirmed (or that were made
outside an event and confirmed), conferences held, and attendees checked in at held events.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import case, func, select

from ..campaigns.models import METRICS, Target
from ..events.models import Event
from ..extensions import db
from ..geo.models import Commune
from ..org.models import Agent, Office
from ..results.models import Attendance, SignUp

HELD = ("held", "results_entered", "closed")


@dataclass
class Line:
    """One subject's targets and achievements."""

    level: str
    subject_id: int
    name: str
    target: dict[str, int] = field(default_factory=dict)
    achieved: dict[str, int] = field(default_factory=dict)

    def percent(self, metric: str) -> float | None:
        goal = self.target.get(metric, 0)
        return 100.0 * self.achieved.get(metric, 0) / goal if goal else None


def _window(campaign):
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    vn = ZoneInfo("Asia/Ho_Chi_Minh")
    start = datetime.combine(campaign.starts_on, datetime.min.time(), tzinfo=vn).astimezone(UTC)
    end = datetime.combine(campaign.ends_on + timedelta(days=1), datetime.min.time(), tzinfo=vn).astimezone(UTC)
    return start, end


def achievements(campaign, level: str, commune_filter=None) -> dict[int, dict[str, int]]:
    """Metric counts per subject (office, commune or agent) within the campaign's period."""
    start, end = _window(campaign)
    commune_ids = select(Commune.id).where(Commune.province_id == campaign.province_id)
    if commune_filter is not None:
        commune_ids = commune_ids.where(commune_filter)
    signup_key = {"office": Commune.office_id, "commune": SignUp.commune_id,
                  "agent": func.coalesce(SignUp.credited_agent_id, SignUp.agent_id)}[level]
    rows = db.session.execute(
        select(signup_key,
               func.sum(case(((SignUp.scheme == "bhxh_tn") & (SignUp.kind == "new"), 1), else_=0)),
               func.sum(case(((SignUp.scheme == "bhyt_hgd") & (SignUp.kind == "new"), 1), else_=0)),
               func.sum(case((SignUp.kind == "renewal", 1), else_=0)))
        .join(Commune, Commune.id == SignUp.commune_id)
        .where(SignUp.status == "confirmed", SignUp.signed_on >= campaign.starts_on,
               SignUp.signed_on <= campaign.ends_on, SignUp.commune_id.in_(commune_ids))
        .group_by(signup_key)).all()
    result: dict[int, dict[str, int]] = {}
    for key, tn, yt, renewals in rows:
        if key is not None:
            result.setdefault(key, {}).update(new_bhxh_tn=int(tn or 0), new_bhyt_hgd=int(yt or 0),
                                              renewals=int(renewals or 0))
    if level != "agent":
        event_key = Commune.office_id if level == "office" else Event.commune_id
        for key, held in db.session.execute(
                select(event_key, func.count()).select_from(Event).join(Commune, Commune.id == Event.commune_id)
                .where(Event.kind == "conference", Event.status.in_(HELD), Event.starts_at >= start,
                       Event.starts_at < end, Event.commune_id.in_(commune_ids)).group_by(event_key)):
            if key is not None:
                result.setdefault(key, {})["conferences"] = int(held)
        for key, people in db.session.execute(
                select(event_key, func.count()).select_from(Attendance).join(Event, Event.id == Attendance.event_id)
                .join(Commune, Commune.id == Event.commune_id)
                .where(Event.status.in_(HELD), Event.starts_at >= start, Event.starts_at < end,
                       Event.commune_id.in_(commune_ids)).group_by(event_key)):
            if key is not None:
                result.setdefault(key, {})["attendees"] = int(people)
    return result


def lines(campaign, level: str, office_id: int | None = None, visible_offices=None) -> list[Line]:
    """Targets and achievements for every subject of a level (communes and agents of one office)."""
    if level == "office":
        subjects = db.session.execute(select(Office.id, Office.name).where(
            Office.province_id == campaign.province_id, Office.kind == "local",
            Office.id.in_(visible_offices)).order_by(Office.sort_key)).all()
        achieved = achievements(campaign, "office")
    elif level == "commune":
        subjects = db.session.execute(select(Commune.id, Commune.name).where(Commune.office_id == office_id)
                                      .order_by(Commune.sort_key)).all()
        achieved = achievements(campaign, "commune", Commune.office_id == office_id)
    else:
        subjects = db.session.execute(select(Agent.id, Agent.full_name).where(Agent.office_id == office_id)
                                      .order_by(Agent.sort_key)).all()
        achieved = achievements(campaign, "agent", Commune.office_id == office_id)
    column = getattr(Target, f"{level}_id")
    targets: dict[int, dict[str, int]] = {}
    for subject, metric, value in db.session.execute(select(column, Target.metric, Target.value).where(
            Target.campaign_id == campaign.id, Target.level == level)):
        targets.setdefault(subject, {})[metric] = value
    return [Line(level, sid, name, targets.get(sid, {}), {m: achieved.get(sid, {}).get(m, 0) for m in METRICS})
            for sid, name in subjects]


def total(rows: list[Line]) -> Line:
    """The sum of several lines."""
    line = Line("total", 0, "")
    for metric in METRICS:
        line.target[metric] = sum(r.target.get(metric, 0) for r in rows)
        line.achieved[metric] = sum(r.achieved.get(metric, 0) for r in rows)
    return line


def daily(campaign, office_ids) -> list[tuple[date, int]]:
    """Cumulative new voluntary social insurance sign-ups per day of the campaign."""
    rows = dict(db.session.execute(
        select(SignUp.signed_on, func.count()).join(Commune, Commune.id == SignUp.commune_id)
        .where(SignUp.status == "confirmed", SignUp.scheme == "bhxh_tn", SignUp.kind == "new",
               SignUp.signed_on.between(campaign.starts_on, campaign.ends_on), Commune.office_id.in_(office_ids))
        .group_by(SignUp.signed_on)).all())
    result, running, day = [], 0, campaign.starts_on
    while day <= campaign.ends_on:
        running += rows.get(day, 0)
        result.append((day, running))
        day += timedelta(days=1)
    return result
