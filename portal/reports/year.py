"""The year's work: every counted sign-up of a year (January to December) whatever its channel and whether or not
a campaign was running, month by month, by channel, with each campaign as one period of the year and the work
outside any campaign; by office or commune, with coverage against labour force and population.

A fixed number of grouped queries: sign-ups per day and channel, sign-ups and events per subject, the campaigns,
and coverage's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select

from ..auth.scope import Place
from ..campaigns.models import Campaign
from ..extensions import db
from ..geo.models import Commune
from ..results.models import CHANNELS, SignUp
from . import coverage, memo, queries
from .queries import CHANNEL_METRICS, Window, counted

#: What the year's lines count.
YEAR_METRICS = ("new_bhxh_tn", "new_bhyt_hgd", "renewals", "amount")


@dataclass
class Tally:
    """Counted sign-ups: new in each scheme, renewals, and the amount collected."""

    new_bhxh_tn: int = 0
    new_bhyt_hgd: int = 0
    renewals: int = 0
    amount: int = 0

    def add(self, values) -> None:
        for name in YEAR_METRICS:
            setattr(self, name, getattr(self, name) + int(values[name] if isinstance(values, dict)
                                                            else getattr(values, name)))

    @property
    def total(self) -> int:
        return self.new_bhxh_tn + self.new_bhyt_hgd + self.renewals


@dataclass
class Period:
    """A part of the year: a campaign's period (within the year), a month, or the days outside every campaign."""

    label: str
    starts_on: date | None = None
    ends_on: date | None = None
    campaign: Campaign | None = None
    tally: Tally = field(default_factory=Tally)


def year_window(province_id: int, year: int) -> Window:
    return Window(province_id, date(year, 1, 1), date(year, 12, 31))


def per_day(window: Window, office_ids: list[int]) -> dict[tuple[date, str], dict[str, int]]:
    """Counted sign-ups per day and channel in the communes of the offices (kept while no sign-up changes)."""
    return memo.cached("per_day", (window, tuple(sorted(office_ids))), lambda: _per_day(window, office_ids))


def _per_day(window: Window, office_ids: list[int]) -> dict[tuple[date, str], dict[str, int]]:
    communes = select(Commune.id).where(Commune.office_id.in_(office_ids))
    stmt = (select(SignUp.signed_on, SignUp.channel,
                   func.sum(case(((SignUp.scheme == "bhxh_tn") & (SignUp.kind == "new"), 1), else_=0)),
                   func.sum(case(((SignUp.scheme == "bhyt_hgd") & (SignUp.kind == "new"), 1), else_=0)),
                   func.sum(case((SignUp.kind == "renewal", 1), else_=0)), func.sum(SignUp.net))
            .where(counted(), SignUp.signed_on >= window.starts_on, SignUp.signed_on <= window.ends_on,
                   SignUp.commune_id.in_(communes))
            .group_by(SignUp.signed_on, SignUp.channel))
    return {(day, channel): dict(zip(CHANNEL_METRICS, (int(v or 0) for v in values), strict=True))
            for day, channel, *values in db.session.execute(stmt)}


def campaigns_of(province_id: int, year: int) -> list[Campaign]:
    """The province's campaigns that overlap the year, in date order."""
    return list(db.session.scalars(select(Campaign).where(
        Campaign.province_id == province_id, Campaign.status != "draft",
        Campaign.starts_on <= date(year, 12, 31), Campaign.ends_on >= date(year, 1, 1))
        .order_by(Campaign.starts_on, Campaign.id)))


def month_label(month: int):
    """A month's name on the page ("Tháng 5")."""
    return _l("Month %(month)s", month=month)


def summary(province_id: int, year: int, where: Place, today: date) -> dict:
    """Everything the year's page shows for one place."""
    window = year_window(province_id, year)
    days = per_day(window, where.covered_office_ids)
    total, channels = Tally(), {c: Tally() for c in CHANNELS}
    months = [Period(month_label(m + 1), date(year, m + 1, 1)) for m in range(12)]
    for (day, channel), values in days.items():
        total.add(values)
        channels.setdefault(channel, Tally()).add(values)
        months[day.month - 1].tally.add(values)
    found = campaigns_of(province_id, year)
    periods, covered = [], set()
    for campaign in found:
        start, end = max(campaign.starts_on, window.starts_on), min(campaign.ends_on, window.ends_on)
        period = Period(campaign.name, start, end, campaign)
        for (day, _channel), values in days.items():
            if start <= day <= end:
                period.tally.add(values)
        day = start
        while day <= end:
            covered.add(day)
            day += timedelta(days=1)
        periods.append(period)
    outside = Period("", tally=Tally())
    for (day, _channel), values in days.items():
        if day not in covered:
            outside.tally.add(values)
    level = "office" if where.office is None else "commune"
    filter_ = None if where.office is None else Commune.office_id == where.office_id
    by_key = queries.counts(window, level, filter_).by_key
    cover = coverage.coverage(province_id, year, where, today)
    lines = [{"line": line, "tally": by_key.get(line.subject_id, {})} for line in cover.lines]
    return {"year": year, "window": window, "total": total, "channels": channels,
            "months": months, "periods": periods, "outside": outside, "outside_days": window.days - len(covered), "level": level, "lines": lines, "coverage": cover, "today": today}
