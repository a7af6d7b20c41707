"""Demo reminders and the renewals they bring: agents and officers of Nghĩa Lộ remind people whose payment falls due, with every outcome
(paid, promised by a date, can't afford now, moved away, died, now insured compulsorily, refused, no answer),
some by visit, some by phone, some by SMS, over the last six months, so the worklists and the retention
figures show something on a fresh ``make run``. Nothing is added when reminders exist already."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from ..auth.models import User
from ..extensions import db
from ..geo.models import Commune
from ..households.models import Person
from ..org.models import Agent, Office, agent_hamlets
from ..results.models import SignUp, SignUpBatch
from ..retention.models import OUTCOMES, RetentionContact

#: Outcome weights of a reminder (most people promise or pay; a few leave the scheme's reach).
WEIGHTS = {"paid": 22, "promised": 20, "cannot_afford": 14, "moved": 4, "died": 2, "compulsory": 4, "refused": 8,
           "no_answer": 26}


def load_retention(today: date, office_code: str = "BHXH-15-NL") -> int:
    """Add the demo reminders; return how many."""
    if db.session.scalar(select(func.count()).select_from(RetentionContact)):
        return 0
    office = db.session.scalar(select(Office).where(Office.code == office_code))
    if office is None:
        return 0
    rng = random.Random(15)
    officer = db.session.scalar(select(User).where(User.office_id == office.id).order_by(User.id))
    agent_of = dict(db.session.execute(select(agent_hamlets.c.hamlet_id, func.min(agent_hamlets.c.agent_id))
                                       .join(Agent, Agent.id == agent_hamlets.c.agent_id)
                                       .where(Agent.office_id == office.id).group_by(agent_hamlets.c.hamlet_id)).all())
    people = db.session.scalars(select(Person).where(
        Person.commune_id.in_(select(Commune.id).where(Commune.office_id == office.id)),
        Person.bhxh_tn_status.in_(("participating", "stopped")),
        Person.paid_until.between(today - timedelta(days=180), today + timedelta(days=30)))
        .order_by(Person.id)).all()
    outcomes, weights = list(WEIGHTS), list(WEIGHTS.values())
    created = 0
    for index, person in enumerate(people):
        if rng.random() < 0.25:
            continue
        # The first ones cover every outcome; the rest are drawn.
        outcome = OUTCOMES[index] if index < len(OUTCOMES) else rng.choices(outcomes, weights)[0]
        due = person.paid_until
        day = min(today, max(due - timedelta(days=rng.randint(0, 14)), today - timedelta(days=170)))
        if index < len(OUTCOMES):
            day = today - timedelta(days=rng.randint(0, 3))
        method = rng.choice(("visit", "visit", "phone", "sms")) if outcome == "no_answer" else \
            rng.choice(("visit", "visit", "phone"))
        agent_id = agent_of.get(person.hamlet_id) if method == "visit" else None
        promised = day + timedelta(days=rng.randint(1, 20)) if outcome == "promised" else None
        db.session.add(RetentionContact(
            person_id=person.id, hamlet_id=person.hamlet_id, commune_id=person.commune_id, scheme="bhxh_tn",
            due_on=due, method=method, outcome=outcome, promised_on=promised, agent_id=agent_id, contacted_on=day,
            recorded_by_id=None if agent_id else (officer.id if officer else None),
            note="Hẹn đóng khi bán xong vụ chè" if outcome == "promised" and rng.random() < 0.3 else None))
        if outcome == "compulsory":
            person.compulsory_insured = True
        if outcome == "paid":
            created += _renewal(person, day, agent_id, rng, officer)
        created += 1
    # Renewals of the past months by people not reminded (their paid-until date moved on).
    renewed = db.session.scalars(select(Person).where(
        Person.commune_id.in_(select(Commune.id).where(Commune.office_id == office.id)),
        Person.bhxh_tn_status == "participating", Person.paid_until > today + timedelta(days=30))
        .order_by(Person.id)).all()
    for person in renewed:
        months = rng.choice((3, 6, 6, 12))
        signed = person.paid_until - timedelta(days=30 * months) + timedelta(days=rng.randint(-10, 5))
        if today - timedelta(days=175) <= signed <= today and rng.random() < 0.8:
            created += _renewal(person, signed, agent_of.get(person.hamlet_id), rng, officer, months=months,
                                move=False)
    # Health insurance cards expiring: a few phone calls.
    cards = db.session.scalars(select(Person).where(
        Person.commune_id.in_(select(Commune.id).where(Commune.office_id == office.id)),
        Person.bhyt_expires_on.between(today - timedelta(days=30), today + timedelta(days=30)))
        .order_by(Person.id).limit(40)).all()
    for person in cards[::2]:
        outcome = rng.choice(("paid", "promised", "no_answer", "cannot_afford"))
        db.session.add(RetentionContact(
            person_id=person.id, hamlet_id=person.hamlet_id, commune_id=person.commune_id, scheme="bhyt_hgd",
            due_on=person.bhyt_expires_on, method="phone", outcome=outcome,
            promised_on=today + timedelta(days=rng.randint(1, 15)) if outcome == "promised" else None,
            contacted_on=today - timedelta(days=rng.randint(0, 5)),
            recorded_by_id=officer.id if officer else None))
        created += 1
    db.session.flush()
    _confirm_in_batches(officer)
    return created


#: The demo renewals by agent and month: each group is confirmed as one batch, as the office does.
_BATCHES: dict[tuple[int | None, date], list[SignUp]] = {}


def _confirm_in_batches(officer) -> None:
    """The renewals, confirmed in one batch per agent and month (the receipts handed in that month)."""
    for (agent_id, month), signups in sorted(_BATCHES.items(), key=lambda item: (item[0][1], item[0][0] or 0)):
        end = max(s.signed_on for s in signups)
        total = sum(s.net for s in signups)
        batch = SignUpBatch(agent_id=agent_id, period_start=month, period_end=end, signups=len(signups),
                            total_net=total, handed_in=total, confirmed_by_id=officer.id if officer else None,
                            confirmed_at=datetime.combine(end, time(16), tzinfo=UTC))
        db.session.add(batch)
        db.session.flush()
        for s in signups:
            s.batch_id = batch.id
    _BATCHES.clear()


def _renewal(person: Person, day: date, agent_id: int | None, rng: random.Random, officer, *,
             months: int | None = None, move: bool = True) -> int:
    """A confirmed door-to-door renewal at the minimum income (330.000 đồng a month, 20% state support), and
    the paid-until date moved on when ``move``."""
    months = months or rng.choice((3, 6, 12))
    mode = {3: "every_3_months", 6: "every_6_months", 12: "every_12_months"}[months]
    amount, support = 330_000 * months, 66_000 * months
    signup = SignUp(
        person_id=person.id, household_id=person.household_id, commune_id=person.commune_id, channel="door",
        agent_id=agent_id, credited_agent_id=agent_id, scheme="bhxh_tn", kind="renewal", chosen_income=1_500_000,
        payment_mode=mode, months=months, amount_due=amount, support=support, local_support=0,
        net=amount - support, computed_net=amount - support, signed_on=day, status="confirmed",
        receipt_number=f"NL{day:%y%m}-{person.id:06d}", receipt_date=day,
        created_by_id=officer.id if officer else None)
    db.session.add(signup)
    _BATCHES.setdefault((agent_id, day.replace(day=1)), []).append(signup)
    if move and person.paid_until:
        person.paid_until = max(person.paid_until, day) + timedelta(days=30 * months)
        person.bhxh_tn_status = "participating"
    return 1
