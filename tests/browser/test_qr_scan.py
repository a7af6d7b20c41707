"""Check-in by scanning the invitation's QR code with the phone's camera. Chromium's fake camera plays a video
of a real invitation's QR code (segno, as printed on the invitation), so the decoder in the page reads it: online
the household is checked in (and a second scan is a duplicate), without signal the check-in is queued and sent
once when the connection returns, and another event's invitation is refused with a clear message."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import segno
from sqlalchemy import select

from portal.auth import roles
from portal.extensions import db
from portal.results.models import Attendance, Invitation

from .. import factories
from .conftest import CHROMIUM, CHROMIUM_ARGS, TRACK_REQUESTS, BrowserPage
from .test_offline import _count, _day, _open_the_day, _pending, offline

WIDTH, HEIGHT = 480, 360


def write_y4m(path, text: str) -> None:
    """A two-frame YUV 4:2:0 video of the QR code of ``text`` (black on white, centred), as Chromium's fake
    camera reads it."""
    qr = segno.make(text, error="m")
    rows = [list(row) for row in qr.matrix_iter(scale=1, border=4)]
    scale = int(min(WIDTH, HEIGHT) * 0.9) // len(rows)
    size = scale * len(rows)
    left, top = (WIDTH - size) // 2, (HEIGHT - size) // 2
    luma = bytearray(b"\xff" * (WIDTH * HEIGHT))
    for y in range(size):
        row = rows[y // scale]
        line = (top + y) * WIDTH + left
        for x in range(size):
            if row[x // scale]:
                luma[line + x] = 0x10
    chroma = b"\x80" * (WIDTH // 2 * HEIGHT // 2)
    frame = b"FRAME\n" + bytes(luma) + chroma + chroma
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode() + frame + frame)


@pytest.fixture
def camera_phone(app, browser, live_server, tmp_path, request) -> Iterator[Callable[[str], BrowserPage]]:
    """A 360-px phone whose camera shows the QR code of the text given (a Chromium of its own: the fake camera's
    video is chosen at launch)."""
    opened = []

    def launch(text: str) -> BrowserPage:
        video = tmp_path / f"qr{len(opened)}.y4m"
        write_y4m(video, text)
        chromium = browser.browser_type.launch(executable_path=CHROMIUM, headless=True, args=[
            *CHROMIUM_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}"])
        context = chromium.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
        context.grant_permissions(["camera"], origin=live_server)
        violations: list[str] = []
        context.expose_binding("__reportCspViolation", lambda _source, text: violations.append(text))
        context.add_init_script(TRACK_REQUESTS)
        context.add_init_script(
            "document.addEventListener('securitypolicyviolation', function (e) {"
            " window.__reportCspViolation(e.violatedDirective + ' ' + (e.blockedURI || ''));});")
        page = context.new_page()
        page.set_default_timeout(15_000)
        opened.append((chromium, violations))
        return BrowserPage(page, live_server, violations)

    yield launch
    for chromium, violations in opened:
        chromium.close()
        assert not violations, f"CSP violations in {request.node.name}: {violations}"


def _invitation(event, household) -> Invitation:
    return db.session.scalar(select(Invitation).where(Invitation.event_id == event.id,
                                                                Invitation.household_id == household.id))


def _scan(phone, state: str):
    """Start (or restart) the camera and wait for the scan's result."""
    phone.page.click("#scan .scan-start")
    phone.page.wait_for_selector(f"#scan-result[data-result={state}]")
    return phone.page.inner_text("#scan-result")


def test_scanning_an_invitation_checks_the_household_in_once(camera_phone, live_server, world):
    own = world.own
    _todo, guests = _day(world, households=2, invited=2)
    invitation = _invitation(own.event, guests[0])
    phone = camera_phone(f"{live_server}/checkin/{invitation.token}")
    phone.login(world.users[roles.AGENT].username, factories.DEFAULT_PASSWORD)
    phone.goto(f"/events/{own.event.id}/attendance")

    assert guests[0].head_name in _scan(phone, "checked")
    assert _count(Attendance, Attendance.invitation_id == invitation.id) == 1
    row = phone.page.locator(f"#invited tr[data-invitation='{invitation.id}']")
    assert row.locator(".badge").count() == 1  # the list shows the household present
    phone.screenshot("qr-scan-checked-in")

    assert guests[0].head_name in _scan(phone, "duplicate")  # scanned again: nothing new
    assert _count(Attendance, Attendance.invitation_id == invitation.id) == 1


def test_a_scan_without_signal_is_queued_and_sent_once(camera_phone, live_server, world):
    own = world.own
    _todo, guests = _day(world, households=2, invited=2)
    invitation = _invitation(own.event, guests[1])
    phone = camera_phone(f"{live_server}/checkin/{invitation.token}")
    _open_the_day(phone, world.users[roles.AGENT])
    offline(phone, True)
    phone.goto(f"/events/{own.event.id}/attendance")  # from the phone's copy, the decoder too

    assert guests[1].head_name in _scan(phone, "queued")
    _pending(phone, 1)
    phone.page.wait_for_selector(f"#invited tr[data-invitation='{invitation.id}'].offline-queued")
    assert guests[1].head_name in _scan(phone, "duplicate")  # the same invitation again: waiting already
    _pending(phone, 1)
    assert _count(Attendance, Attendance.invitation_id == invitation.id) == 0

    offline(phone, False)
    phone.page.evaluate("window.dispatchEvent(new Event('online'))")
    _pending(phone, 0)
    assert _count(Attendance, Attendance.invitation_id == invitation.id) == 1
    phone.goto("/offline")
    phone.page.wait_for_selector("#offline-results li.result-accepted")
    assert phone.page.locator("#offline-results li").count() == 1


def test_another_events_invitation_is_refused(camera_phone, live_server, world):
    own = world.own
    _day(world, households=1, invited=1)
    phone = camera_phone(f"{live_server}/checkin/{world.near.invitation.token}")
    _open_the_day(phone, world.users[roles.AGENT])
    before = _count(Attendance)

    phone.goto(f"/events/{own.event.id}/attendance")
    text = _scan(phone, "refused")
    assert text and _count(Attendance) == before

    offline(phone, True)
    phone.goto(f"/events/{own.event.id}/attendance")
    phone.page.wait_for_selector("#scan[data-bound]")
    assert _scan(phone, "refused") == text  # the phone says the same without signal
    _pending(phone, 0)
    phone.screenshot("qr-scan-refused")
