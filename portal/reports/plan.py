"""Progress against the plan beyond offices, communes and agents: an office's targets by channel, the agent
organisations (the post office of a commune) ranked on their own plan, and the hamlets of a commune.

Every count goes through :func:`~portal.reports.queries.counted` (confirmed sign-ups only, each once), and each
function runs a fixed number of grouped queries whatever the data size.

A sign-up belongs to the organisation of the agent credited with it (the agent who signed it up when nobody else
is credited); without an agent, to the organisation that organised its event. A conference belongs to the
organisation that organised it. A sign-up belongs to the hamlet of its household.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from ..auth.scope import Place
from ..campaigns.models import LEVEL_METRICS, SIGNUP_METRICS, Target
from ..events.models import Event
from ..extensions import db
from ..geo.models import Commune, Hamlet
from ..households.models import Household
from ..org.models import Agent, AgentOrganisation, Office
from ..results.models import SignUp
from . import memo
from .queries import Counts, Grouping, Line, Window, count_by, year_before

#: The levels this module counts.
LEVELS = ("organisation", "hamlet")


def percent(done: int, goal: int) -> float | None:
    """Done as a share of the goal (None without a goal); above 100 only when the goal is exceeded."""
    return 100.0 * done / goal if goal else None


@dataclass
class PlanShare:
    """One part of a plan: its target, what was achieved, and by how much it is exceeded."""

    target: int
    achieved: int

    @property
    def percent(self) -> float | None:
        return percent(self.achieved, self.target)

    @property
    def exceeded(self) -> int:
        """How far the result goes beyond the target (0 while it does not)."""
        return max(0, self.achieved - self.target) if self.target else 0


# --- channels --------------------------------------------------------------------------------------------------

def channel_targets(campaign, office_ids: list[int]) -> dict[str, dict[str, int]]:
    """The offices' targets by channel, summed per channel and metric (empty when none is set)."""
    if not office_ids:
        return {}
    found: dict[str, dict[str, int]] = {}
    for channel, metric, value in db.session.execute(
            select(Target.channel, Target.metric, func.sum(Target.value)).where(
                Target.campaign_id == campaign.id, Target.level == "channel", Target.office_id.in_(office_ids))
            .group_by(Target.channel, Target.metric)):
        found.setdefault(channel, {})[metric] = int(value or 0)
    return found


def channel_shares(targets: dict[str, dict[str, int]], achieved: dict[str, dict[str, int]]
                   ) -> dict[str, dict[str, PlanShare]]:
    """Per channel and sign-up metric: the target and what was confirmed."""
    channels = set(targets) | set(achieved)
    return {channel: {m: PlanShare(targets.get(channel, {}).get(m, 0), achieved.get(channel, {}).get(m, 0))
                      for m in SIGNUP_METRICS} for channel in channels}


# --- organisations and hamlets ---------------------------------------------------------------------------------

def organisation_grouping(window, office_ids: list[int]) -> Grouping:
    """Sign-ups by the organisation of their agent (else of their event's organiser), conferences by their
    organiser, among the organisations of the offices."""
    organisations = select(AgentOrganisation.id).where(AgentOrganisation.office_id.in_(office_ids))
    credited = Agent.__table__.alias("credited_agent")
    organiser = Event.__table__.alias("organiser_event")
    key = func.coalesce(credited.c.organisation_id, organiser.c.organiser_organisation_id)
    joined = (SignUp.__table__
              .outerjoin(credited, credited.c.id == func.coalesce(SignUp.credited_agent_id, SignUp.agent_id))
              .outerjoin(organiser, organiser.c.id == SignUp.event_id))
    communes = select(Commune.id).where(Commune.province_id == window.province_id)
    return Grouping(communes, key, joined, signups=(key.in_(organisations),), strict=True,
                    event_key=Event.organiser_organisation_id,
                    events=(Event.organiser_organisation_id.in_(organisations),))


def hamlet_grouping(commune_id: int) -> Grouping:
    """Sign-ups of a commune by the hamlet of their household (hamlets count no conferences)."""
    return Grouping(select(Commune.id).where(Commune.id == commune_id), Household.hamlet_id,
                    SignUp.__table__.join(Household, Household.id == SignUp.household_id), strict=True)


