"""Warnings about the event's own date, shown before saving like the conflicts: an event scheduled or moved to a
time already past, and an event moved after its invitation letters were printed."""

from __future__ import annotations

from datetime import time, timedelta

from portal.audit import services as audit
from portal.events.conflicts import Slot, check
from portal.events.services import local_moment
from portal.extensions import db
from portal.i18n.formatting import local_today

from .helpers import by_title, event_data


def _day(offset: int) -> str:
    return (local_today() + timedelta(days=offset)).strftime("%d/%m/%Y")


def test_an_event_in_the_past_is_saved_only_when_the_user_says_so(client, auth, world):
    auth.login(world.users["local_officer"])
    data = event_data(world, title="Hội nghị đã qua", day=_day(-30))
    response = client.post("/events/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'class="conflict-in_past"' in html
    assert "Hoạt động bắt đầu trong quá khứ" in html and "Kiểm tra trước khi lưu:" in html
    assert by_title("Hội nghị đã qua") is None
    assert client.post("/events/new", data={**data, "save_anyway": "y"}).status_code == 303
    assert by_title("Hội nghị đã qua") is not None


def test_editing_a_past_event_without_moving_it_gives_no_warning(client, auth, world):
    auth.login(world.users["local_officer"])
    data = event_data(world, title="Hội nghị tháng trước", day=_day(-30), save_anyway="y")
    assert client.post("/events/new", data=data).status_code == 303
    event = by_title("Hội nghị tháng trước")
    notes = {**data, "save_anyway": "", "notes": "Đã họp xong", "version": str(event.version)}
    assert client.post(f"/events/{event.id}/edit", data=notes).status_code == 303


def test_moving_an_event_after_its_letters_were_printed_warns(client, auth, world):
    auth.login(world.users["local_officer"])
    data = event_data(world, title="Hội nghị đã in giấy mời", day=_day(20))
    assert client.post("/events/new", data=data).status_code == 303
    event = by_title("Hội nghị đã in giấy mời")
    audit.record("print.invitations", obj=event, object_type="event", details={"letters": 40})
    db.session.commit()
    # A new title is no move: no warning.
    renamed = {**data, "title": "Hội nghị đã in giấy mời (sửa tên)", "version": str(event.version)}
    assert client.post(f"/events/{event.id}/edit", data=renamed).status_code == 303
    event = by_title("Hội nghị đã in giấy mời (sửa tên)")
    moved = {**renamed, "day": _day(21), "version": str(event.version)}
    response = client.post(f"/events/{event.id}/edit", data=moved)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'class="conflict-moved_after_print"' in html
    assert "Giấy mời đã in ngày " + local_today().strftime("%d/%m/%Y") in html
    assert client.post(f"/events/{event.id}/edit", data={**moved, "save_anyway": "y"}).status_code == 303


def test_a_copy_in_the_past_is_marked(app, world):
    day = local_today() - timedelta(days=3)
    slot = Slot(commune_id=world.own.commune.id, venue="Nhà văn hóa", starts_at=local_moment(day, time(8)),
                ends_at=local_moment(day, time(11)))
    check([slot], speaker_names={}, agent_names={})
    assert [c.kind for c in slot.conflicts] == ["in_past"]
