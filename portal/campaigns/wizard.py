"""The May campaign wizard: the May campaign month of a province and year, with its targets, in one step.

Targets are set for every commune of the province that a local office serves, from one of these bases:

- ``copy``: last year's May campaign targets of each commune;
- ``results``: what each commune achieved in last year's May (confirmed results, as the progress report counts);
- ``households`` / ``labour_force``: a province total per metric shared out in proportion to the households in
  the registry, or to the people aged 15 to 60 on 1 May of the year;
- ``fixed``: the same number for every commune.

Shares are whole numbers that add up exactly to the total (largest remainder). Office targets are the sums of
their communes; agent targets are left empty for the offices to set.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..audit import services as audit
from ..extensions import db
from ..geo.models import Commune, Province
from ..households.models import Household, Person
from ..org.models import Office
from .models import METRICS, Campaign, Target
from .queries import may_campaign_of

BASES = ("copy", "results", "households", "labour_force", "fixed")
#: Bases that share a province total (the others take a number per commune, or no number at all).
SPREAD_BASES = ("households", "labour_force")


class WizardError(ValueError):
    """The campaign cannot be created as asked; ``field`` names the form field, the message says why."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def campaign_name(year: int) -> str:
    """The usual name of the May campaign month."""
    return f"Tháng vận động BHXH toàn dân năm {year}"


