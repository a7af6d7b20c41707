"""Scheduling from the calendar in a browser, with the conflict warning before saving."""

from __future__ import annotations

import re

from portal.auth import roles

from .. import factories


def _fill(page, title, venue):
    page.page.fill("#title", title)
    page.page.fill("#venue", venue)
    page.page.fill("#start_time", "08:00")
    page.page.fill("#end_time", "11:00")


def test_schedule_from_the_calendar_and_see_a_conflict(page, phone, world):
    officer = world.users[roles.LOCAL_OFFICER]
    page.login(officer.username, factories.DEFAULT_PASSWORD)
    page.goto("/events/calendar?date=2027-05-01")
    page.screenshot("events-calendar-month")
    page.page.click("a[aria-label$='15/05/2027']")
    page.page.wait_for_url(lambda url: "/events/new" in url)
    assert page.page.input_value("#day") == "15/05/2027"
    _fill(page, "Hội nghị tuyên truyền thôn Thượng", "Nhà văn hóa thôn Thượng")
    page.page.click("#event-form button[type=submit]")
    page.page.wait_for_url(re.compile(r"/events/\d+$"))
    assert "Hội nghị tuyên truyền thôn Thượng" in page.page.inner_text("h1")
    page.screenshot("events-detail")

    page.goto("/events/calendar?date=2027-05-01")
    page.page.click("a[aria-label$='15/05/2027']")
    _fill(page, "Hội nghị thứ hai", "nhà văn hoá thôn thượng")
    page.page.click("#event-form button[type=submit]")
    warning = page.page.locator("#event-form .flash-warning")
    warning.wait_for()
    assert "Hội nghị tuyên truyền thôn Thượng" in warning.inner_text()
    page.screenshot("events-conflict")

    phone.login(officer.username, factories.DEFAULT_PASSWORD)
    phone.goto("/events/calendar?view=week&date=2027-05-15")
    assert "Hội nghị tuyên truyền thôn Thượng" in phone.page.inner_text("#results")
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot("events-week-phone")
