"""A person's data report: found by numbers sent in the body, complete, with who saw the data; PDF and JSON;
viewing a person or household page leaves an audit entry without numbers."""

from __future__ import annotations

import io
import json
import re

from pypdf import PdfReader
from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.extensions import db

from .helpers import BHXH, CCCD, PHONE, make_subject

DIGIT_RUN = re.compile(r"\d{8,}")


def _entries(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def test_person_and_household_pages_are_audited_without_numbers(client, auth, world):
    subject = make_subject(world)
    officer = auth.login(world.users["local_officer"])
    assert client.get(f"/households/people/{subject.person.id}").status_code == 200
    assert client.get(f"/households/{subject.household.id}").status_code == 200
    (view,) = _entries("person.view")
    assert (view.object_type, view.object_id, view.user_id) == ("person", subject.person.id, officer.id)
    assert [e.object_id for e in _entries("household.view")] == [subject.household.id]
    for entry in db.session.scalars(select(AuditEntry)):
        text = json.dumps(entry.details or {}, ensure_ascii=False) + (entry.username or "")
        assert not DIGIT_RUN.search(text), (entry.action, text)


def test_lookup_by_number_goes_in_the_body_and_is_audited(client, auth, world):
    subject = make_subject(world)
    auth.login(world.users["admin"])
    response = client.post("/admin/privacy/people", data={"cccd": CCCD[1:]})  # Excel dropped the leading zero
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"/admin/privacy/people/{subject.person.id}" in html and "Lò Thị Hoa" in html
    assert client.post("/admin/privacy/people", data={"bhxh_code": BHXH}).get_data(as_text=True).count(
        f"/admin/privacy/people/{subject.person.id}\"") == 1
    by_name = client.post("/admin/privacy/people", data={"name": "lo thi hoa"}).get_data(as_text=True)
    assert f"/admin/privacy/people/{subject.person.id}\"" in by_name
    assert f"/admin/privacy/people/{subject.relative.id}\"" not in by_name
    lookups = _entries("privacy.lookup")
    assert [e.details["by"] for e in lookups] == [["cccd"], ["bhxh_code"], ["name"]]
    assert all(CCCD[-8:] not in json.dumps(e.details) for e in lookups)
    # A GET never searches, whatever the query string says.
    assert "Lò Thị Hoa" not in client.get(f"/admin/privacy/people?cccd={CCCD}").get_data(as_text=True)


def test_lookup_refuses_bad_input_with_a_message(client, auth, world):
    make_subject(world)
    auth.login(world.users["admin"])
    short = client.post("/admin/privacy/people", data={"cccd": "12345"})
    assert short.status_code == 422 and "12" in short.get_data(as_text=True)
    empty = client.post("/admin/privacy/people", data={"cccd": "", "name": " "})
    assert empty.status_code == 422
    nobody = client.post("/admin/privacy/people", data={"name": "Không Có Ai"})
    assert nobody.status_code == 200 and "/admin/privacy/requests/new" in nobody.get_data(as_text=True)


def test_report_holds_the_data_and_who_saw_it(client, auth, world):
    subject = make_subject(world)
    auth.login(world.users["local_officer"])
    client.get(f"/households/people/{subject.person.id}")
    assert client.get(f"/events/{world.own.event.id}/print/attendance.pdf").status_code == 200
    client.get(f"/events/{world.own.event.id}/evidence/{world.own.evidence.id}").close()
    assert client.get("/households/export.xlsx?q=L%C3%B2").status_code == 200
    auth.logout()
    auth.login(world.users["admin"])
    response = client.get(f"/admin/privacy/people/{subject.person.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for text in (CCCD, BHXH, PHONE, "Bản Mường 3", "Thái", world.own.event.title, world.own.evidence.original_name,
                 "Hẹn gọi lại"):
        assert text in html, text
    log = html[html.index('id="access-log"'):]
    officer = world.users["local_officer"].username
    for action in ("person.view", "print.attendance_sheet", "event.evidence_view", "export.households"):
        assert action in log, action
    assert officer in log
    assert [e.object_id for e in _entries("privacy.report_view")] == [subject.person.id]


def test_report_as_json_and_pdf_are_audited(client, auth, world):
    subject = make_subject(world)
    auth.login(world.users["admin"])
    response = client.get(f"/admin/privacy/people/{subject.person.id}/report.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    data = response.get_json()
    assert data["person"]["cccd"] == CCCD and data["person"]["full_name"] == "Lò Thị Hoa"
    assert data["tags"] == ["craft_village"] and data["household"]["poverty_status"] == "near_poor"
    assert len(data["signups"]) == 1 and len(data["attendance"]) == 1 and len(data["invitations"]) == 1
    assert data["visits"][0]["outcome"] == "interested"
    assert {e["id"] for e in data["evidence"]} == {world.own.evidence.id}
    pdf = client.get(f"/admin/privacy/people/{subject.person.id}/report.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "BÁO CÁO DỮ LIỆU CÁ NHÂN" in text.upper() and "Lò Thị Hoa" in text and CCCD in text
    assert "privacy.report_json" in text  # the JSON download just before shows in the access log
    assert [e.action for e in db.session.scalars(select(AuditEntry).where(
        AuditEntry.action.like("privacy.report_%")).order_by(AuditEntry.id))] == [
        "privacy.report_json", "privacy.report_pdf"]
