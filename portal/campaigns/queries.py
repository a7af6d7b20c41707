"""Reads of campaigns and targets: the list, grid rows with totals, and where targets do not add up.

Every function on targets takes the :class:`~portal.auth.scope.Place` a request addresses, which holds the offices
the user may see: a local officer's holds their own office only, so other offices' rows never reach their pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, func, or_, select, true

from ..auth.scope import Place, scoped
from ..extensions import db
from ..geo.models import Commune, Hamlet, Province
from ..i18n.formatting import format_number
from ..org.models import Agent, AgentOrganisation, Office
from .labels import CHANNEL_LABELS
from .models import METRICS, TARGET_CHANNELS, Campaign, Target


@dataclass
class GridRow:
    """One subject (an office, a commune or an agent) and its targets."""

    level: str
    subject_id: int
    code: str
    name: str
    values: dict[str, int] = field(default_factory=dict)
    active: bool = True

    @property
    def total(self) -> int:
        return sum(self.values.values())


@dataclass
class Mismatch:
    """An office whose communes' (or agents') targets do not add up to its own, metric by metric."""

    office_id: int
    office_name: str
    level: str  #: "commune" or "agent"
    #: metric -> (children's total, office target)
    metrics: dict[str, tuple[int, int]] = field(default_factory=dict)

    def difference(self, metric: str) -> int:
        children, office = self.metrics[metric]
        return children - office


def signed(number: int) -> str:
    """A difference as +1.500 / −20 / 0."""
    sign = "+" if number > 0 else "\u2212" if number < 0 else ""
    return sign + format_number(abs(number))


# --- campaigns -------------------------------------------------------------------------------------------------

def campaign_list(*, year: int | None = None, kind: str | None = None, status: str | None = None) -> Select:
    """Campaigns in scope with their province and owning office names, newest first."""
    stmt = scoped(Campaign, select(Campaign, Province.name, Office.name)).join(
        Province, Province.id == Campaign.province_id).join(Office, Office.id == Campaign.office_id)
    if year:
        stmt = stmt.where(Campaign.starts_on <= date(year, 12, 31), Campaign.ends_on >= date(year, 1, 1))
    if kind:
        stmt = stmt.where(Campaign.kind == kind)
    if status:
        stmt = stmt.where(Campaign.status == status)
    return stmt.order_by(Campaign.starts_on.desc(), Campaign.id.desc())


def campaign_years() -> list[int]:
    """The years campaigns in scope run in, newest first."""
    years: set[int] = set()
    for starts, ends in db.session.execute(scoped(Campaign, select(Campaign.starts_on, Campaign.ends_on))):
        years.update(range(starts.year, ends.year + 1))
    return sorted(years, reverse=True)


def may_campaign_of(province_id: int, year: int) -> Campaign | None:
    """The May campaign month of a province in a year, if there is one."""
    return db.session.scalar(select(Campaign).where(
        Campaign.province_id == province_id, Campaign.kind == "may_month",
        Campaign.starts_on >= date(year, 1, 1), Campaign.starts_on <= date(year, 12, 31)).limit(1))


# --- offices and grid rows -------------------------------------------------------------------------------------

def _subjects(campaign: Campaign, where: Place):
    level, office_id, office_ids = where.level, where.office_id, where.office_ids
    if office_id is not None and office_id not in office_ids:
        return []
    if level == "channel":  # rows numbered 1.. in the order of the channels
        return [(n, code, str(CHANNEL_LABELS[code]), True) for n, code in enumerate(TARGET_CHANNELS, start=1)]
    if level == "organisation":
        return db.session.execute(select(AgentOrganisation.id, AgentOrganisation.id, AgentOrganisation.name,
                                         true()).where(AgentOrganisation.office_id == office_id)
                                  .order_by(AgentOrganisation.sort_key)).all()
    if level == "hamlet":
        if where.commune is None:
            return []
        return db.session.execute(select(Hamlet.id, Hamlet.id, Hamlet.name, true()).where(
            Hamlet.commune_id == where.commune[0]).order_by(Hamlet.sort_key)).all()
    if level == "office":
        return db.session.execute(select(Office.id, Office.code, Office.name, true()).where(
            Office.id.in_(office_ids)).order_by(Office.sort_key)).all()
    if level == "commune":
        return db.session.execute(select(Commune.id, Commune.code, Commune.name, true()).where(
            Commune.office_id == office_id, Commune.office_id.in_(office_ids)).order_by(Commune.sort_key)).all()
    with_targets = select(Target.agent_id).where(Target.campaign_id == campaign.id, Target.level == "agent",
                                                 Target.value > 0)
    return db.session.execute(select(Agent.id, Agent.code, Agent.full_name, Agent.active).where(
        Agent.office_id == office_id, Agent.office_id.in_(office_ids),
        or_(Agent.active.is_(True), Agent.id.in_(with_targets))).order_by(Agent.sort_key)).all()


def grid(campaign: Campaign, where: Place) -> list[GridRow]:
    """Rows for the place's level: the visible offices, or the communes / agents of the visible office asked for."""
    level = where.level
    subjects = _subjects(campaign, where)
    values: dict[tuple[int, str], int] = {}
    if level == "channel":
        number = {code: n for n, code, _name, _active in subjects}
        for channel, metric, value in db.session.execute(select(Target.channel, Target.metric, Target.value).where(
                Target.campaign_id == campaign.id, Target.level == "channel", Target.office_id == where.office_id)):
            values[(number.get(channel, 0), metric)] = value
    elif ids := [s[0] for s in subjects]:
        column = getattr(Target, f"{level}_id")
        for subject, metric, value in db.session.execute(select(column, Target.metric, Target.value).where(
                Target.campaign_id == campaign.id, Target.level == level, column.in_(ids))):
            values[(subject, metric)] = value
    # Organisations and hamlets have no code of their own: their number stands for it (in the export too).
    return [GridRow(level, sid, str(code), name, {m: values.get((sid, m), 0) for m in METRICS}, bool(active))
            for sid, code, name, active in subjects]


