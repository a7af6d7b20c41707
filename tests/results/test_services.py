"""Check-in, sign-ups with calculated amounts, attribution and confirmation."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from portal.auth.scope import scope_for
from portal.events.models import Event
from portal.extensions import db
from portal.households.models import Household, Person
from portal.households.services import place_person, set_household_fields, sync_tokens
from portal.policy.services import seed_shipped
from portal.results import services, walk_ins
from portal.results.models import Attendance, Invitation, SignUp
from portal.visits import building
from portal.visits import services as visit_services


def _household(hamlet, head, poverty="none", **person):
    household = Household(poverty_status=poverty)
    set_household_fields(household, hamlet=hamlet, head_name=head, address="Nhà 1")
    db.session.add(household)
    db.session.flush()
    p = Person(relation_to_head="head", **person)
    p.set_name(head)
    place_person(p, household)
    db.session.add(p)
    db.session.flush()
    sync_tokens(p)
    db.session.commit()
    return household, p


@pytest.fixture
def event(world):
    seed_shipped()
    e = Event(kind="conference", title="Hội nghị", commune_id=world.own.commune.id, venue="Nhà văn hóa",
              starts_at=datetime(2026, 5, 10, 1, tzinfo=UTC), ends_at=datetime(2026, 5, 10, 4, tzinfo=UTC),
              organiser_office_id=world.own.office.id, status="held")
    db.session.add(e)
    db.session.commit()
    return e


def test_invitation_check_in_once_and_walk_ins(world, event):
    user = world.users["local_officer"]
    household, head = _household(world.own.hamlet, "Lê Văn An")
    invitation = services.invite(event, household.id, agent_id=world.own.agent.id)
    db.session.commit()
    attendance, new = services.check_in(event, invitation=invitation, user=user)
    assert new and attendance.person_id == head.id and not attendance.walk_in
    again, new = services.check_in(event, person=head, user=user)
    assert not new and again.id == attendance.id
    _, walker = _household(world.own.hamlet, "Hà Thị Mai", phone="0912345678")
    scope = scope_for(user)
    matches = walk_ins.match_walk_in(event, "ha thi mai", None, None, scope=scope)
    assert [m.id for m in matches] == [walker.id]
    assert [m.id for m in walk_ins.match_walk_in(event, "Ai Đó", "0912345678", None, scope=scope)] == [walker.id]
    walk_in, _ = services.check_in(event, person=walker, user=user)
    db.session.commit()
    assert walk_in.walk_in
    totals = services.totals(event.id)
    assert (totals.invited, totals.checked_in_invited, totals.walk_ins, totals.attended) == (1, 1, 1, 2)


def test_signup_amounts_follow_the_calculator(world, event):
    user = world.users["local_officer"]
    _, poor = _household(world.own.hamlet, "Lò Thị Dợ", poverty="poor", ethnic_minority=True)
    signup, new = services.record_signup(poor, scheme="bhxh_tn", kind="new", signed_on=date(2026, 5, 10), user=user,
                                         event=event, income=1_500_000, mode="monthly", submission_key="s1")
    db.session.commit()
    assert new and (signup.amount_due, signup.support, signup.net) == (330_000, 165_000, 165_000)
    same, new = services.record_signup(poor, scheme="bhxh_tn", kind="new", signed_on=date(2026, 5, 10), user=user,
                                       event=event, income=1_500_000, mode="monthly", submission_key="s1")
    assert not new and same.id == signup.id
    with pytest.raises(services.ResultsError) as info:
        services.record_signup(poor, scheme="bhxh_tn", kind="new", signed_on=date(2026, 5, 10), user=user,
                               event=event, income=1_500_000, mode="monthly")
    assert info.value.code == "duplicate"
    _, other = _household(world.own.hamlet, "Đỗ Văn Bình")
    with pytest.raises(services.ResultsError) as info:
        services.record_signup(other, scheme="bhxh_tn", kind="new", signed_on=date(2026, 5, 10), user=user,
                               event=event, income=1_500_000, mode="monthly", net_override=200_000)
    assert info.value.code == "override_reason"
    with pytest.raises(services.ResultsError) as info:
        services.record_signup(other, scheme="bhxh_tn", kind="new", signed_on=date(2026, 5, 10), user=user,
                               event=event, income=900_000, mode="monthly")
    assert info.value.code == "income"
    bhyt, _ = services.record_signup(other, scheme="bhyt_hgd", kind="new", signed_on=date(2026, 5, 10), user=user,
                                     event=event, member_order=2, months=12)
    assert bhyt.net == 73_710 * 12
    assert db.session.scalar(select(func.count()).select_from(SignUp)) == 2


def test_signup_warnings():
    person = Person(compulsory_insured=True, bhxh_tn_status="never", bhyt_expires_on=date(2027, 1, 1))
    assert services.warnings_for(person, "bhxh_tn", date(2026, 5, 1)) == ["compulsory"]
    assert services.warnings_for(person, "bhyt_hgd", date(2026, 5, 1)) == ["valid_card"]


def test_signup_is_credited_to_the_visiting_agent(world, event):
    household, head = _household(world.own.hamlet, "Lê Văn An")
    visit_list, _ = building.build_list(event, building.Criteria(), world.users["local_officer"])
    building.split_among_agents(visit_list)
    db.session.commit()
    assignment = db.session.scalar(select(building.VisitAssignment).where(
        building.VisitAssignment.visit_list_id == visit_list.id,
        building.VisitAssignment.household_id == household.id))
    assert assignment.agent_id == world.own.agent.id
    visit_services.record_outcome(assignment, outcome="invited", user=world.users["agent"], expected_attendees=2)
    db.session.commit()
    invitation = db.session.scalar(select(Invitation).where(Invitation.event_id == event.id,
                                                            Invitation.household_id == household.id))
    assert (invitation.agent_id, invitation.expected_attendees) == (world.own.agent.id, 2)  # left at the visit
    assert services.invitations_from_visits(event) == 0  # nothing missing
    signup, _ = services.record_signup(head, scheme="bhxh_tn", kind="new", signed_on=date(2026, 5, 10),
                                       user=world.users["local_officer"], event=event, income=2_000_000,
                                       mode="monthly", agent_id=None)
    assert signup.credited_agent_id == world.own.agent.id


def test_confirmation_locks_further_entries(world, event):
    user = world.users["local_officer"]
    _, person = _household(world.own.hamlet, "Lê Văn An")
    services.record_signup(person, scheme="bhxh_tn", kind="renewal", signed_on=date(2026, 5, 10), user=user,
                           event=event, income=1_500_000, mode="monthly")
    services.confirm_results(event, user)
    db.session.commit()
    assert db.session.scalar(select(SignUp.status)) == "confirmed"
    assert event.status == "results_entered"
    _, late = _household(world.own.hamlet, "Trần Thị Bình")
    with pytest.raises(services.Locked):
        services.record_signup(late, scheme="bhxh_tn", kind="new", signed_on=date(2026, 5, 10), user=user,
                               event=event, income=1_500_000, mode="monthly")
    assert services.totals(event.id).bhxh_tn_renewal == 1
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 0


def test_a_signup_shows_in_the_register(world, event):
    user = world.users["local_officer"]
    _, person = _household(world.own.hamlet, "Lê Văn An")
    services.record_signup(person, scheme="bhxh_tn", kind="new", signed_on=date(2026, 5, 10), user=user,
                           event=event, income=1_500_000, mode="every_3_months")
    db.session.commit()
    db.session.refresh(person)
    assert (person.bhxh_tn_status, person.paid_until) == ("participating", date(2026, 7, 31))  # May to July
    # Paying on before it runs out continues from the month after the last one paid.
    services.record_signup(person, scheme="bhxh_tn", kind="renewal", signed_on=date(2026, 7, 20), user=user,
                           income=1_500_000, mode="monthly")
    assert person.paid_until == date(2026, 8, 31)
    services.record_signup(person, scheme="bhyt_hgd", kind="new", signed_on=date(2026, 5, 10), user=user,
                           event=event, member_order=1)
    assert person.bhyt_expires_on == date(2027, 5, 10)  # twelve months
    services.record_signup(person, scheme="bhyt_hgd", kind="adjustment", signed_on=date(2026, 6, 1), user=user,
                           member_order=1)
    assert person.bhyt_expires_on == date(2027, 5, 10)  # an adjustment pays for nothing new
