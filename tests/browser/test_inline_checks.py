"""Inline checks on a slow network: what is typed or ticked while checks are in flight is never lost, and
each field's message lands under that field."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import select

from portal.auth import roles
from portal.events.models import Event
from portal.extensions import db

from .. import factories
from ..events.helpers import event_at, vn

#: A slow mobile connection: every answer takes at least 600 ms, and bodies come at about 50 kB/s.
SLOW = {"offline": False, "latency": 600, "downloadThroughput": 50 * 1024, "uploadThroughput": 50 * 1024}
#: Milliseconds between keystrokes: a person typing, not a paste.
HUMAN = 120


def _wait_in_flight(page) -> None:
    """Wait until the page has a request on its way (htmx sends it once the change event is handled)."""
    page.page.wait_for_function("() => window.__portalXhr.sent > window.__portalXhr.done")


def test_typing_and_ticking_while_checks_are_in_flight_loses_nothing(page, world):
    event_at(world.own, vn(2027, 5, 15, 8), title="Hội nghị đã lên lịch", venue="Nhà văn hóa thôn Thượng")
    officer = world.users[roles.LOCAL_OFFICER]
    page.login(officer.username, factories.DEFAULT_PASSWORD)
    page.goto("/events/new?date=15/05/2027")
    p = page.page
    p.locator("#event-form").wait_for()
    network = p.context.new_cdp_session(p)
    network.send("Network.enable")
    network.send("Network.emulateNetworkConditions", SLOW)

    # Choosing the commune sends its checks (hamlets, agents, conflicts); the title is typed meanwhile.
    p.select_option("#commune_id", str(world.own.commune.id))
    _wait_in_flight(page)
    title = p.locator("#title")
    title.press_sequentially("Hội nghị thứ hai", delay=HUMAN)
    p.locator("#venue").press_sequentially("nhà văn hoá thôn thượng", delay=HUMAN)
    for field, typed in (("#start_time", "8h"), ("#end_time", "11:00")):  # over the times offered
        p.fill(field, "")
        p.locator(field).press_sequentially(typed, delay=HUMAN)
    p.press("#end_time", "Tab")
    warning = p.locator("#event-checks .conflicts")
    expect(warning).to_contain_text("Hội nghị đã lên lịch")
    expect(p.locator("#save_anyway")).to_be_visible()

    # A number out of range leaves its field and the conflicts are checked again: tick "save anyway" and type notes
    # while those answers are still on their way.
    p.locator("#expected_attendance").press_sequentially("20000", delay=HUMAN)
    p.press("#expected_attendance", "Tab")
    _wait_in_flight(page)
    p.check("#save_anyway")
    p.locator("#notes").press_sequentially("Mời cả hội phụ nữ xã", delay=HUMAN)
    page.settled()

    assert title.input_value() == "Hội nghị thứ hai"
    assert p.input_value("#venue") == "nhà văn hoá thôn thượng"
    assert p.input_value("#expected_attendance") == "20000"
    assert p.input_value("#notes") == "Mời cả hội phụ nữ xã"
    assert p.is_checked("#save_anyway")
    # The message is under its own field, and only there; the field says it is wrong.
    expect(p.locator("#field-expected_attendance #expected_attendance-error")).to_be_visible()
    expect(p.locator("#expected_attendance")).to_have_attribute("aria-invalid", "true")
    for other in ("title", "venue", "start_time", "end_time", "notes"):
        expect(p.locator(f"#{other}-error")).to_be_hidden()
    expect(warning).to_contain_text("Hội nghị đã lên lịch")

    # Correcting the number clears its message, and the ticked form saves despite the conflict.
    p.fill("#expected_attendance", "")
    p.locator("#expected_attendance").press_sequentially("40", delay=HUMAN)
    with page.answered():
        p.press("#expected_attendance", "Tab")
    expect(p.locator("#expected_attendance-error")).to_be_hidden()
    assert p.is_checked("#save_anyway")
    network.send("Network.emulateNetworkConditions", {**SLOW, "latency": 0, "downloadThroughput": -1,
                                                      "uploadThroughput": -1})
    p.click("#event-form button[value=schedule]")
    p.wait_for_url(re.compile(r"/events/\d+$"))
    db.session.commit()
    saved = db.session.scalar(select(Event).where(Event.title == "Hội nghị thứ hai"))
    assert saved is not None and saved.status == "scheduled"
    assert saved.expected_attendance == 40 and saved.notes == "Mời cả hội phụ nữ xã"
