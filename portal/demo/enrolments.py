"""Demo sign-ups outside events: renewals on the agents' due rounds (door to door), payments at the post-office
counter, enrolments reported back from VssID, a few others; most agents' receipts of last month confirmed in
batches, the rest waiting for the office, and one door receipt that repeats a conference sign-up (a clash left for
the office to resolve). Everything goes through the same services as the pages."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from ..enrolments import services as batches
from ..extensions import db
from ..geo.models import Commune
from ..households.models import Person
from ..i18n.formatting import LOCAL_TZ
from ..policy import calculator
from ..results import services as signups
from ..results.models import SignUp, SignUpBatch
from .campaigns import _Office, _World, _world
from .fieldwork import _receipt

#: Where each kind of payment is made, and how often (door to door most, then the counter).
_CHANNELS = (("door", "counter", "online", "other"), (55, 30, 10, 5))


def _count() -> int:
    return (db.session.scalar(select(func.count()).select_from(SignUp)) or 0) + \
        (db.session.scalar(select(func.count()).select_from(SignUpBatch)) or 0)


def _last(person_id: int, scheme: str) -> SignUp | None:
    return db.session.scalar(select(SignUp).where(SignUp.person_id == person_id, SignUp.scheme == scheme,
                                                  SignUp.status != "duplicate")
                             .order_by(SignUp.signed_on.desc(), SignUp.id.desc()).limit(1))


def _record(world: _World, office: _Office, person: Person, *, scheme: str, kind: str, on: date, channel: str,
            agent_id: int | None, rng: random.Random, **amounts) -> SignUp | None:
    user, _paper = world.user_for_agent(agent_id, office)
    point = None
    if channel == "counter":
        commune = db.session.get(Commune, person.commune_id)
        point = f"Bưu điện {commune.name}"
    try:
        signup, _new = signups.record_signup(
            person, scheme=scheme, kind=kind, signed_on=on, user=user, channel=channel,
            agent_id=agent_id if channel in ("door", "counter") else None,
            receipt_number=_receipt(world, office, on.year) if channel != "online" else None,
            collection_point=point, **amounts)
    except (signups.ResultsError, calculator.PolicyError):
        return None
    signup.created_at = datetime.combine(on, time(rng.randint(8, 19), rng.randint(0, 59)), tzinfo=LOCAL_TZ)
    return signup


def _commune_round(world: _World, office: _Office, commune: Commune, today: date, rng: random.Random) -> None:
    """A month of payments outside events in one commune."""
    agents = office.agents.get(commune.id) or [None]
    people = [p for p in world.people_of(commune.id) if not p.compulsory_insured]
    due = [p for p in people if p.bhxh_tn_status == "participating" and p.paid_until
           and today - timedelta(days=40) <= p.paid_until <= today + timedelta(days=20)]
    for person in rng.sample(due, min(len(due), 5)):
        last = _last(person.id, "bhxh_tn")
        income = max(last.chosen_income if last and last.chosen_income else 0, 2_200_000)
        channel = rng.choices(*_CHANNELS)[0]
        _record(world, office, person, scheme="bhxh_tn", kind="renewal", channel=channel,
                on=today - timedelta(days=rng.randint(1, 28)), agent_id=rng.choice(agents), rng=rng,
                income=income, mode=rng.choice(["monthly", "every_3_months", "every_6_months"]))
    cards = [p for p in people if p.bhyt_expires_on and today - timedelta(days=30) <= p.bhyt_expires_on
             <= today + timedelta(days=30)]
    for person in rng.sample(cards, min(len(cards), 4)):
        household = world.household(commune.id, person.household_id)
        if household.poverty_status != "none":
            continue
        _record(world, office, person, scheme="bhyt_hgd", kind="renewal", channel=rng.choices(*_CHANNELS)[0],
                on=today - timedelta(days=rng.randint(1, 28)), agent_id=rng.choice(agents), rng=rng,
                member_order=1, months=12)
    fresh = [p for p in people if p.bhxh_tn_status not in ("participating", "stopped") and p.date_of_birth
             and 20 <= (today - p.date_of_birth).days // 365 <= 55 and _last(p.id, "bhxh_tn") is None]
    for person, channel in zip(rng.sample(fresh, min(len(fresh), 4)), ("online", "counter", "door", "other"),
                               strict=False):
        _record(world, office, person, scheme="bhxh_tn", kind="new", channel=channel,
                on=today - timedelta(days=rng.randint(1, 28)), agent_id=rng.choice(agents), rng=rng,
                income=rng.choice([2_200_000, 2_500_000, 3_000_000]), mode="monthly")


def _confirm_batches(world: _World, office: _Office, start: date, end: date, rng: random.Random) -> None:
    """The office confirms most agents' receipts of the period (the last days' wait for the next batch), and the
    enrolments reported back from VssID and the public service portal."""
    agent_ids = sorted({a for ids in office.agents.values() for a in ids})
    online = list(db.session.scalars(select(SignUp).where(
        SignUp.commune_id.in_([c.id for c in office.communes]), SignUp.agent_id.is_(None),
        SignUp.event_id.is_(None), SignUp.status == "recorded", SignUp.channel == "online",
        SignUp.signed_on.between(start, end)).order_by(SignUp.id)))
    if online:
        total = sum(s.net for s in online)
        batch = batches.confirm_batch(online, start=start, end=end, handed_in=total, user=office.officer,
                                      notes="Danh sách đăng ký trực tuyến (VssID, Cổng dịch vụ công) do BHXH tỉnh "
                                            "chuyển về; tiền đã nộp qua ngân hàng.")
        batch.confirmed_at = datetime.combine(end + timedelta(days=2), time(9, rng.randint(0, 59)), tzinfo=LOCAL_TZ)
    for agent_id in agent_ids:
        waiting = list(db.session.scalars(select(SignUp).where(
            SignUp.agent_id == agent_id, SignUp.event_id.is_(None), SignUp.status == "recorded",
            SignUp.signed_on.between(start, end)).order_by(SignUp.id)))
        if not waiting:
            continue
        total = sum(s.net for s in waiting)
        short = rng.random() < 0.2
        batch = batches.confirm_batch(
            waiting, start=start, end=end, handed_in=total - 50_000 if short else total, user=office.officer,
            agent_id=agent_id, notes="Đại lý nộp thiếu 50.000 đồng, cam kết nộp bổ sung." if short else None)
        batch.confirmed_at = datetime.combine(end + timedelta(days=2), time(15, rng.randint(0, 59)),
                                              tzinfo=LOCAL_TZ)


def _clash(world: _World, office: _Office, today: date, rng: random.Random) -> None:
    """A door receipt for the months a conference sign-up already pays for, left for the office to resolve."""
    counted = db.session.scalar(
        select(SignUp).join(Person, Person.id == SignUp.person_id)
        .where(SignUp.commune_id.in_([c.id for c in office.communes]), SignUp.event_id.is_not(None),
               SignUp.status == "confirmed", SignUp.scheme == "bhxh_tn", SignUp.kind != "adjustment")
        .order_by(SignUp.signed_on.desc(), SignUp.id).limit(1))
    if counted is None:
        return
    person = db.session.get(Person, counted.person_id)
    agents = office.agents.get(person.commune_id) or [None]
    _record(world, office, person, scheme="bhxh_tn", kind=counted.kind, on=counted.signed_on, channel="door",
            agent_id=agents[0], rng=rng, income=counted.chosen_income, mode=counted.payment_mode,
            months=counted.months if counted.payment_mode == "advance_lump_sum" else None)


def load_outside_events(today: date, province_code: str = "15") -> int:
    """Create the demo's sign-ups outside events once; return how many records were added (caller commits)."""
    world = _world(province_code)
    if world is None:
        return 0
    done = db.session.scalar(select(SignUp.id).join(Commune, Commune.id == SignUp.commune_id).where(
        Commune.province_id == world.province.id, SignUp.event_id.is_(None)).limit(1))
    if done is not None:
        return 0
    before = _count()
    rng = random.Random(1676)
    for office in world.offices:
        for commune in office.communes[:4]:
            _commune_round(world, office, commune, today, rng)
    db.session.flush()
    for office in world.offices:
        _confirm_batches(world, office, today - timedelta(days=28), today - timedelta(days=10), rng)
    _clash(world, world.offices[0], today, rng)
    db.session.flush()
    return _count() - before


__all__ = ["load_outside_events"]
