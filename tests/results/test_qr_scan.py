"""Check-in by the invitation's QR code scanned on the attendance page: the code read is posted, the invitation
found, a code of another event (or no invitation) refused with the reason, a second scan a duplicate; replayed
from the phone, the same results (accepted, duplicate, refused)."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.extensions import db
from portal.results.models import Attendance
from portal.results.views_scan import token_of

SYNC = {"X-Offline-Sync": "1"}
HTMX = {"HX-Request": "true", "HX-Target": "invited"}


def _attendances(invitation_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(Attendance).where(
        Attendance.invitation_id == invitation_id))


def test_what_the_camera_read_names_the_invitation():
    assert token_of("https://portal.example/checkin/AbC_12-xyz98") == "AbC_12-xyz98"
    assert token_of("  AbC_12-xyz98\n") == "AbC_12-xyz98"
    assert token_of("https://portal.example/households/12") is None
    assert token_of("WIFI:S:home;T:WPA;P:secret;;") is None


def test_the_attendance_page_offers_the_scanner_with_the_events_codes(client, auth, world):
    auth.login(world.users["agent"])
    html = client.get(f"/events/{world.own.event.id}/attendance").get_data(as_text=True)
    assert 'id="scan"' in html and "vendor/jsqr/jsQR.min.js" in html and "js/scan.js" in html
    assert world.own.invitation.token in html
    assert world.near.invitation.token not in html
    auth.login(world.users["viewer"])
    assert 'id="scan"' not in client.get(f"/events/{world.own.event.id}/attendance").get_data(as_text=True)


def test_a_scanned_invitation_is_checked_in_once(client, auth, world, app):
    event, invitation = world.own.event, world.own.invitation
    auth.login(world.users["agent"])
    url = f"/events/{event.id}/attendance/scan"
    first = client.post(url, data={"code": f"http://localhost/checkin/{invitation.token}"}, headers=HTMX)
    assert first.status_code == 200
    body = first.get_data(as_text=True)
    assert 'data-result="checked"' in body and "<html" not in body
    assert _attendances(invitation.id) == 1
    again = client.post(url, data={"code": invitation.token}, headers=HTMX).get_data(as_text=True)
    assert 'data-result="duplicate"' in again
    assert _attendances(invitation.id) == 1
    plain = client.post(url, data={"code": invitation.token})
    assert plain.status_code == 303


def test_a_code_of_another_event_is_refused_with_the_reason(client, auth, world):
    event = world.own.event
    auth.login(world.users["local_officer"])
    url = f"/events/{event.id}/attendance/scan"
    for code in (f"http://localhost/checkin/{world.near.invitation.token}", "http://localhost/checkin/nosuchtoken1",
                 "hello"):
        response = client.post(url, data={"code": code}, headers=HTMX)
        assert response.status_code == 422
        body = response.get_data(as_text=True)
        assert 'data-result="refused"' in body and "không phải giấy mời của hội nghị này" in body
    assert _attendances(world.near.invitation.id) == 0
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 0


def test_replayed_from_the_phone(client, auth, world):
    event, invitation = world.own.event, world.own.invitation
    auth.login(world.users["agent"])
    url = f"/events/{event.id}/attendance/scan"
    assert client.post(url, data={"code": invitation.token, "submission_key": "qr-1"},
                       headers=SYNC).get_json() == {"result": "accepted"}
    # The same invitation queued twice (two scans, or a scan and a tap): the second is a duplicate.
    assert client.post(url, data={"code": invitation.token, "submission_key": "qr-2"},
                       headers=SYNC).get_json() == {"result": "duplicate"}
    tap = client.post(f"/events/{event.id}/attendance/check-in",
                      data={"invitation_id": str(invitation.id), "submission_key": "tap-1"}, headers=SYNC)
    assert tap.get_json() == {"result": "duplicate"}
    foreign = client.post(url, data={"code": world.near.invitation.token, "submission_key": "qr-3"},
                          headers=SYNC).get_json()
    assert foreign["result"] == "refused" and "hội nghị này" in foreign["reason"]
    assert _attendances(invitation.id) == 1
