"""Coverage: the participants in force against each commune's labour force and population, rolled up to the
office and the province, with the province's yearly coverage target.

Participants in force come from people's statuses: participating in voluntary social insurance (BHXH TN), and
holding a household health insurance card (BHYT HGĐ) valid on the day counted (today, or the last day of a past
year). A fixed number of grouped queries whatever the number of communes or people.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from ..auth.scope import Place
from ..campaigns.models import SHARE_SCALE, CommuneFigures, CoverageTarget
from ..extensions import db
from ..geo.models import Commune
from ..households.models import Person
from ..org.models import Office
from . import memo


@dataclass
class CoverageLine:
    """One subject's base figures and participants in force."""

    subject_id: int
    name: str
    labour_force: int | None = None
    population: int | None = None
    bhxh_tn: int = 0
    bhyt: int = 0

    @property
    def bhxh_tn_percent(self) -> float | None:
        return 100.0 * self.bhxh_tn / self.labour_force if self.labour_force else None

    @property
    def bhyt_percent(self) -> float | None:
        return 100.0 * self.bhyt / self.population if self.population else None

    def add(self, other: CoverageLine) -> None:
        """Add another subject's figures (an unknown base stays unknown only while every part is unknown)."""
        if other.labour_force is not None:
            self.labour_force = (self.labour_force or 0) + other.labour_force
        if other.population is not None:
            self.population = (self.population or 0) + other.population
        self.bhxh_tn += other.bhxh_tn
        self.bhyt += other.bhyt


@dataclass
class Goal:
    """The province's coverage target for a year, in percent (None: not set)."""

    bhxh_tn: float | None = None
    bhyt: float | None = None


@dataclass
class Coverage:
    """Coverage of a place for a year: a line per subject of the place's level, their total, and the target."""

    year: int
    day: date
    level: str
    lines: list[CoverageLine]
    total: CoverageLine
    goal: Goal

    @property
    def missing(self) -> int:
        """Subjects without a labour force or population figure."""
        return sum(1 for line in self.lines if line.labour_force is None or line.population is None)


def counted_day(year: int, today: date) -> date:
    """The day participants in force are counted on: today for this year (and later ones), the last day of a
    past year."""
    return min(today, date(year, 12, 31))


def goal(province_id: int, year: int) -> Goal:
    """The province's coverage target of the year."""
    row = db.session.execute(select(CoverageTarget.bhxh_tn_share, CoverageTarget.bhyt_share).where(
        CoverageTarget.province_id == province_id, CoverageTarget.year == year)).first()
    if row is None:
        return Goal()
    return Goal(*(None if v is None else v / SHARE_SCALE for v in row))


def commune_figures(year: int, commune_ids) -> dict[int, tuple[int | None, int | None]]:
    """Labour force and population per commune of the sub-query, for a year."""
    return {cid: (lf, pop) for cid, lf, pop in db.session.execute(
        select(CommuneFigures.commune_id, CommuneFigures.labour_force, CommuneFigures.population).where(
            CommuneFigures.year == year, CommuneFigures.commune_id.in_(commune_ids)))}


def in_force(office_ids: list[int], day: date, commune_id: int | None = None) -> dict[int, tuple[int, int]]:
    """Participants in force per commune of the offices (or of one commune): (BHXH TN participating, BHYT card
    valid on ``day``). Two grouped queries, each read from an index of people by status or card expiry, kept
    while the people do not change (see memo)."""
    key = (tuple(sorted(office_ids)), day, commune_id)
    return memo.cached("in_force", key, lambda: _in_force(office_ids, day, commune_id))


def _in_force(office_ids: list[int], day: date, commune_id: int | None) -> dict[int, tuple[int, int]]:
    commune_ids = (select(Commune.id).where(Commune.id == commune_id) if commune_id is not None
                   else select(Commune.id).where(Commune.office_id.in_(office_ids)))
    result: dict[int, list[int]] = {}
    tn = select(Person.commune_id, func.count()).where(
        Person.bhxh_tn_status == "participating", Person.commune_id.in_(commune_ids)).group_by(Person.commune_id)
    for cid, n in db.session.execute(tn):
        result.setdefault(cid, [0, 0])[0] = int(n)
    yt = select(Person.commune_id, func.count()).where(
        Person.bhyt_expires_on >= day, Person.commune_id.in_(commune_ids)).group_by(Person.commune_id)
    for cid, n in db.session.execute(yt):
        result.setdefault(cid, [0, 0])[1] = int(n)
    return {cid: (v[0], v[1]) for cid, v in result.items()}


def commune_lines(office_ids: list[int], year: int, day: date) -> list[tuple[int, CoverageLine]]:
    """(office id, line) for every commune of the offices, by office then commune name."""
    names = db.session.execute(select(Commune.office_id, Commune.id, Commune.name).join(
        Office, Office.id == Commune.office_id).where(Commune.office_id.in_(office_ids))
        .order_by(Office.sort_key, Commune.sort_key)).all()
    figures = commune_figures(year, select(Commune.id).where(Commune.office_id.in_(office_ids)))
    people = in_force(office_ids, day)
    result = []
    for office_id, cid, name in names:
        labour_force, population = figures.get(cid, (None, None))
        tn, yt = people.get(cid, (0, 0))
        result.append((office_id, CoverageLine(cid, name, labour_force, population, tn, yt)))
    return result


def coverage(province_id: int, year: int, where: Place, today: date) -> Coverage:
    """Coverage of the place: its offices (office level) or the communes of its office, with their total."""
    day = counted_day(year, today)
    if where.level == "office":
        communes = commune_lines(where.office_ids, year, day)
        lines = {o.id: CoverageLine(o.id, o.name) for o in where.offices}
        for office_id, line in communes:
            lines[office_id].add(line)
        rows = list(lines.values())
    else:
        rows = [line for _office, line in commune_lines([where.office_id], year, day)]
    total = CoverageLine(0, "")
    for line in rows:
        total.add(line)
    return Coverage(year, day, "office" if where.level == "office" else "commune", rows, total,
                    goal(province_id, year))
