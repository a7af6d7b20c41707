"""Demo coverage: every commune's labour force and population for the demo years, the province's coverage targets,
and a conference held in December, outside every campaign, whose results are confirmed (so that the year's work
shows work done outside the campaign)."""

from __future__ import annotations

import random
from datetime import date

from sqlalchemy import select

from ..campaigns.models import SHARE_SCALE, CommuneFigures, CoverageTarget
from ..events.models import Event
from ..extensions import db
from .campaigns import _slot, _world
from .fieldwork import add_event, event_title, hold_event

#: The province's yearly targets (share of the labour force in BHXH TN, of the population with BHYT HGĐ), in %.
TARGETS = {0: (1.6, 9.0), 1: (1.8, 9.5), 2: (2.0, 10.0)}


def december_day(today: date) -> date:
    """The December day of the demo's conference outside the campaigns: this December once it has begun, else
    last December."""
    return date(today.year, 12, 1) if today.month == 12 else date(today.year - 1, 12, 2)


def load_coverage(today: date, province_code: str = "15") -> int:
    """Create the missing figures, targets and December conference; return how many records were added."""
    world = _world(province_code)
    if world is None:
        return 0
    created = 0
    communes = world.all_communes()
    years = (today.year - 1, today.year, today.year + 1)
    have = {(cid, year) for cid, year in db.session.execute(select(CommuneFigures.commune_id, CommuneFigures.year)
                                                            .where(CommuneFigures.year.in_(years)))}
    for commune in communes:
        rng = random.Random(int(commune.code))
        town = commune.division_type == "phường"
        population = rng.randrange(9_000, 22_000) if town else rng.randrange(3_500, 12_000)
        share = rng.uniform(0.56, 0.64)
        for offset, year in enumerate(years):
            if (commune.id, year) in have:
                continue
            grown = round(population * (1 + 0.011 * offset))
            db.session.add(CommuneFigures(commune_id=commune.id, year=year, population=grown,
                                          labour_force=round(grown * share)))
            created += 1
    for offset, year in enumerate(years):
        if db.session.scalar(select(CoverageTarget.id).where(CoverageTarget.province_id == world.province.id,
                                                             CoverageTarget.year == year)) is None:
            tn, yt = TARGETS[offset]
            db.session.add(CoverageTarget(province_id=world.province.id, year=year,
                                          bhxh_tn_share=round(tn * SHARE_SCALE), bhyt_share=round(yt * SHARE_SCALE)))
            created += 1
    created += _december_conference(world, today)
    db.session.flush()
    return created


def _december_conference(world, today: date) -> int:
    """A conference held in December, outside the May campaign, in a commune of the last office, with its results
    confirmed."""
    office = world.offices[-1]
    communes = [c for c in office.communes if office.agents.get(c.id)] or office.communes
    if not communes:
        return 0
    rng = random.Random(1212)
    slot = _slot(world, rng, "conference", communes[len(communes) // 2], (2, 2))
    slot.day, slot.morning = december_day(today), True
    slot.speaker_id = office.speakers[0] if office.speakers else None
    if db.session.scalar(select(Event.id).where(Event.commune_id == slot.commune.id,
                                                Event.title == event_title(slot), Event.campaign_id.is_(None))):
        return 0  # loaded before
    event = add_event(world, slot, None, created_days_before=15)
    hold_event(world, event, slot, (2, 4), rng, slot.day, confirm=True)
    return 1
