"""The register of data-subject requests: deadlines in working days, recording, progress, closing."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.extensions import db
from portal.i18n.formatting import local_today
from portal.privacy.deadlines import add_working_days, deadlines
from portal.privacy.models import DataSubjectRequest

from .helpers import make_request, make_subject


def test_deadlines_skip_weekends_and_holidays(app):
    assert deadlines(date(2026, 1, 5)) == (date(2026, 1, 7), date(2026, 1, 19))  # Monday
    assert deadlines(date(2026, 1, 8))[0] == date(2026, 1, 12)  # Thursday -> Monday
    assert deadlines(date(2026, 1, 9))[0] == date(2026, 1, 13)  # Friday -> Tuesday
    assert deadlines(date(2026, 1, 10))[0] == date(2026, 1, 13)  # Saturday -> Tuesday
    assert add_working_days(date(2026, 4, 29), 2, off={date(2026, 4, 30), date(2026, 5, 1)}) == date(2026, 5, 5)
    app.config["PRIVACY_HOLIDAYS"] = ["2026-01-06"]
    try:
        assert deadlines(date(2026, 1, 5))[0] == date(2026, 1, 8)
    finally:
        app.config.pop("PRIVACY_HOLIDAYS")


def test_a_request_is_recorded_with_its_deadlines(client, auth, world):
    subject = make_subject(world)
    auth.login(world.users["admin"])
    form = client.get(f"/admin/privacy/requests/new?person={subject.person.id}").get_data(as_text=True)
    assert "Lò Thị Hoa" in form
    response = client.post(f"/admin/privacy/requests/new?person={subject.person.id}",
                           data={"kind": "access", "requester_name": "Lò Thị Hoa", "channel": "letter",
                                 "received_on": "09/01/2026", "details": "Xin bản sao dữ liệu, CCCD 012345678901"})
    assert response.status_code == 303
    row = db.session.scalar(select(DataSubjectRequest))
    assert (row.person_id, row.kind, row.status) == (subject.person.id, "access", "received")
    assert (row.acknowledge_by, row.answer_by) == (date(2026, 1, 13), date(2026, 1, 23))
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "privacy.request_create"))
    assert entry.object_id == row.id and "012345678901" not in str(entry.details)
    listing = client.get("/admin/privacy/requests").get_data(as_text=True)
    assert f"/admin/privacy/requests/{row.id}" in listing and "13/01/2026" in listing
    assert "badge off" in listing  # past both deadlines already


def test_bad_requests_are_refused_with_422(client, auth, world):
    auth.login(world.users["admin"])
    missing = client.post("/admin/privacy/requests/new", data={"kind": "access", "requester_name": "",
                                                               "channel": "letter", "received_on": "31/02/2026"})
    assert missing.status_code == 422
    future = client.post("/admin/privacy/requests/new", data={
        "kind": "access", "requester_name": "Ai Đó", "channel": "letter",
        "received_on": date(local_today().year + 1, 1, 2).strftime("%d/%m/%Y")})
    assert future.status_code == 422 and db.session.scalar(select(DataSubjectRequest)) is None
    assert client.get("/admin/privacy/requests/new?person=999999").status_code == 404


def test_progress_and_closing(client, auth, world):
    subject = make_subject(world)
    row = make_request(subject, "objection")
    auth.login(world.users["admin"])
    page = client.get(f"/admin/privacy/requests/{row.id}").get_data(as_text=True)
    assert "07/01/2026" in page
    ack = client.post(f"/admin/privacy/requests/{row.id}", data={"status": "acknowledged", "version": "1"})
    assert ack.status_code == 303
    db.session.expire_all()
    assert row.status == "acknowledged" and row.acknowledged_on == local_today()
    unexplained = client.post(f"/admin/privacy/requests/{row.id}", data={"status": "done", "version": "2"})
    assert unexplained.status_code == 422
    stale = client.post(f"/admin/privacy/requests/{row.id}", data={"status": "done", "version": "1",
                                                                   "outcome": "x"})
    assert stale.status_code == 303
    db.session.expire_all()
    assert row.status == "acknowledged"
    done = client.post(f"/admin/privacy/requests/{row.id}",
                       data={"status": "done", "version": "2", "outcome": "Đã ngừng gửi tin nhắn nhắc đóng."})
    assert done.status_code == 303
    db.session.expire_all()
    assert (row.status, row.answered_on) == ("done", local_today())
    updates = db.session.scalars(select(AuditEntry.details).where(AuditEntry.action == "privacy.request_update")
                                 .order_by(AuditEntry.id)).all()
    assert [u["status"] for u in updates] == [["received", "acknowledged"], ["acknowledged", "done"]]
    assert "Đã ngừng gửi tin nhắn" in client.get(f"/admin/privacy/requests/{row.id}").get_data(as_text=True)
    assert client.get("/admin/privacy/requests?status=done").get_data(as_text=True).count(
        f"/admin/privacy/requests/{row.id}\"") == 2
    assert f"/admin/privacy/requests/{row.id}\"" not in client.get("/admin/privacy/requests").get_data(as_text=True)