def organisation_counts(window, office_ids: list[int], *, until: date | None = None) -> Counts:
    """Confirmed sign-ups and held conferences per agent organisation of the offices, over a window (events up
    to ``until``), counted as the office and commune levels are (:func:`~portal.reports.queries.count_by`); kept
    between requests while no sign-up, event or attendance changes (see memo)."""
    return memo.cached("organisation_counts", (memo.window_key(window), tuple(sorted(office_ids)), until),
                       lambda: count_by(window, organisation_grouping(window, office_ids), events_until=until),
                       depends=memo.counts_fingerprint)


def hamlet_counts(window, commune_id: int, *, until: date | None = None) -> Counts:
    """Confirmed sign-ups per hamlet of a commune (the hamlet of each one's household), over a window, counted
    as the office and commune levels are (kept like :func:`organisation_counts`)."""
    return memo.cached("hamlet_counts", (memo.window_key(window), commune_id, until),
                       lambda: count_by(window, hamlet_grouping(commune_id), events_until=until),
                       depends=memo.counts_fingerprint)


def _counts(window, where: Place, until: date | None = None) -> Counts:
    if where.level == "hamlet":
        return hamlet_counts(window, where.commune[0], until=until) if where.commune else Counts({}, {})
    return organisation_counts(window, where.covered_office_ids, until=until)


def subjects(where: Place) -> list[tuple[int, str]]:
    """The organisations of the offices the place covers (by office, then name), or the hamlets of its commune."""
    if where.level == "hamlet":
        if where.commune is None:
            return []
        return [tuple(r) for r in db.session.execute(select(Hamlet.id, Hamlet.name).where(
            Hamlet.commune_id == where.commune[0]).order_by(Hamlet.sort_key))]
    return [tuple(r) for r in db.session.execute(
        select(AgentOrganisation.id, AgentOrganisation.name).join(Office, Office.id == AgentOrganisation.office_id)
        .where(AgentOrganisation.office_id.in_(where.covered_office_ids))
        .order_by(Office.sort_key, AgentOrganisation.sort_key))]


def targets(campaign, where: Place) -> dict[int, dict[str, int]]:
    """The campaign's targets of the place's level (organisations or hamlets), per subject and metric."""
    column = Target.organisation_id if where.level == "organisation" else Target.hamlet_id
    found: dict[int, dict[str, int]] = {}
    for subject, metric, value in db.session.execute(select(column, Target.metric, Target.value).where(
            Target.campaign_id == campaign.id, Target.level == where.level)):
        found.setdefault(subject, {})[metric] = value
    return found


def progress_lines(campaign, where: Place, previous: Window | None = None
                   ) -> tuple[list[Line], Counts, Counts | None]:
    """Like :func:`~portal.reports.queries.progress_lines`, for organisations or the hamlets of one commune."""
    metrics = LEVEL_METRICS[where.level]
    now = _counts(campaign, where)
    before = None
    if previous is not None:
        whole = Window(previous.province_id, previous.starts_on, year_before(campaign.ends_on))
        before = _counts(whole, where, until=previous.ends_on)
    goals = targets(campaign, where)
    rows = [Line(where.level, sid, name, goals.get(sid, {}),
                 {m: now.by_key.get(sid, {}).get(m, 0) for m in metrics},
                 None if before is None else {m: before.by_key.get(sid, {}).get(m, 0) for m in metrics})
            for sid, name in subjects(where)]
    return rows, now, before


def ranked(lines: list[Line], metric: str = "new_bhxh_tn") -> list[tuple[int, Line]]:
    """Lines with a target for the metric, best share of plan first (then the most achieved), numbered from 1;
    lines without a target follow, unnumbered (0)."""
    with_goal = sorted([line for line in lines if line.target.get(metric)],
                       key=lambda line: (-(line.percent(metric) or 0), -line.achieved.get(metric, 0), line.name))
    without = [line for line in lines if not line.target.get(metric)]
    return [(n, line) for n, line in enumerate(with_goal, start=1)] + [(0, line) for line in without]
