"""Reading targets for the grid: rows of subjects, one column per metric, totals, and mismatches."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from ..extensions import db
from ..geo.models import Commune
from ..org.models import Agent, Office
from .models import METRICS, Target


@dataclass
class GridRow:
    """One subject and its targets."""

    level: str
    subject_id: int
    code: str
    name: str
    values: dict[str, int] = field(default_factory=dict)


def grid(campaign, level: str, office_id: int | None, office_ids) -> list[GridRow]:
    """Rows for a level: offices of the campaign, or communes / agents of one office."""
    if level == "office":
        subjects = db.session.execute(select(Office.id, Office.code, Office.name).where(
            Office.province_id == campaign.province_id, Office.kind == "local", Office.id.in_(office_ids))
            .order_by(Office.sort_key)).all()
    elif level == "commune":
        subjects = db.session.execute(select(Commune.id, Commune.code, Commune.name).where(
            Commune.office_id == office_id).order_by(Commune.sort_key)).all()
    else:
        subjects = db.session.execute(select(Agent.id, Agent.code, Agent.full_name).where(
            Agent.office_id == office_id, Agent.active.is_(True)).order_by(Agent.sort_key)).all()
    values: dict[tuple[int, str], int] = {}
    column = getattr(Target, f"{level}_id")
    for subject, metric, value in db.session.execute(select(column, Target.metric, Target.value).where(
            Target.campaign_id == campaign.id, Target.level == level)):
        values[(subject, metric)] = value
    return [GridRow(level, s, code, name, {m: values.get((s, m), 0) for m in METRICS}) for s, code, name in subjects]


def totals(rows: list[GridRow]) -> dict[str, int]:
    """Column totals."""
    return {m: sum(r.values[m] for r in rows) for m in METRICS}


def mismatches(campaign, office_id: int, level: str, rows: list[GridRow]) -> dict[str, int]:
    """Metric -> children's total minus the office's target, where they differ."""
    office = {m: v for m, v in db.session.execute(select(Target.metric, Target.value).where(
        Target.campaign_id == campaign.id, Target.subject_key == Target.key_for("office", office_id))).all()}
    child = totals(rows)
    if level == "agent" and not any(child.values()):
        return {}
    return {m: child[m] - office.get(m, 0) for m in METRICS if child[m] != office.get(m, 0)}
