"""The retention pages: the agent's due worklist, a reminder from the due list, the figures, the SMS list and
the reminder slips; the happy paths and the main refusals."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from portal.audit.models import AuditEntry
from portal.extensions import db
from portal.i18n.formatting import local_today
from portal.retention.models import RetentionContact

from .. import factories


def _due(world, name="Lò Văn Nhắc", *, days=5, hamlet=None):
    _household, person = factories.make_household(hamlet or world.own.hamlet, name, phone="0912345678")
    person.bhxh_tn_status, person.paid_until = "participating", local_today() + timedelta(days=days)
    db.session.commit()
    return person


def _contacts(person_id) -> list[RetentionContact]:
    return list(db.session.scalars(select(RetentionContact).where(RetentionContact.person_id == person_id)
                                   .order_by(RetentionContact.id)))


def test_agent_worklist_records_one_tap_and_answers_the_row(client, auth, world):
    person = _due(world)
    auth.login(world.users["agent"])
    page = client.get("/my/due").get_data(as_text=True)
    assert "Lò Văn Nhắc" in page and "Đã đóng" in page and 'type="date"' in page
    url = f"/retention/people/{person.id}/contact"
    response = client.post(url, data={"scheme": "bhxh_tn", "method": "visit", "outcome": "paid", "quick": "1",
                                      "submission_key": "k1", "next": "/my/due"}, headers={"HX-Request": "true"})
    row = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in row and f'id="p{person.id}"' in row
    assert "state-settled" in row
    # "Paid" leads to the renewal sign-up outside events, pre-filled from the last contribution.
    assert f"/enrolments/new?person={person.id}&amp;scheme=bhxh_tn&amp;renew=1" in row
    assert 'id="due-counts" class="due-counts" hx-swap-oob="true"' in row  # the counts follow
    [contact] = _contacts(person.id)
    assert (contact.outcome, contact.method, contact.agent_id) == ("paid", "visit", world.own.agent.id)
    assert "Lò Văn Nhắc" not in client.get("/my/due").get_data(as_text=True)  # off "to remind"
    assert "Lò Văn Nhắc" in client.get("/my/due?show=done").get_data(as_text=True)


def test_a_promise_without_a_day_is_refused_on_the_row(client, auth, world):
    person = _due(world)
    auth.login(world.users["agent"])
    response = client.post(f"/retention/people/{person.id}/contact", headers={"HX-Request": "true"},
                           data={"scheme": "bhxh_tn", "method": "visit", "outcome": "promised", "quick": "1",
                                 "submission_key": "k2"})
    assert response.status_code == 422
    assert "Nhập ngày người tham gia hẹn đóng." in response.get_data(as_text=True)
    assert _contacts(person.id) == []
    far = (local_today() + timedelta(days=400)).isoformat()
    response = client.post(f"/retention/people/{person.id}/contact",
                           data={"scheme": "bhxh_tn", "method": "visit", "outcome": "promised", "promised_on": far,
                                 "submission_key": "k3"})
    assert response.status_code == 422 and "Ngày hẹn đóng phải từ" in response.get_data(as_text=True)
    assert _contacts(person.id) == []


def test_officer_records_from_the_due_list_with_a_note(client, auth, world):
    person = _due(world)
    auth.login(world.users["local_officer"])
    due = client.get("/households/due?kind=paid_until").get_data(as_text=True)
    assert f"/retention/people/{person.id}/contact" in due and "Ghi lần nhắc" in due
    form = client.get(f"/retention/people/{person.id}/contact?scheme=bhxh_tn&next=/households/due")
    assert form.status_code == 200 and "Hẹn đóng trước ngày" in form.get_data(as_text=True)
    day = (local_today() + timedelta(days=7)).strftime("%d/%m/%Y")
    response = client.post(f"/retention/people/{person.id}/contact?next=/households/due",
                           data={"scheme": "bhxh_tn", "method": "phone", "outcome": "promised", "promised_on": day,
                                 "note": "Chờ bán lợn", "submission_key": "k4"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/households/due")
    [contact] = _contacts(person.id)
    assert contact.note == "Chờ bán lợn" and contact.agent_id is None and contact.method == "phone"
    assert "Hẹn đóng" in client.get("/households/due?kind=paid_until").get_data(as_text=True)


def test_another_territorys_person_is_not_found(client, auth, world):
    stranger = _due(world, "Lò Văn Xa", hamlet=world.near.hamlet)
    auth.login(world.users["local_officer"])
    assert client.get(f"/retention/people/{stranger.id}/contact").status_code == 404
    response = client.post(f"/retention/people/{stranger.id}/contact",
                           data={"scheme": "bhxh_tn", "method": "visit", "outcome": "paid"})
    assert response.status_code == 404 and _contacts(stranger.id) == []


def test_figures_page_and_its_fragment(client, auth, world):
    _due(world)
    auth.login(world.users["viewer"])
    page = client.get("/retention/?group=agent")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Tỷ lệ đóng tiếp" in html and world.own.agent.full_name in html
    assert "Tin nhắn nhắc đóng hôm nay" not in html  # a viewer does not export
    fragment = client.htmx_get("/retention/?group=commune", target="figures").get_data(as_text=True)
    assert "<html" not in fragment and world.own.commune.name in fragment


def test_figures_refuse_a_bad_month(client, auth, world):
    auth.login(world.users["local_officer"])
    response = client.get("/retention/?month=13/2026")
    assert response.status_code == 422 and "không phải là tháng" in response.get_data(as_text=True)
    future = (local_today() + timedelta(days=62)).strftime("%m/%Y")
    assert client.get(f"/retention/?month={future}").status_code == 422


def test_sms_csv_is_utf8_with_bom_audited_and_marks_people_reminded(client, auth, world):
    person = _due(world, days=2)
    auth.login(world.users["local_officer"])
    assert "1 người" in client.get("/retention/sms").get_data(as_text=True)
    response = client.post("/retention/sms.csv", data={"scheme": "bhxh_tn", "mark_sent": "1"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf") and "Lò Văn Nhắc" in response.data.decode("utf-8")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "export.sms_reminders"))
    assert entry.details["rows"] == 1 and "0912345678" not in str(entry.details)
    assert [c.method for c in _contacts(person.id)] == ["sms"]
    again = client.post("/retention/sms.csv", data={"scheme": "bhxh_tn"})
    assert again.status_code == 303  # nobody left today
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "export.sms_reminders")) == 1


def test_reminder_slips_for_the_agents_round(client, auth, world):
    _due(world)
    auth.login(world.users["agent"])
    response = client.get("/retention/slips.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "print.reminder_slips")) is not None


def test_reminder_slips_need_an_agent_and_people(client, auth, world):
    auth.login(world.users["local_officer"])
    assert client.get("/retention/slips.pdf").status_code == 303  # which agent?
    assert client.get(f"/retention/slips.pdf?agent={world.near.agent.id}").status_code == 404
    response = client.get(f"/retention/slips.pdf?agent={world.own.agent.id}")
    assert response.status_code == 303  # nobody to remind


def test_menus(client, auth, world):
    auth.login(world.users["agent"])
    assert 'href="/my/due"' in client.get("/my/due").get_data(as_text=True)
    auth.login(world.users["viewer"])
    assert 'href="/retention/"' in client.get("/retention/").get_data(as_text=True)
