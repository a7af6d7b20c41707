"""Erasure on a deletion request: personal fields wiped for good, results unchanged, a trace left."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.audit.models import AuditEntry
from portal.extensions import db
from portal.households.models import Household, Person, person_name_tokens, person_tags
from portal.privacy.models import Erasure
from portal.reports.queries import achievements
from portal.results import services as results
from portal.results.models import Attendance, SignUp
from portal.visits.models import Visit

from .helpers import CCCD, make_request, make_subject


def _figures(world) -> tuple:
    """What the reports count: the campaign's achievements by commune and agent, the event's totals."""
    campaign = world.campaign_own
    return (achievements(campaign, "commune"), achievements(campaign, "agent"),
            results.totals(world.own.event.id).__dict__,
            db.session.scalar(select(func.count()).select_from(SignUp)))


def _confirm(world) -> None:
    world.campaign_own.status = "active"
    results.confirm_results(world.own.event, world.users["local_officer"])
    db.session.commit()


def test_erasing_a_person_wipes_the_fields_and_keeps_the_results(client, auth, world):
    subject = make_subject(world)
    _confirm(world)
    before = _figures(world)
    assert before[0]  # the sign-up counts somewhere
    row = make_request(subject, "deletion")
    auth.login(world.users["admin"])
    page = client.get(f"/admin/privacy/requests/{row.id}/erase")
    assert page.status_code == 200 and "Lò Thị Hoa" in page.get_data(as_text=True)
    unconfirmed = client.post(f"/admin/privacy/requests/{row.id}/erase", data={"scope": "person", "reason": "x"})
    assert unconfirmed.status_code == 422
    db.session.expire_all()
    assert subject.person.cccd == CCCD

    response = client.post(f"/admin/privacy/requests/{row.id}/erase",
                           data={"scope": "person", "reason": "Đơn ngày 05/01/2026", "confirm": "y"})

    assert response.status_code == 303
    db.session.expire_all()
    person = db.session.get(Person, subject.person.id)
    assert person.full_name == "[Đã xoá]"
    assert (person.cccd, person.bhxh_code, person.phone, person.date_of_birth, person.ethnicity) == (None,) * 5
    assert not person.ethnic_minority
    assert db.session.scalar(select(func.count()).select_from(person_tags).where(
        person_tags.c.person_id == person.id)) == 0
    assert db.session.scalar(select(func.count()).select_from(person_name_tokens).where(
        person_name_tokens.c.person_id == person.id)) == 0
    assert db.session.scalar(select(Visit.note).where(Visit.person_id == person.id)) is None
    household = db.session.get(Household, subject.household.id)
    assert household.head_name == f"[Đã xoá] #{household.id}"  # the head's name on the household went too
    assert db.session.get(Person, subject.relative.id).full_name == "Lò Văn Minh"  # the relative stays
    assert _figures(world) == before
    erasure = db.session.scalar(select(Erasure))
    assert (erasure.request_id, erasure.object_type, erasure.object_id) == (row.id, "person", person.id)
    assert erasure.erased_by_id == world.users["admin"].id and erasure.reason == "Đơn ngày 05/01/2026"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "privacy.erase"))
    assert entry.details["request"] == row.id and "cccd" in entry.details["fields"]
    # Nothing leads back: not a name search, not a second erasure, not a correction.
    found = client.post("/admin/privacy/people", data={"name": "Lò Thị Hoa"}).get_data(as_text=True)
    assert f"/admin/privacy/people/{person.id}\"" not in found
    assert client.post("/admin/privacy/people", data={"cccd": CCCD}).get_data(as_text=True).count(
        "/admin/privacy/people/") == 0
    assert client.get(f"/admin/privacy/requests/{row.id}/erase").status_code == 404
    again = make_request(subject, "correction")
    assert client.get(f"/admin/privacy/requests/{again.id}/correct").status_code == 404
    report = client.get(f"/admin/privacy/people/{person.id}").get_data(as_text=True)
    assert "Lò Thị Hoa" not in report and CCCD not in report and "privacy.erase" in report


def test_erasing_a_household_wipes_every_member_and_walk_in_details(client, auth, world):
    subject = make_subject(world)
    walk_in, _ = results.add_walk_in(world.own.event, name="Khách Vãng Lai", phone="0987654321",
                                     hamlet=world.own.hamlet, cccd=None, user=world.users["local_officer"])
    walk_in.household_id, walk_in.person_id, walk_in.name = subject.household.id, None, "Khách Vãng Lai"
    db.session.commit()
    _confirm(world)
    before = _figures(world)
    row = make_request(subject, "deletion")
    auth.login(world.users["admin"])
    response = client.post(f"/admin/privacy/requests/{row.id}/erase",
                           data={"scope": "household", "confirm": "y"})
    assert response.status_code == 303
    db.session.expire_all()
    household = db.session.get(Household, subject.household.id)
    assert (household.address, household.phone, household.notes, household.poverty_status) == (
        None, None, None, "none")
    names = set(db.session.scalars(select(Person.full_name).where(Person.household_id == household.id)))
    assert names == {"[Đã xoá]"}
    assert db.session.scalar(select(Attendance.name).where(Attendance.id == walk_in.id)) is None
    assert _figures(world) == before
    erasure = db.session.scalar(select(Erasure))
    assert erasure.object_type == "household" and erasure.counts["people"] == 2


def test_only_an_open_deletion_request_erases(client, auth, world):
    subject = make_subject(world)
    auth.login(world.users["admin"])
    for row in (make_request(subject, "access"), make_request(subject, "deletion", status="refused"),
                make_request(None, "deletion")):
        assert client.post(f"/admin/privacy/requests/{row.id}/erase",
                           data={"scope": "person", "confirm": "y"}).status_code == 404
    db.session.expire_all()
    assert subject.person.full_name == "Lò Thị Hoa"
    assert db.session.scalar(select(Erasure)) is None
