"""Scheduling from the calendar in a browser: the conflict warning shows before saving; the calendar on a phone."""

from __future__ import annotations

import re

from sqlalchemy import select

from portal.auth import roles
from portal.events.models import Event
from portal.extensions import db

from .. import factories


def _open_day(page, day: str):
    page.goto("/events/calendar?date=2027-05-01")
    page.page.click(f"a.add[aria-label$='{day}']")
    page.page.wait_for_url(re.compile(r"/events/new\?"))
    page.page.locator("#event-form").wait_for()


def _fill(page, commune_id: int, title: str, venue: str):
    p = page.page
    p.select_option("#commune_id", str(commune_id))  # inline validation refreshes hamlets and agents
    p.locator("#hamlet_id option", has_text="Thôn").first.wait_for(state="attached")
    p.fill("#title", title)
    p.fill("#venue", venue)
    p.fill("#start_time", "8h")
    p.fill("#end_time", "11:00")
    p.press("#end_time", "Tab")


def test_schedule_from_the_calendar_and_see_a_conflict_before_saving(page, phone, world):
    officer = world.users[roles.LOCAL_OFFICER]
    page.login(officer.username, factories.DEFAULT_PASSWORD)
    _open_day(page, "15/05/2027")
    assert page.page.input_value("#day") == "15/05/2027"
    _fill(page, world.own.commune.id, "Hội nghị tuyên truyền thôn Thượng", "Nhà văn hóa thôn Thượng")
    page.page.check(f"#agents input[value='{world.own.agent.id}']")
    assert page.page.input_value("#title") == "Hội nghị tuyên truyền thôn Thượng"  # kept through the swaps
    assert page.page.input_value("#venue") == "Nhà văn hóa thôn Thượng"
    page.page.click("#event-form button[value=schedule]")
    page.page.wait_for_url(re.compile(r"/events/calendar\?view=month&date=2027-05-15"))
    assert "Hội nghị tuyên truyền thôn Thượng" in page.page.inner_text(".calendar")
    page.screenshot("events-calendar-month")

    # A second one at the same venue and time: the warning shows while filling in, before any save.
    _open_day(page, "15/05/2027")
    with page.answered():
        _fill(page, world.own.commune.id, "Hội nghị thứ hai", "nhà văn hoá thôn thượng")
    warning = page.page.locator("#event-checks .conflicts")
    if not warning.count():  # the last check left before every field was in: leaving a field checks again
        page.page.dispatch_event("#venue", "change")
    warning.wait_for()
    assert "Hội nghị tuyên truyền thôn Thượng" in warning.inner_text()
    page.screenshot("events-conflict")
    db.session.commit()
    assert db.session.scalar(select(Event).where(Event.title == "Hội nghị thứ hai")) is None
    with page.answered():  # the warning is already shown: wait for the refusal itself
        page.page.click("#event-form button[value=schedule]")  # not ticked: refused, still warned
    page.page.locator("#event-checks .conflicts").wait_for()
    assert "/events/new" in page.page.url
    page.page.check("#save_anyway")
    page.page.click("#event-form button[value=schedule]")
    page.page.wait_for_url(re.compile(r"/events/calendar"))
    db.session.commit()
    second = db.session.scalar(select(Event).where(Event.title == "Hội nghị thứ hai"))
    assert second is not None and second.status == "scheduled"

    first = db.session.scalar(select(Event).where(Event.title == "Hội nghị tuyên truyền thôn Thượng"))
    page.goto(f"/events/{first.id}")
    assert "Hội nghị tuyên truyền thôn Thượng" in page.page.inner_text("h1")
    assert world.own.agent.full_name in page.page.inner_text("#tab-panel")
    page.screenshot("events-detail")

    phone.login(officer.username, factories.DEFAULT_PASSWORD)
    phone.goto("/events/calendar?view=week&date=2027-05-15")
    assert "Hội nghị tuyên truyền thôn Thượng" in phone.page.inner_text(".calendar")
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot("events-week-phone")
    phone.page.click("a[rel=next]")  # htmx swaps the calendar and pushes the URL
    phone.page.wait_for_url(re.compile(r"date=2027-05-17"))
    assert "Hội nghị tuyên truyền thôn Thượng" not in phone.page.inner_text(".calendar")
    phone.goto("/events/calendar?date=2027-05-01")
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot("events-month-phone")


def test_copy_and_cancel_in_the_browser(page, world):
    officer = world.users[roles.LOCAL_OFFICER]
    page.login(officer.username, factories.DEFAULT_PASSWORD)
    event = world.own.event
    page.goto(f"/events/{event.id}")
    page.page.click("a[href$='/clone']")
    page.page.wait_for_url(re.compile(r"/clone$"))  # loaded, htmx ready
    page.page.check(f"#communes input[value='{world.own.commune2.id}']")
    page.page.locator("#clone-preview table").wait_for()  # the copies and their conflicts, before saving
    page.screenshot("events-clone")
    page.page.click("#clone-form button[value=create]")
    page.page.wait_for_url(re.compile(r"/events/\?"))
    page.page.select_option("select[name=status]", "")  # the filters work through htmx
    page.page.locator("#results").get_by_text(world.own.event.title).first.wait_for()
    page.screenshot("events-list")
    page.goto(f"/events/{event.id}")
    page.page.click(".cancel-box summary")
    page.page.fill("#reason", "Mưa lũ, hoãn sang tuần sau")
    page.page.click(".cancel-box button[type=submit]")
    page.page.locator(".cancel-note").wait_for()
    assert "Mưa lũ, hoãn sang tuần sau" in page.page.inner_text("#tab-panel")
    page.screenshot("events-cancelled")
