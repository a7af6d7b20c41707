"""Counted once: event sign-ups and receipts of the same months are one enrolment; a person is new once; batches."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from portal.enrolments import services
from portal.events.models import Event
from portal.extensions import db
from portal.policy.services import seed_shipped
from portal.results import clashes
from portal.results import services as signups
from portal.results.models import SignUp, SignUpBatch

DAY = date(2027, 5, 10)


def _event(world, title):
    e = Event(kind="conference", title=title, commune_id=world.own.commune.id, venue="Nhà văn hóa",
              starts_at=datetime(2027, 5, 10, 1, tzinfo=UTC), ends_at=datetime(2027, 5, 10, 4, tzinfo=UTC),
              organiser_office_id=world.own.office.id, status="held")
    db.session.add(e)
    db.session.commit()
    return e


@pytest.fixture
def officer(world, monkeypatch):
    seed_shipped()
    monkeypatch.setattr(signups, "ensure_event_day", lambda event, today=None: None)
    monkeypatch.setattr(signups, "ensure_started", lambda event, now=None: None)
    return world.users["local_officer"]


def _counted(person_id, scheme="bhxh_tn"):
    return db.session.scalar(select(func.count()).select_from(SignUp).where(
        SignUp.person_id == person_id, SignUp.scheme == scheme, SignUp.status == "confirmed"))


def test_an_event_signup_and_a_receipt_for_the_same_months_are_one_enrolment(world, officer):
    person = world.own.person
    event = _event(world, "Hội nghị xã")
    at_event, _ = signups.record_signup(person, scheme="bhxh_tn", kind="new", signed_on=DAY, user=officer,
                                        event=event, income=1_500_000, mode="every_3_months")
    receipt, _ = signups.record_signup(person, scheme="bhxh_tn", kind="new", signed_on=DAY, user=officer,
                                       channel="door", agent_id=world.own.agent.id, income=1_500_000,
                                       mode="every_3_months", receipt_number="BL-1", net_override=at_event.net)
    signups.confirm_results(event, officer)
    db.session.commit()
    found = clashes.clashes([receipt])
    assert [(c.other.id, c.reason, c.blocking) for c in found] == [(at_event.id, "overlap", True)]
    with pytest.raises(services.EnrolmentError) as refused:
        services.confirm_batch([receipt], start=DAY, end=DAY, handed_in=receipt.net, user=officer)
    assert refused.value.code == "clashes"
    services.resolve_duplicate(receipt, at_event, user=officer)
    db.session.commit()
    assert receipt.status == "duplicate" and receipt.duplicate_of_id == at_event.id
    assert _counted(person.id) == 1
    assert clashes.clashes([at_event]) == []
    assert signups.supported_months_used(person.id) == 3  # the duplicate used no state support


def test_new_three_times_at_three_events_counts_once(world, officer):
    person = world.own.person
    events = [_event(world, f"Hội nghị {n}") for n in (1, 2, 3)]
    made = [signups.record_signup(person, scheme="bhxh_tn", kind="new", signed_on=DAY, user=officer, event=e,
                                  income=1_500_000, mode="monthly")[0] for e in events]
    db.session.commit()
    signups.confirm_results(events[0], officer)
    db.session.commit()
    for event, signup in zip(events[1:], made[1:], strict=True):
        with pytest.raises(signups.ResultsError) as refused:
            signups.confirm_results(event, officer)
        assert refused.value.code == "clashes"
        db.session.rollback()
        services.resolve_duplicate(signup, made[0], user=officer)
        signups.confirm_results(event, officer)
        db.session.commit()
    assert _counted(person.id) == 1
    assert db.session.scalar(select(func.count()).select_from(SignUp).where(SignUp.status == "duplicate")) == 2


def test_a_second_new_for_other_months_becomes_a_renewal(world, officer):
    person = world.own.person
    first, _ = signups.record_signup(person, scheme="bhxh_tn", kind="new", signed_on=DAY, user=officer,
                                     channel="counter", income=1_500_000, mode="monthly")
    later, _ = signups.record_signup(person, scheme="bhxh_tn", kind="new", signed_on=date(2027, 8, 3),
                                     user=officer, channel="door", income=1_500_000, mode="monthly")
    found = clashes.clashes([later])
    assert [c.reason for c in found] == ["new_twice"] and found[0].later.id == later.id
    services.resolve_renewal(later, user=officer)
    assert later.kind == "renewal" and clashes.clashes([later]) == []
    third, _ = signups.record_signup(person, scheme="bhxh_tn", kind="new", signed_on=date(2027, 8, 10),
                                     user=officer, channel="door", income=1_500_000, mode="monthly")
    with pytest.raises(services.EnrolmentError) as refused:
        services.resolve_renewal(third, user=officer)
    assert refused.value.code == "overlap" and first.kind == "new"


def test_a_batch_confirms_the_receipts_against_the_money_handed_in(world, officer):
    person = world.own.person
    receipt, _ = signups.record_signup(person, scheme="bhxh_tn", kind="renewal", signed_on=DAY, user=officer,
                                       channel="door", agent_id=world.own.agent.id, income=1_500_000,
                                       mode="monthly", receipt_number="BL-7")
    with pytest.raises(services.EnrolmentError) as refused:
        services.confirm_batch([receipt], start=DAY, end=DAY, handed_in=receipt.net - 1000, user=officer)
    assert refused.value.code == "handed_in"
    with pytest.raises(services.EnrolmentError):
        services.confirm_batch([], start=DAY, end=DAY, handed_in=0, user=officer)
    batch = services.confirm_batch([receipt], start=DAY, end=DAY, handed_in=receipt.net, user=officer,
                                   agent_id=world.own.agent.id)
    db.session.commit()
    assert receipt.status == "confirmed" and receipt.batch_id == batch.id
    assert (batch.signups, batch.total_net, batch.confirmed_by_id) == (1, receipt.net, officer.id)
    assert db.session.scalar(select(func.count()).select_from(SignUpBatch)) == 1
    with pytest.raises(services.EnrolmentError) as again:
        services.confirm_batch([receipt], start=DAY, end=DAY, handed_in=receipt.net, user=officer)
    assert again.value.code == "changed"


def test_a_renewal_near_the_end_of_the_period_paid_is_no_clash(world, officer):
    person = world.own.person
    signups.record_signup(person, scheme="bhyt_hgd", kind="new", signed_on=date(2026, 5, 12), user=officer,
                          channel="door", member_order=1, months=12)
    renewal, _ = signups.record_signup(person, scheme="bhyt_hgd", kind="renewal", signed_on=date(2027, 5, 2),
                                       user=officer, channel="counter", member_order=1, months=12)
    again, _ = signups.record_signup(person, scheme="bhyt_hgd", kind="renewal", signed_on=date(2027, 5, 20),
                                     user=officer, channel="door", member_order=1, months=12)
    assert [(c.other.id, c.reason) for c in clashes.clashes([again])] == [(renewal.id, "overlap")]


def test_an_outside_signup_needs_a_channel_other_than_the_event(world, officer):
    with pytest.raises(signups.ResultsError) as refused:
        signups.record_signup(world.own.person, scheme="bhxh_tn", kind="new", signed_on=DAY, user=officer,
                              channel="event", income=1_500_000, mode="monthly")
    assert refused.value.code == "channel"