def spread(total: int, weights: dict[int, int]) -> dict[int, int]:
    """Share a total in proportion to weights, in whole numbers that add up exactly (largest remainder).

    Ties in the remainders go to the larger weight, then to the smaller key, so the result is stable.
    """
    if total <= 0 or not weights:
        return dict.fromkeys(weights, 0)
    weight_sum = sum(weights.values())
    if weight_sum <= 0:
        raise ValueError("no weight to spread by")
    result = {k: total * w // weight_sum for k, w in weights.items()}
    remainders = {k: total * w % weight_sum for k, w in weights.items()}
    left = total - sum(result.values())
    for k in sorted(weights, key=lambda k: (-remainders[k], -weights[k], k))[:left]:
        result[k] += 1
    return result


def labour_force_window(year: int) -> tuple[date, date]:
    """Birth dates of people aged 15 to 60 on 1 May of the year: (born after, born on or before)."""
    return date(year - 61, 5, 1), date(year - 15, 5, 1)


def served_communes(province_id: int) -> list[tuple[int, int]]:
    """(commune id, office id) of the province's communes that a local office serves."""
    return db.session.execute(select(Commune.id, Commune.office_id).join(Office, Office.id == Commune.office_id)
                              .where(Commune.province_id == province_id, Office.kind == "local")
                              .order_by(Commune.sort_key)).all()


def weights(basis: str, commune_ids: list[int], year: int) -> dict[int, int]:
    """Households, or people of working age, per commune."""
    if basis == "households":
        stmt = select(Household.commune_id, func.count()).where(Household.commune_id.in_(commune_ids)) \
            .group_by(Household.commune_id)
    else:
        born_after, born_by = labour_force_window(year)
        stmt = select(Person.commune_id, func.count()).where(
            Person.commune_id.in_(commune_ids), Person.date_of_birth > born_after,
            Person.date_of_birth <= born_by).group_by(Person.commune_id)
    found = dict(db.session.execute(stmt).all()) if commune_ids else {}
    return {c: int(found.get(c, 0)) for c in commune_ids}


def copied_targets(previous: Campaign | None, commune_ids: list[int]) -> dict[str, dict[int, int]]:
    """Last year's commune targets, per metric."""
    values: dict[str, dict[int, int]] = {m: dict.fromkeys(commune_ids, 0) for m in METRICS}
    if previous is not None and commune_ids:
        for commune_id, metric, value in db.session.execute(select(
                Target.commune_id, Target.metric, Target.value).where(
                Target.campaign_id == previous.id, Target.level == "commune", Target.commune_id.in_(commune_ids))):
            values[metric][commune_id] = value
    return values


def previous_results(province_id: int, year: int, previous: Campaign | None,
                     commune_ids: list[int]) -> dict[str, dict[int, int]]:
    """What each commune achieved in last year's May, per metric (counted as the progress report counts)."""
    from ..reports.queries import achievements  # one definition of "achieved" for the whole portal

    window = previous or Campaign(province_id=province_id, starts_on=date(year - 1, 5, 1),
                                  ends_on=date(year - 1, 5, 31))
    done = achievements(window, "commune")
    return {m: {c: int(done.get(c, {}).get(m, 0)) for c in commune_ids} for m in METRICS}


@dataclass
class Facts:
    """What the wizard can build on for a province and year (shown beside each basis)."""

    province_id: int
    year: int
    communes: int = 0  #: served by a local office
    offices: int = 0
    unserved: int = 0  #: communes no local office serves (they get no targets)
    households: int = 0
    labour_force: int = 0
    existing: Campaign | None = None  #: this year's May campaign, if any
    previous: Campaign | None = None  #: last year's
    copy_totals: dict[str, int] = field(default_factory=dict)
    result_totals: dict[str, int] = field(default_factory=dict)

    @property
    def has_copy(self) -> bool:
        return any(self.copy_totals.values())

    @property
    def has_results(self) -> bool:
        return any(self.result_totals.values())


def facts(province_id: int, year: int) -> Facts:
    """Counts for the wizard's page and its checks."""
    served = served_communes(province_id)
    ids = [c for c, _o in served]
    result = Facts(province_id, year, communes=len(served), offices=len({o for _c, o in served}))
    result.unserved = db.session.scalar(select(func.count()).select_from(Commune).where(
        Commune.province_id == province_id)) - len(served)
    if ids:
        result.households = sum(weights("households", ids, year).values())
        result.labour_force = sum(weights("labour_force", ids, year).values())
    result.existing = may_campaign_of(province_id, year)
    result.previous = may_campaign_of(province_id, year - 1)
    result.copy_totals = {m: sum(v.values()) for m, v in copied_targets(result.previous, ids).items()}
    result.result_totals = {m: sum(v.values()) for m, v in previous_results(
        province_id, year, result.previous, ids).items()}
    return result


def check(found: Facts, basis: str, numbers: dict[str, int]) -> None:
    """Refuse what cannot make a sensible campaign; raises :class:`WizardError`."""
    year = found.year
    if found.existing is not None:
        raise WizardError("year", _("This province already has a May campaign for %(year)d: “%(name)s”.",
                                    year=year, name=found.existing.name))
    if not found.communes:
        raise WizardError("province_id", _("No commune of this province is served by a local office yet: assign "
                                           "communes to offices first."))
    if basis == "copy" and not found.has_copy:
        raise WizardError("basis", _("There are no targets of a May campaign in %(year)d to copy.", year=year - 1))
    if basis == "results" and not found.has_results:
        raise WizardError("basis", _("No results were recorded in May %(year)d.", year=year - 1))
    if basis in SPREAD_BASES or basis == "fixed":
        if not any(numbers.values()):
            raise WizardError("basis", _("Enter at least one number."))
    if basis == "households" and not found.households:
        raise WizardError("basis", _("The registry holds no households in this province yet: choose another "
                                     "basis."))
    if basis == "labour_force" and not found.labour_force:
        raise WizardError("basis", _("The registry holds nobody aged 15 to 60 in this province yet: choose "
                                     "another basis."))


def create_may_campaign(*, province_id: int, year: int, basis: str, numbers: dict[str, int], user) -> Campaign:
    """Create the May campaign month with commune and office targets, in the caller's transaction.

    The province row is locked first (PostgreSQL), so two people pressing the button at once cannot make two
    campaigns; SQLite write transactions are serialised anyway.
    """
    province = db.session.scalar(select(Province).where(Province.id == province_id).with_for_update())
    office = db.session.scalar(select(Office).where(Office.province_id == province_id, Office.kind == "province")
                               .order_by(Office.id).limit(1))
    if province is None or office is None:
        raise WizardError("province_id", _("This province has no province office."))
    found = facts(province_id, year)
    check(found, basis, numbers)
    served = served_communes(province_id)
    ids = [c for c, _o in served]
    if basis == "copy":
        values = copied_targets(found.previous, ids)
    elif basis == "results":
        values = previous_results(province_id, year, found.previous, ids)
    elif basis == "fixed":
        values = {m: dict.fromkeys(ids, numbers.get(m, 0)) for m in METRICS}
    else:
        shares = weights(basis, ids, year)
        values = {m: spread(numbers.get(m, 0), shares) for m in METRICS}

    campaign = Campaign(name=campaign_name(year), kind="may_month", starts_on=date(year, 5, 1),
                        ends_on=date(year, 5, 31), province_id=province_id, office_id=office.id, status="draft",
                        created_by_id=user.id)
    db.session.add(campaign)
    db.session.flush()
    rows = []
    by_office: dict[int, dict[str, int]] = {}
    for commune_id, office_id in served:
        sums = by_office.setdefault(office_id, dict.fromkeys(METRICS, 0))
        for metric in METRICS:
            value = values[metric].get(commune_id, 0)
            sums[metric] += value
            rows.append({"campaign_id": campaign.id, "level": "commune", "office_id": None, "commune_id": commune_id,
                         "agent_id": None, "subject_key": Target.key_for("commune", commune_id), "metric": metric,
                         "value": value})
    for office_id, sums in by_office.items():
        for metric, value in sums.items():
            rows.append({"campaign_id": campaign.id, "level": "office", "office_id": office_id, "commune_id": None,
                         "agent_id": None, "subject_key": Target.key_for("office", office_id), "metric": metric,
                         "value": value})
    db.session.execute(Target.__table__.insert(), rows)
    totals = {m: sum(values[m].get(c, 0) for c in ids) for m in METRICS}
    audit.record("campaign.create", obj=campaign, object_type="campaign", details={
        "wizard": "may_month", "year": year, "basis": basis, "communes": len(served), "offices": len(by_office),
        "targets": len(rows), "totals": totals, "unserved_communes": found.unserved})
    return campaign
