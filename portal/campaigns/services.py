"""Campaign writes: the May wizard, targets, status; each with an audit entry."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from ..audit import services as audit
from ..extensions import db
from ..geo.models import Commune
from ..households.models import Household, Person
from ..org.models import Office
from .models import METRICS, Campaign, Target

BASES = ("fixed", "households", "labour_force", "last_year")


def spread(total: int, weights: dict[int, int]) -> dict[int, int]:
    """Share a total in proportion to weights, in whole numbers that add up exactly (largest remainder)."""
    if total <= 0 or not weights:
        return {k: 0 for k in weights}
    weight_sum = sum(weights.values())
    if weight_sum == 0:
        weights = {k: 1 for k in weights}
        weight_sum = len(weights)
    raw = {k: total * w / weight_sum for k, w in weights.items()}
    result = {k: int(v) for k, v in raw.items()}
    left = total - sum(result.values())
    for k in sorted(raw, key=lambda k: (-(raw[k] - result[k]), k))[:left]:
        result[k] += 1
    return result


def _weights(basis: str, communes: list[int], year: int) -> dict[int, int]:
    if basis == "households":
        rows = db.session.execute(select(Household.commune_id, func.count()).where(
            Household.commune_id.in_(communes)).group_by(Household.commune_id)).all()
    else:
        first_may = date(year, 5, 1)
        oldest = first_may.replace(year=year - 61)
        youngest = first_may.replace(year=year - 15)
        rows = db.session.execute(select(Person.commune_id, func.count()).where(
            Person.commune_id.in_(communes), Person.date_of_birth > oldest, Person.date_of_birth <= youngest)
            .group_by(Person.commune_id)).all()
    found = dict(rows)
    return {c: found.get(c, 0) for c in communes}


def set_target(campaign: Campaign, level: str, subject_id: int, metric: str, value: int) -> Target:
    """Create or change one target (caller commits)."""
    key = Target.key_for(level, subject_id)
    target = db.session.scalar(select(Target).where(Target.campaign_id == campaign.id, Target.metric == metric,
                                                    Target.subject_key == key))
    if target is None:
        target = Target(campaign_id=campaign.id, level=level, metric=metric, subject_key=key)
        setattr(target, f"{level}_id", subject_id)
        db.session.add(target)
    target.value = value
    return target


def may_campaign(*, province_id: int, year: int, basis: str, totals: dict[str, int], per_commune: dict[str, int],
                 user) -> Campaign:
    """Create the May campaign month of a province with commune and office targets (caller commits)."""
    office = db.session.scalar(select(Office).where(Office.province_id == province_id, Office.kind == "province"))
    campaign = Campaign(name=f"Tháng vận động BHXH toàn dân năm {year}", kind="may_month",
                        starts_on=date(year, 5, 1), ends_on=date(year, 5, 31), province_id=province_id,
                        office_id=office.id, status="draft", created_by_id=user.id)
    db.session.add(campaign)
    db.session.flush()
    communes = db.session.execute(select(Commune.id, Commune.office_id).where(
        Commune.province_id == province_id, Commune.office_id.is_not(None))).all()
    commune_ids = [c for c, _o in communes]
    values: dict[str, dict[int, int]] = {}
    if basis == "fixed":
        values = {m: {c: per_commune.get(m, 0) for c in commune_ids} for m in METRICS}
    elif basis == "last_year":
        values = last_year_results(province_id, year, commune_ids)
    else:
        weights = _weights(basis, commune_ids, year)
        values = {m: spread(totals.get(m, 0), weights) for m in METRICS}
    by_office: dict[int, dict[str, int]] = {}
    rows = []
    for commune_id, office_id in communes:
        for metric in METRICS:
            value = values[metric].get(commune_id, 0)
            rows.append({"campaign_id": campaign.id, "level": "commune", "commune_id": commune_id, "office_id": None,
                         "agent_id": None,
                         "subject_key": Target.key_for("commune", commune_id), "metric": metric, "value": value})
            by_office.setdefault(office_id, {}).setdefault(metric, 0)
            by_office[office_id][metric] += value
    for office_id, metrics in by_office.items():
        for metric, value in metrics.items():
            rows.append({"campaign_id": campaign.id, "level": "office", "office_id": office_id, "commune_id": None,
                         "agent_id": None,
                         "subject_key": Target.key_for("office", office_id), "metric": metric, "value": value})
    if rows:
        db.session.execute(Target.__table__.insert(), rows)
    audit.record("campaign.create", obj=campaign, object_type="campaign",
                 details={"basis": basis, "communes": len(communes), "offices": len(by_office)})
    return campaign


def last_year_results(province_id: int, year: int, commune_ids: list[int]) -> dict[str, dict[int, int]]:
    """What each commune achieved in last year's May campaign month (confirmed results), per metric."""
    from ..reports.queries import achievements

    previous = Campaign(province_id=province_id, starts_on=date(year - 1, 5, 1), ends_on=date(year - 1, 5, 31))
    done = achievements(previous, "commune")
    return {m: {c: done.get(c, {}).get(m, 0) for c in commune_ids} for m in METRICS}
