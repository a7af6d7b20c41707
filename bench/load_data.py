"""Province-scale data for the load test (bench/load.py).

The households, people, offices, communes, hamlets and agents come from ``build()`` in bench/households.py
(250,000 households at scale 1.0). On top of them this adds what the officers and agents of a province work
with in the campaign month: the May campaign with targets per commune, in every commune two conferences
already held (invitations, attendance, sign-ups, most confirmed), one being held today (invitations printed,
check-ins still coming) and one next week with a pre-visit list split among the commune's agents; and the
accounts the load test signs in as: local officers of four offices, province officers and agents.

    .venv/bin/python bench/load_data.py --database-url postgresql+psycopg://postgres@127.0.0.1/portal_bench_load
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import households

PASSWORD = households.PASSWORD
#: Offices (by index in bench/households.py) whose officers and agents the load test signs in as.
OFFICES = (0, 1, 2, 3)
AGENTS_PER_OFFICE = 3
PROVINCE_USERS = 3


def _event_rows(commune, office_id: int, campaign_id: int, now: datetime, hamlet_id: int) -> list[dict]:
    """Two conferences held, one today, one next week (dicts for a bulk insert)."""
    name = commune.name
    slots = [(-12, "closed"), (-5, "results_entered"), (0, "held"), (6, "scheduled")]
    rows = []
    for days, status in slots:
        start = (now + timedelta(days=days)).replace(hour=1, minute=0, second=0, microsecond=0)
        if days == 0:
            start = now - timedelta(hours=1)
        rows.append({"kind": "conference", "title": f"Hội nghị tuyên truyền BHXH tự nguyện tại {name}",
                     "campaign_id": campaign_id, "commune_id": commune.id, "hamlet_id": hamlet_id,
                     "venue": "Nhà văn hóa thôn", "starts_at": start, "ends_at": start + timedelta(hours=3),
                     "organiser_office_id": office_id, "expected_attendance": 120, "status": status,
                     "version": 1, "created_at": now, "updated_at": now})
    return rows


def build(scale: float = 1.0, seed: int = 11) -> dict:
    """Fill an empty, migrated database; return what the load test needs (see ``facts``)."""
    from sqlalchemy import insert, select

    from portal.auth.models import User
    from portal.auth.passwords import hash_password
    from portal.campaigns.models import Campaign, Target
    from portal.events.models import Event
    from portal.extensions import db
    from portal.geo.models import Commune, Hamlet
    from portal.households.models import Household, Person
    from portal.org.models import Agent, Office, agent_communes
    from portal.policy.services import seed_shipped
    from portal.results.models import Attendance, Invitation, SignUp
    from portal.results.services import new_token
    from portal.visits import building

    base = households.build(scale, seed)
    seed_shipped()
    rng = random.Random(seed)
    now = datetime.now(UTC)
    today = date.today()  # noqa: DTZ011 - calendar date
    offices = db.session.scalars(select(Office).where(Office.kind == "local").order_by(Office.code)).all()
    communes = db.session.scalars(select(Commune).order_by(Commune.code)).all()
    campaign = Campaign(name=f"Tháng vận động BHXH tự nguyện và BHYT hộ gia đình {today.year}", kind="may_month",
                        starts_on=today - timedelta(days=14), ends_on=today + timedelta(days=16),
                        province_id=base["province_id"], office_id=base["province_office_id"], status="active")
    db.session.add(campaign)
    db.session.flush()
    targets = []
    for commune in communes:
        for metric, value in (("new_bhxh_tn", 60), ("new_bhyt_hgd", 150), ("conferences", 4), ("attendees", 400)):
            targets.append({"campaign_id": campaign.id, "level": "commune", "commune_id": commune.id,
                            "subject_key": f"commune:{commune.id}", "metric": metric, "value": value})
    db.session.execute(insert(Target), targets)

    first_hamlet = dict(db.session.execute(select(Hamlet.commune_id, Hamlet.id).order_by(Hamlet.id.desc())).all())
    rows = []
    for commune in communes:
        rows += _event_rows(commune, commune.office_id, campaign.id, now, first_hamlet[commune.id])
    db.session.execute(insert(Event), rows)
    db.session.commit()

    password = hash_password(PASSWORD)
    users = []
    for n in range(PROVINCE_USERS):
        users.append(User(username=f"load-province-{n}", full_name=f"Cán Bộ Tỉnh {n + 1}", role="province_officer",
                          password_hash=password, office_id=base["province_office_id"]))
    chosen_agents = []
    for index in OFFICES:
        office = offices[index]
        users.append(User(username=f"load-local-{index}", full_name=f"Cán Bộ Cơ Sở {index + 1}",
                          role="local_officer", password_hash=password, office_id=office.id))
        office_communes = [c for c in communes if c.office_id == office.id][:AGENTS_PER_OFFICE]
        for k, commune in enumerate(office_communes):
            agent_id = db.session.scalar(select(agent_communes.c.agent_id).join(Agent, Agent.id == agent_communes.c.agent_id).where(
                agent_communes.c.commune_id == commune.id).order_by(Agent.code))
            chosen_agents.append(agent_id)
            users.append(User(username=f"load-agent-{index}-{k}", full_name=f"Đại Lý Thu {index}-{k}",
                              role="agent", password_hash=password, agent_id=agent_id))
    db.session.add_all(users)
    db.session.commit()
    officer = users[PROVINCE_USERS]

    events = db.session.scalars(select(Event).order_by(Event.id)).all()
    hamlets_by_commune: dict[int, list[int]] = {}
    for hamlet_id, commune_id in db.session.execute(select(Hamlet.id, Hamlet.commune_id).order_by(Hamlet.id)):
        hamlets_by_commune.setdefault(commune_id, []).append(hamlet_id)
    for event in events:
        if event.status == "scheduled":
            # Next week's conference: one hamlet of each of the commune's three agents, those not paying.
            own = hamlets_by_commune[event.commune_id]
            criteria = building.Criteria(hamlet_ids=[own[0], own[4], own[8]],
                                         coverage=["stopped_paying", "bhyt_expiring", "not_participating"],
                                         min_age=18, max_age=60)
            visit_list, _added = building.build_list(event, criteria, officer)
            building.split_among_agents(visit_list)
            db.session.commit()
            continue
        # Held (or being held): invitations to households of the commune, numbered on the sheet.
        household_ids = db.session.scalars(select(Household.id).where(Household.commune_id == event.commune_id)
                                           .order_by(Household.sort_key).limit(2000)).all()
        invited = rng.sample(household_ids, min(len(household_ids), 250))
        invited.sort(key=household_ids.index)
        invitation_rows = [{"event_id": event.id, "household_id": h, "token": new_token(), "expected_attendees": 1,
                            "delivered_at": now, "sheet_row": row, "created_at": now}
                           for row, h in enumerate(invited, start=1)]
        db.session.execute(insert(Invitation), invitation_rows)
        if event.status == "held":
            db.session.commit()
            continue
        heads = dict(db.session.execute(select(Person.household_id, Person.id).where(
            Person.household_id.in_(invited), Person.relation_to_head == "head")).all())
        came = [h for h in invited if h in heads and rng.random() < 0.6]
        invitation_of = dict(db.session.execute(select(Invitation.household_id, Invitation.id).where(
            Invitation.event_id == event.id)).all())
        db.session.execute(insert(Attendance), [
            {"event_id": event.id, "person_id": heads[h], "household_id": h, "invitation_id": invitation_of[h],
             "walk_in": False, "checked_in_at": event.starts_at, "recorded_by_id": officer.id, "from_paper": False}
            for h in came])
        signups = []
        for h in came:
            if rng.random() < 0.35:
                scheme = "bhxh_tn" if rng.random() < 0.4 else "bhyt_hgd"
                gross = 330_000 if scheme == "bhxh_tn" else 1_263_600
                support = 33_000 if scheme == "bhxh_tn" else 0
                signups.append({"person_id": heads[h], "household_id": h, "commune_id": event.commune_id,
                                "event_id": event.id, "scheme": scheme, "kind": "new",
                                "chosen_income": 1_500_000 if scheme == "bhxh_tn" else None,
                                "payment_mode": "monthly" if scheme == "bhxh_tn" else None,
                                "months": 1 if scheme == "bhxh_tn" else 12, "amount_due": gross, "support": support,
                                "local_support": 0, "net": gross - support, "computed_net": gross - support,
                                "signed_on": event.starts_at.date(),
                                "status": "confirmed" if event.status == "closed" else "recorded",
                                "version": 1, "created_by_id": officer.id, "created_at": now, "updated_at": now})
        if signups:
            db.session.execute(insert(SignUp), signups)
        db.session.commit()
    return facts()


def facts() -> dict:
    """The accounts and objects the load test uses, read back from the database."""
    from sqlalchemy import func, select

    from portal.auth.models import User
    from portal.campaigns.models import Campaign
    from portal.events.models import Event
    from portal.extensions import db
    from portal.households.models import Person

    users = db.session.scalars(select(User).where(User.username.like("load-%")).order_by(User.username)).all()
    by_role: dict[str, list[dict]] = {}
    for user in users:
        by_role.setdefault(user.role, []).append({"username": user.username, "office_id": user.office_id,
                                                  "agent_id": user.agent_id})
    campaign_id = db.session.scalar(select(Campaign.id).where(Campaign.status == "active").order_by(Campaign.id))
    today_events = db.session.execute(select(Event.id, Event.organiser_office_id).where(
        Event.status == "held")).all()
    rows = db.session.execute(select(Person.phone, Person.cccd).where(
        Person.id % 4999 == 0, Person.phone.is_not(None), Person.cccd.is_not(None))).all()
    people = db.session.scalar(select(func.count()).select_from(Person))
    return {"users": by_role, "campaign_id": campaign_id,
            "today_events": [{"id": e, "office_id": o} for e, o in today_events],
            "phones": [r[0] for r in rows], "cccds": [r[1] for r in rows], "people": people}
