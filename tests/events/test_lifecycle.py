"""Editing, rescheduling (audited), optimistic locking (409), status flow, cancelling with a reason."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm.exc import StaleDataError

from portal.audit.models import AuditEntry
from portal.events import services
from portal.events.models import Event
from portal.extensions import db
from portal.i18n.formatting import to_local
from portal.types import utcnow

from .helpers import actions, by_title, event_at, event_data, vn


def _edit_data(world, event, **over):
    local = to_local(event.starts_at)
    values = {"title": event.title, "venue": event.venue, "day": local.strftime("%d/%m/%Y"),
              "start_time": local.strftime("%H:%M"), "end_time": to_local(event.ends_at).strftime("%H:%M"),
              "version": str(event.version), "expected_attendance": str(event.expected_attendance or "")}
    return event_data(world, **(values | over))


def test_edit_form_shows_the_event_in_vietnam_time(client, auth, world):
    event = event_at(world.own, vn(2027, 5, 20, 14, 30))
    auth.login(world.users["local_officer"])
    html = client.get(f"/events/{event.id}/edit").get_data(as_text=True)
    assert 'value="20/05/2027"' in html and 'value="14:30"' in html and 'value="17:30"' in html
    assert f'name="version" type="hidden" value="{event.version}"' in html


def test_reschedule_is_audited_with_old_and_new_times(client, auth, world):
    event = event_at(world.own, vn(2027, 5, 20, 8))
    auth.login(world.users["local_officer"])
    response = client.post(f"/events/{event.id}/edit", data=_edit_data(world, event, day="21/05/2027",
                                                                          start_time="13:30", end_time="16:00"))
    assert response.status_code == 303
    db.session.expire_all()
    assert to_local(event.starts_at).strftime("%H:%M %d/%m/%Y") == "13:30 21/05/2027"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "event.reschedule"))
    assert entry.object_id == event.id
    assert entry.details == {"old": "08:00 20/05/2027 – 11:00 20/05/2027", "new": "13:30 21/05/2027 – 16:00 21/05/2027"}
    assert "event.update" not in actions(event.id)  # only the time changed
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "08:00 20/05/2027 – 11:00 20/05/2027" in html and "13:30 21/05/2027" in html


def test_other_changes_are_audited_as_an_update(client, auth, world):
    event = event_at(world.own, vn(2027, 5, 20, 8))
    auth.login(world.users["local_officer"])
    assert client.post(f"/events/{event.id}/edit", data=_edit_data(
        world, event, venue="Hội trường UBND xã", audience="near_poor")).status_code == 303
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "event.update"))
    assert set(entry.details["fields"]) == {"venue", "audience"}
    assert "event.reschedule" not in actions(event.id)


def test_a_stale_save_is_409_and_changes_nothing(client, auth, world):
    event = event_at(world.own, vn(2027, 5, 20, 8))
    auth.login(world.users["local_officer"])
    opened = _edit_data(world, event, venue="Nhà văn hóa mới")
    assert client.post(f"/events/{event.id}/edit", data=_edit_data(world, event, notes="Đổi trước")).status_code == 303
    response = client.post(f"/events/{event.id}/edit", data=opened)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert 'id="stale-warning"' in html and f'href="/events/{event.id}/edit"' in html
    db.session.expire_all()
    assert event.venue == "Nhà văn hóa" and event.notes == "Đổi trước"


def test_a_concurrent_save_raises_stale_data(app, world):
    event = event_at(world.own, vn(2027, 5, 20, 8))
    loaded_version = event.version
    db.session.execute(update(Event).where(Event.id == event.id).values(version=Event.version + 1)
                       .execution_options(synchronize_session=False))  # someone else's save
    fields = {name: getattr(event, name) for name in services.FIELDS} | {"venue": "Khác"}
    with pytest.raises(StaleDataError):
        services.save(event, fields, speakers=[], agents=[], audience=[], user=None, expected_version=loaded_version)
    db.session.rollback()


def test_cancelled_and_closed_events_cannot_be_edited(client, auth, world):
    event = event_at(world.own, vn(2027, 5, 20, 8), status="cancelled", cancel_reason="Bão")
    auth.login(world.users["local_officer"])
    response = client.get(f"/events/{event.id}/edit")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/events/{event.id}")


def test_status_flow(client, auth, world):
    past = event_at(world.own, utcnow().replace(microsecond=0) - timedelta(days=1), status="draft", title="Đã qua")
    auth.login(world.users["local_officer"])

    def move(to):
        response = client.post(f"/events/{past.id}/status", data={"status": to})
        assert response.status_code == 303
        db.session.expire_all()
        return past.status

    assert move("held") == "draft"  # a draft is scheduled first
    assert move("scheduled") == "scheduled"
    assert move("held") == "held"
    assert move("draft") == "held"
    assert move("closed") == "closed"
    assert move("scheduled") == "closed"
    statuses = [e.details for e in db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "event.status", AuditEntry.object_id == past.id).order_by(AuditEntry.id))]
    assert statuses == [{"from": "draft", "to": "scheduled"}, {"from": "scheduled", "to": "held"},
                        {"from": "held", "to": "closed"}]


def test_an_event_to_come_cannot_be_marked_held(client, auth, world):
    auth.login(world.users["local_officer"])
    client.post(f"/events/{world.own.event.id}/status", data={"status": "held"})
    db.session.expire_all()
    assert world.own.event.status == "scheduled"


def test_results_entered_is_shown_and_leads_to_closed(client, auth, world):
    event = event_at(world.own, vn(2027, 5, 20, 8), status="results_entered")
    auth.login(world.users["local_officer"])
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert 'aria-current="step"' in html and 'value="closed"' in html and 'value="held"' not in html
    client.post(f"/events/{event.id}/status", data={"status": "closed"})
    db.session.expire_all()
    assert event.status == "closed"


def test_cancel_needs_a_reason_and_keeps_the_history(client, auth, world):
    auth.login(world.users["local_officer"])
    event = world.own.event
    response = client.post(f"/events/{event.id}/cancel", data={"reason": "  "})
    assert response.status_code == 422 and 'id="reason-error"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert event.status == "scheduled"
    assert client.post(f"/events/{event.id}/cancel", data={"reason": "Mưa lũ  kéo dài"}).status_code == 303
    db.session.expire_all()
    assert event.status == "cancelled" and event.cancel_reason == "Mưa lũ kéo dài"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "event.cancel"))
    assert entry.details == {"from": "scheduled", "reason": "Mưa lũ kéo dài"}
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Mưa lũ kéo dài" in html and "cancel-note" in html
    assert f'action="/events/{event.id}/cancel"' not in html  # cannot be cancelled twice
    assert event.title in client.get("/events/?status=cancelled").get_data(as_text=True)
    assert event.title not in client.get("/events/?status=scheduled").get_data(as_text=True)
    day = to_local(event.starts_at).date().isoformat()
    assert event.title in client.get(f"/events/calendar?date={day}").get_data(as_text=True)


def test_held_events_cannot_be_cancelled(client, auth, world):
    event = event_at(world.own, vn(2026, 5, 20, 8), status="held")
    auth.login(world.users["local_officer"])
    assert client.post(f"/events/{event.id}/cancel", data={"reason": "Muộn"}).status_code == 303
    db.session.expire_all()
    assert event.status == "held"


@pytest.mark.parametrize("role", ["viewer", "agent"])
def test_readers_cannot_change_status(client, auth, world, role):
    auth.login(world.users[role])
    assert client.post(f"/events/{world.own.event.id}/status", data={"status": "draft"}).status_code == 403
    assert client.post(f"/events/{world.own.event.id}/cancel", data={"reason": "x"}).status_code == 403
    html = client.get(f"/events/{world.own.event.id}").get_data(as_text=True)
    assert "/edit" not in html and 'name="status"' not in html


def test_create_edit_cancel_history_on_the_event_page(client, auth, world):
    auth.login(world.users["local_officer"])
    assert client.post("/events/new", data=event_data(world, intent="schedule")).status_code == 303
    event = by_title("Hội nghị thôn Thượng")
    client.post(f"/events/{event.id}/edit", data=_edit_data(world, event, start_time="09:00"))
    client.post(f"/events/{event.id}/cancel", data={"reason": "Trùng lịch họp"})
    assert actions(event.id) == ["event.create", "event.reschedule", "event.cancel"]
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert html.count('history-list') == 1 and "Trùng lịch họp" in html


def test_the_history_names_every_entry_in_words(client, auth, world):
    from portal.printing.services import set_leaflet_audience

    event = world.own.event
    set_leaflet_audience(event, "ethnic")
    services.save(event, {name: getattr(event, name) for name in services.FIELDS} | {"venue": "Nhà văn hóa mới"},
                  speakers=[], agents=[], audience=[], user=world.users["local_officer"])
    db.session.commit()
    auth.login(world.users["local_officer"])
    client.get(f"/events/{event.id}/print/attendance.pdf")
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    history = html[html.index("history-list"):]
    assert "Chọn mẫu tờ rơi" in history and "In danh sách ký tên tham dự" in history
    assert "Địa điểm" in history
    for raw in ("event.leaflet_audience", "print.attendance_sheet", "<code>", "venue"):
        assert raw not in history, raw
