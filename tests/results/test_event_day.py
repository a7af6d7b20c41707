"""The event's day: check-ins and sign-ups from that day on, results once it has started, a check-in undone by
mistake, paper rows before the sheet was printed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from portal.audit.models import AuditEntry
from portal.extensions import db
from portal.policy.services import seed_shipped
from portal.results.models import Attendance, EventResult, Invitation, SignUp

from .. import factories


def _next_week(event) -> None:
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=7)
    event.starts_at, event.ends_at = start, start + timedelta(hours=3)
    db.session.commit()


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_check_in_waits_for_the_events_day(client, auth, world):
    _next_week(world.own.event)
    auth.login(world.users["agent"])
    event = world.own.event
    html = client.get(f"/events/{event.id}/attendance").get_data(as_text=True)
    assert "Điểm danh mở vào ngày diễn ra hội nghị" in html
    assert "/attendance/check-in" not in html and "/attendance/walk-in" not in html
    for url, data in ((f"/events/{event.id}/attendance/check-in", {"invitation_id": str(world.own.invitation.id)}),
                      (f"/events/{event.id}/attendance/rows", {"rows": "1"}),
                      (f"/events/{event.id}/attendance/walk-in", {"name": "Lò Văn Sớm",
                                                                  "hamlet_id": str(world.own.hamlet.id)}),
                      (f"/checkin/{world.own.invitation.token}", {})):
        response = client.post(url, data=data)
        assert response.status_code == 303, url
    assert _count(Attendance) == 0
    # An htmx tap on a stale page is sent to the page with the reason, not swapped in.
    response = client.post(f"/events/{event.id}/attendance/check-in",
                           data={"invitation_id": str(world.own.invitation.id)}, headers={"HX-Request": "true"})
    assert response.headers["HX-Redirect"].endswith(f"/events/{event.id}/attendance")
    assert _count(Attendance) == 0


def test_a_cancelled_event_takes_no_check_in(client, auth, world):
    event = world.own.event
    event.status = "cancelled"
    db.session.commit()
    auth.login(world.users["local_officer"])
    client.post(f"/events/{event.id}/attendance/check-in", data={"invitation_id": str(world.own.invitation.id)})
    assert _count(Attendance) == 0


def test_a_check_in_made_by_mistake_is_undone_and_kept_in_the_history(client, auth, world):
    auth.login(world.users["agent"])
    event = world.own.event
    client.post(f"/events/{event.id}/attendance/check-in", data={"invitation_id": str(world.own.invitation.id)})
    attendance_id = db.session.scalar(select(Attendance.id))
    html = client.get(f"/events/{event.id}/attendance").get_data(as_text=True)
    assert f"/attendance/{attendance_id}/undo" in html
    response = client.post(f"/events/{event.id}/attendance/{attendance_id}/undo", data={"from": "invited"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200 and "<html" not in response.get_data(as_text=True)
    assert _count(Attendance) == 0
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "attendance.undo"))
    assert entry.object_type == "event" and entry.object_id == event.id
    assert entry.details["attendance_id"] == attendance_id
    auth.login(world.users["local_officer"])
    overview = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "attendance.undo" not in overview
    # Another event's attendance cannot be undone through this one.
    other = factories.make_event(world.own.commune, world.own.office, title="Hội nghị khác")
    stranger = Attendance(event_id=other.id, walk_in=True, recorded_by_id=world.users["agent"].id, name="Khác")
    db.session.add(stranger)
    db.session.commit()
    assert client.post(f"/events/{event.id}/attendance/{stranger.id}/undo").status_code == 404


def test_no_undo_once_the_results_are_confirmed(client, auth, world):
    auth.login(world.users["local_officer"])
    event = world.own.event
    client.post(f"/events/{event.id}/attendance/check-in", data={"invitation_id": str(world.own.invitation.id)})
    assert client.post(f"/events/{event.id}/results", data={"notes": ""}).status_code == 303
    assert db.session.get(EventResult, event.id).confirmed_at is not None
    attendance = db.session.scalar(select(Attendance))
    assert "/undo" not in client.get(f"/events/{event.id}/attendance").get_data(as_text=True)
    client.post(f"/events/{event.id}/attendance/{attendance.id}/undo")
    assert _count(Attendance) == 1
    assert _count(AuditEntry.__table__.select().where(AuditEntry.action == "attendance.undo").subquery()) == 0


def test_results_are_confirmed_only_once_the_event_has_started(client, auth, world):
    _next_week(world.own.event)
    auth.login(world.users["local_officer"])
    event = world.own.event
    html = client.get(f"/events/{event.id}/results").get_data(as_text=True)
    assert 'name="notes"' not in html and "Chỉ xác nhận kết quả sau khi hội nghị đã bắt đầu" in html
    assert client.post(f"/events/{event.id}/results", data={"notes": ""}).status_code == 303
    assert db.session.get(EventResult, event.id) is None


def test_event_sign_ups_wait_for_the_events_day(client, auth, world):
    seed_shipped()
    _next_week(world.own.event)
    auth.login(world.users["local_officer"])
    event = world.own.event
    response = client.post(f"/events/{event.id}/signups", data={
        "person_id": str(world.own.person.id), "scheme": "bhxh_tn", "kind": "new", "income": "1500000",
        "mode": "monthly", "signed_on": datetime.now(UTC).strftime("%d/%m/%Y"), "agent_id": "0",
        "submission_key": "early"})
    assert response.status_code == 422
    assert "từ ngày diễn ra hội nghị" in response.get_data(as_text=True)
    assert _count(SignUp) == 0


def test_paper_rows_before_the_sheet_was_printed(client, auth, world):
    auth.login(world.users["local_officer"])
    event = world.own.event
    world.own.invitation.sheet_row = None  # nothing printed yet
    db.session.commit()
    response = client.post(f"/events/{event.id}/attendance/rows", data={"rows": "1"})
    assert response.status_code == 200
    assert db.session.get(Invitation, world.own.invitation.id).sheet_row == 1
    assert db.session.scalar(select(Attendance.invitation_id)) == world.own.invitation.id