def communes_of(office_id: int | None) -> list[tuple[int, str]]:
    """The communes of an office, in name order (the hamlets grid's choice)."""
    return [tuple(r) for r in db.session.execute(select(Commune.id, Commune.name).where(
        Commune.office_id == office_id).order_by(Commune.sort_key))]


def parent_targets(campaign: Campaign, where: Place) -> dict[str, int] | None:
    """What the rows of a grid split, per metric: the office's own targets (its communes, agents, channels and
    organisations), or the commune's (its hamlets); None at the offices level."""
    if where.level == "office":
        return None
    if where.level == "hamlet":
        if where.commune is None:
            return dict.fromkeys(METRICS, 0)
        found = dict(db.session.execute(select(Target.metric, Target.value).where(
            Target.campaign_id == campaign.id, Target.subject_key == Target.key_for("commune", where.commune[0])))
            .all())
        return {m: found.get(m, 0) for m in METRICS}
    return office_targets(campaign, where.office.id)


def totals(rows: list[GridRow]) -> dict[str, int]:
    """Column totals of grid rows."""
    return {m: sum(r.values[m] for r in rows) for m in METRICS}


def office_targets(campaign: Campaign, office_id: int) -> dict[str, int]:
    """An office's own targets, per metric (0 where none is set)."""
    found = dict(db.session.execute(select(Target.metric, Target.value).where(
        Target.campaign_id == campaign.id, Target.subject_key == Target.key_for("office", office_id))).all())
    return {m: found.get(m, 0) for m in METRICS}


def mismatches(campaign: Campaign, where: Place) -> list[Mismatch]:
    """For each office: the metrics where its communes' (or agents') targets differ from its own. At the offices
    level every visible office is checked against both; otherwise the office asked for, at the place's level.

    Agents are compared only once some agent of the office has a target (they are left empty at first).
    """
    offices, level = (where.offices, None) if where.level == "office" else ([where.office], where.level)
    ids = [o.id for o in offices]
    if not ids:
        return []
    own = {(o, m): v for o, m, v in db.session.execute(select(Target.office_id, Target.metric, Target.value).where(
        Target.campaign_id == campaign.id, Target.level == "office", Target.office_id.in_(ids)))}
    sums: dict[str, dict[tuple[int, str], int]] = {}
    for child, model, column in (("commune", Commune, Target.commune_id), ("agent", Agent, Target.agent_id)):
        if level not in (None, child):
            continue
        sums[child] = {(o, m): int(v) for o, m, v in db.session.execute(
            select(model.office_id, Target.metric, func.sum(Target.value)).join(model, model.id == column).where(
                Target.campaign_id == campaign.id, Target.level == child, model.office_id.in_(ids))
            .group_by(model.office_id, Target.metric))}
    result = []
    for office in offices:
        for child, values in sums.items():
            if child == "agent" and not any(values.get((office.id, m), 0) for m in METRICS):
                continue
            found = Mismatch(office.id, office.name, child)
            for metric in METRICS:
                children, target = values.get((office.id, metric), 0), own.get((office.id, metric), 0)
                if children != target:
                    found.metrics[metric] = (children, target)
            if found.metrics:
                result.append(found)
    return result


def summary(campaign: Campaign, where: Place) -> dict[str, dict[str, int]]:
    """Targets summed per level and metric, over the visible offices (and their communes and agents)."""
    office_ids = where.office_ids
    result = {level: dict.fromkeys(METRICS, 0) for level in ("office", "commune", "agent")}
    if not office_ids:
        return result
    queries = {
        "office": select(Target.metric, func.sum(Target.value)).where(Target.office_id.in_(office_ids)),
        "commune": select(Target.metric, func.sum(Target.value)).join(Commune, Commune.id == Target.commune_id)
        .where(Commune.office_id.in_(office_ids)),
        "agent": select(Target.metric, func.sum(Target.value)).join(Agent, Agent.id == Target.agent_id)
        .where(Agent.office_id.in_(office_ids)),
    }
    for level, stmt in queries.items():
        for metric, value in db.session.execute(stmt.where(Target.campaign_id == campaign.id,
                                                           Target.level == level).group_by(Target.metric)):
            result[level][metric] = int(value or 0)
    return result
