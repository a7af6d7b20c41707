"""A May campaign built by hand, whose funnel, groups, audiences and last-year figures are counted in the
docstrings below (the tests compare the reports with these hand counts).

Own office (communes C1, C2; agents A1 and A2), near office (commune N1, agent N):

E1 in C1, 10 May, held, leaflet "town". List h1..h6: h1, h2 invited (A1), h3 declined (A1), h4 not at home (A1),
   h5 consulted (A2), h6 not visited (A2). Letters: h1, h2 (A1), h5 (A2). Checked in: h1's head, two members of
   h2, and a walk-in nobody matched. Sign-ups: h1's head BHXH TN new (A1), an h2 member BHXH TN new and BHYT
   renewal (A1), h9's head (never listed) BHYT new (A2). Results confirmed.
E2 in C2, 20 May, scheduled, leaflet "low_income". List h7 invited (A1), h8 not visited (A1). Letter h7 (A1).
E3 in N1 (near office), 12 May, held, no leaflet chosen. List n1 invited (N); letter n1; n1 checked in and
   signed up BHXH TN new. Results confirmed.
Left out: E4 in C1 cancelled (with a list), E5 in C1 on 20 April (with a list).

Tags: small_trader on h1's head, on an h2 member and on h9's head; household_business on the same h2 member;
near_poor on h5's and h7's heads.

Last year (May 2025): in C1 a conference held on 15 May 2025 with 2 attendees and 3 confirmed BHXH TN new
sign-ups on 15 May 2025, one more on 31 May 2025; in N1 one BHYT new on 10 May 2025.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from portal.campaigns import services as campaign_services
from portal.extensions import db
from portal.households.models import Person, person_tags
from portal.policy.services import seed_shipped
from portal.results import services
from portal.results.models import Attendance
from portal.visits.building import add_households
from portal.visits.models import VisitAssignment, VisitList

from .. import factories


def _list(event, households, agents_outcomes):
    visit_list = VisitList(event_id=event.id, next_row=1)
    db.session.add(visit_list)
    db.session.flush()
    add_households(visit_list, [h.id for h in households])
    rows = {a.household_id: a for a in db.session.scalars(
        select(VisitAssignment).where(VisitAssignment.visit_list_id == visit_list.id))}
    for household, (agent, outcome) in zip(households, agents_outcomes, strict=True):
        rows[household.id].agent_id = agent.id
        rows[household.id].outcome = outcome
    db.session.flush()
    return visit_list


def _member(household, name):
    from portal.households.services import place_person, sync_tokens

    person = Person(relation_to_head="child")
    person.set_name(name)
    place_person(person, household)
    db.session.add(person)
    db.session.flush()
    sync_tokens(person)
    return person


def _tag(person, tag):
    db.session.execute(person_tags.insert().values(person_id=person.id, tag=tag))


def _signup(person, scheme, kind, day, user, event, agent):
    extra = {"income": 1_500_000, "mode": "monthly"} if scheme == "bhxh_tn" else {"member_order": 1, "months": 12}
    services.record_signup(person, scheme=scheme, kind=kind, signed_on=day, user=user, event=event,
                           agent_id=agent.id if agent else None, **extra)


def build(world):
    """Create the scenario; return a namespace of what the tests need."""
    seed_shipped()
    own, near = world.own, world.near
    user = world.users["local_officer"]
    campaign = world.campaign_own
    campaign.starts_on, campaign.ends_on, campaign.status = date(2026, 5, 1), date(2026, 5, 31), "active"
    campaign.name = "Tháng vận động 2026"
    db.session.commit()
    a1 = own.agent
    a2 = factories.make_agent(own.office, communes=[own.commune], hamlets=[own.hamlet], name="Trần Thị Bình")
    h = {}
    for n in range(1, 10):
        h[n] = factories.make_household(own.hamlet2 if n in (7, 8) else own.hamlet, f"Chủ Hộ {n}",
                                        address=f"Số {n}")
    # h7 and h8 live in C1's second hamlet but the event E2 is in C2: households are counted at their event.
    may = datetime(2026, 5, 10, 1, tzinfo=UTC)
    e1 = factories.make_event(own.commune, own.office, title="Hội nghị E1", starts_at=may, status="held",
                              leaflet_audience="town")
    e2 = factories.make_event(own.commune2, own.office, title="Hội nghị E2",
                              starts_at=datetime(2026, 5, 20, 1, tzinfo=UTC), leaflet_audience="low_income")
    e3 = factories.make_event(near.commune, near.office, title="Hội nghị E3",
                              starts_at=datetime(2026, 5, 12, 1, tzinfo=UTC), status="held")
    e4 = factories.make_event(own.commune, own.office, title="Hội nghị E4 (hủy)",
                              starts_at=datetime(2026, 5, 15, 1, tzinfo=UTC), status="cancelled")
    e5 = factories.make_event(own.commune, own.office, title="Hội nghị E5 (tháng 4)",
                              starts_at=datetime(2026, 4, 20, 1, tzinfo=UTC), status="held")
    hh = {n: h[n][0] for n in h}
    head = {n: h[n][1] for n in h}
    _list(e1, [hh[1], hh[2], hh[3], hh[4], hh[5], hh[6]],
          [(a1, "invited"), (a1, "invited"), (a1, "declined"), (a1, "not_home"), (a2, "consulted"), (a2, None)])
    _list(e2, [hh[7], hh[8]], [(a1, "invited"), (a1, None)])
    n1, n1_head = factories.make_household(near.hamlet, "Người Xã Bên", address="Số 1")
    _list(e3, [n1], [(near.agent, "invited")])
    _list(e4, [hh[1], hh[2]], [(a1, "invited"), (a1, "invited")])
    _list(e5, [hh[3]], [(a1, "invited")])
    services.invite(e1, hh[1].id, agent_id=a1.id)
    services.invite(e1, hh[2].id, agent_id=a1.id)
    services.invite(e1, hh[5].id, agent_id=a2.id)
    services.invite(e2, hh[7].id, agent_id=a1.id)
    services.invite(e3, n1.id, agent_id=near.agent.id)
    services.invite(e4, hh[1].id, agent_id=a1.id)
    member2 = _member(hh[2], "Con Hộ Hai")
    services.check_in(e1, person=head[1], user=user)
    services.check_in(e1, person=head[2], user=user)
    services.check_in(e1, person=member2, user=user)
    db.session.add(Attendance(event_id=e1.id, walk_in=True, name="Khách Vãng Lai", recorded_by_id=user.id))
    services.check_in(e3, person=n1_head, user=user)
    services.check_in(e5, person=head[3], user=user)
    _signup(head[1], "bhxh_tn", "new", date(2026, 5, 10), user, e1, a1)
    _signup(member2, "bhxh_tn", "new", date(2026, 5, 10), user, e1, a1)
    _signup(member2, "bhyt_hgd", "renewal", date(2026, 5, 10), user, e1, a1)
    _signup(head[9], "bhyt_hgd", "new", date(2026, 5, 10), user, e1, a2)
    _signup(n1_head, "bhxh_tn", "new", date(2026, 5, 12), user, e3, near.agent)
    services.confirm_results(e1, user)
    services.confirm_results(e3, user)
    _tag(head[1], "small_trader")
    _tag(member2, "small_trader")
    _tag(member2, "household_business")
    _tag(head[9], "small_trader")
    _tag(head[5], "near_poor")
    _tag(head[7], "near_poor")
    # Last year's May.
    old = factories.make_event(own.commune, own.office, title="Hội nghị tháng 5 năm trước",
                               starts_at=datetime(2025, 5, 15, 1, tzinfo=UTC), status="held")
    old_people = [factories.make_household(own.hamlet, f"Năm Trước {n}", address=f"Cũ {n}")[1] for n in range(4)]
    for person in old_people[:3]:
        _signup(person, "bhxh_tn", "new", date(2025, 5, 15), user, old, a1)
    services.check_in(old, person=old_people[0], user=user)
    services.check_in(old, person=old_people[1], user=user)
    services.confirm_results(old, user)
    late, _ = services.record_signup(old_people[3], scheme="bhxh_tn", kind="new", signed_on=date(2025, 5, 31),
                                     user=user, income=1_500_000, mode="monthly", agent_id=a1.id)
    late.status = "confirmed"
    near_old = factories.make_household(near.hamlet, "Năm Trước Xã Bên", address="Cũ 9")[1]
    early, _ = services.record_signup(near_old, scheme="bhyt_hgd", kind="new", signed_on=date(2025, 5, 10),
                                      user=user, member_order=1, months=12)
    early.status = "confirmed"
    campaign_services.set_target(campaign, "office", own.office.id, "new_bhxh_tn", 10)
    campaign_services.set_target(campaign, "office", near.office.id, "new_bhxh_tn", 5)
    campaign_services.set_target(campaign, "commune", own.commune.id, "new_bhxh_tn", 6)
    campaign_services.set_target(campaign, "commune", own.commune2.id, "new_bhxh_tn", 4)
    campaign_services.set_target(campaign, "agent", a1.id, "new_bhxh_tn", 5)
    db.session.commit()

    class Scenario:
        pass

    s = Scenario()
    s.campaign, s.a1, s.a2, s.e1, s.e2, s.e3, s.households = campaign, a1, a2, e1, e2, e3, hh
    return s
