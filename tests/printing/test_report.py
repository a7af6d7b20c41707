"""The results report (biên bản): attendance and sign-ups against the plan and the commune's campaign targets."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.campaigns.models import Target
from portal.extensions import db
from portal.households.models import Person
from portal.households.services import place_person
from portal.results import services

from .. import factories
from .helpers import on_day, pdf_pages, seed_policy


def _held_event(world, monkeypatch, **fields):
    seed_policy()
    event = world.own.event
    on_day(event, datetime(2027, 5, 12, 1))
    factories.on_the_day(monkeypatch, event)
    for key, value in fields.items():
        setattr(event, key, value)
    event.status = "held"
    db.session.commit()
    return event


def test_totals_against_expected_attendance(client, auth, world, monkeypatch):
    event = _held_event(world, monkeypatch, expected_attendance=40)
    officer = world.users["local_officer"]
    services.check_in(event, invitation=world.own.invitation, user=officer)
    _, walker = factories.make_household(world.own.hamlet, "Hà Thị Mai")
    services.check_in(event, person=walker, user=officer)
    services.record_signup(walker, scheme="bhxh_tn", kind="new", signed_on=date(2027, 5, 12), user=officer,
                           event=event, income=2_200_000, mode="monthly")
    db.session.commit()
    auth.login(officer)
    response = client.get(f"/events/{event.id}/print/report.pdf")
    assert response.status_code == 200
    pages = pdf_pages(response.data)
    text = "".join(pages)
    assert len(pages) == 1
    assert "BIÊN BẢN KẾT QUẢ HỘI NGHỊ" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text.upper()
    assert "Người dân tham dự (người) 40 2 5,0%" in text  # plan, done, percent of the expected attendance
    assert "trong đó: đến theo giấy mời (người) 1" in text
    assert "Hộ được mời có người đến (hộ) 1 1 100,0%" in text
    assert "Đăng ký tham gia BHXH tự nguyện mới 1" in text
    assert "ngày 12 tháng 5 năm 2027" in text  # dated the day of the meeting
    assert "THƯ KÝ" in text and "CHỦ TRÌ HỘI NGHỊ" in text and "ĐẠI DIỆN UBND XÃ" in text
    assert "chưa được xác nhận" in text
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "print.results_report"))
    assert entry.object_id == event.id and entry.user_id == officer.id


def test_ratios_compare_people_with_people_and_households_with_households(client, auth, world, monkeypatch):
    event = _held_event(world, monkeypatch, expected_attendance=10)
    officer = world.users["local_officer"]
    household, head = world.own.household, world.own.person
    spouse = Person(relation_to_head="spouse")
    spouse.set_name("Lò Thị Vợ")
    place_person(spouse, household)
    db.session.add(spouse)
    second, _ = factories.make_household(world.own.hamlet, "Lò Văn Mời")
    factories.make_invitation(event, second)
    db.session.commit()
    # Two people of one invited household of two come with the invitation.
    services.check_in(event, invitation=world.own.invitation, person=head, user=officer)
    services.check_in(event, invitation=world.own.invitation, person=spouse, user=officer)
    db.session.commit()
    auth.login(officer)
    text = "".join(pdf_pages(client.get(f"/events/{event.id}/print/report.pdf").data))
    assert "Người dân tham dự (người) 10 2 20,0%" in text
    assert "trong đó: đến theo giấy mời (người) 2" in text
    assert "Hộ được mời có người đến (hộ) 2 1 50,0%" in text  # not 2 people / 2 households = 100 %
    assert "100,0%" not in text


def test_campaign_targets_of_the_commune(client, auth, world, monkeypatch):
    campaign = world.campaign_own
    event = _held_event(world, monkeypatch, campaign_id=campaign.id, expected_attendance=10)
    officer = world.users["local_officer"]
    db.session.add_all([Target(campaign_id=campaign.id, level="commune", commune_id=event.commune_id,
                               subject_key=f"commune:{event.commune_id}", metric=metric, value=value)
                        for metric, value in (("new_bhxh_tn", 4), ("attendees", 20), ("conferences", 2))])
    services.check_in(event, invitation=world.own.invitation, user=officer)
    services.record_signup(world.own.person, scheme="bhxh_tn", kind="new", signed_on=date(2027, 5, 12),
                           user=officer, event=event, income=2_200_000, mode="monthly")
    services.confirm_results(event, officer)
    db.session.commit()
    auth.login(officer)
    text = "".join(pdf_pages(client.get(f"/events/{event.id}/print/report.pdf").data))
    assert campaign.name in text
    assert "Người tham gia BHXH tự nguyện mới 4 1 25,0%" in text  # confirmed sign-ups count
    assert "Hội nghị tuyên truyền đã tổ chức 2 1 50,0%" in text
    assert "Lượt người tham dự hội nghị 20 1 5,0%" in text
    assert "đã được xác nhận" in text


def test_only_officers_print_the_report(client, auth, world):
    auth.login(world.users["agent"])
    assert client.get(f"/events/{world.own.event.id}/print/report.pdf").status_code == 403
