"""Walk-ins on a phone at the door: a namesake of someone in the registry, checked in as that person and as
someone new; the form's own messages under their fields."""

from __future__ import annotations

from portal.auth import roles

from .. import factories

NAME = "Nguyễn Thị Lan"


def _walk_ins(phone, name: str):
    return phone.page.locator("#walk-in li", has_text=name)


def _send(phone, name: str):
    phone.page.fill("#walk-in input[name=name]", name)
    with phone.page.expect_response(lambda r: r.url.endswith("/attendance/walk-in")):
        phone.page.click("#walk-in button[type=submit]")


def test_a_namesake_checks_in_as_the_known_person_and_as_someone_new_on_a_phone(phone, world):
    own = world.own
    own.event.hamlet_id = own.hamlet2.id
    factories.under_way(own.event)
    _household, known = factories.make_household(own.hamlet, NAME, address="Nhà 9")
    officer = world.users[roles.LOCAL_OFFICER]
    phone.login(officer.username, factories.DEFAULT_PASSWORD)
    phone.goto(f"/events/{own.event.id}/attendance")
    assert phone.page.input_value("#walk-in select[name=hamlet_id]") == str(own.hamlet2.id)  # the event's hamlet

    # The portal's own messages, each under its field, all at once (not the browser's bubble).
    phone.page.fill("#walk-in input[name=phone]", "12345")
    phone.page.fill("#walk-in input[name=cccd]", "12345")
    _send(phone, "")
    phone.page.locator("#walk-in #name-error").wait_for()
    assert phone.page.locator("#walk-in #phone-error").is_visible()
    assert phone.page.locator("#walk-in #cccd-error").is_visible()
    phone.screenshot("walk-in-errors-phone")
    phone.page.fill("#walk-in input[name=phone]", "")
    phone.page.fill("#walk-in input[name=cccd]", "")

    # The known person.
    _send(phone, NAME)
    phone.page.locator(f"#walk-in input[type=radio][value='{known.id}']").wait_for()
    phone.screenshot("walk-in-choose-phone")
    phone.page.check(f"#walk-in input[type=radio][value='{known.id}']")
    with phone.page.expect_response(lambda r: r.url.endswith("/attendance/walk-in")):
        phone.page.click("#walk-in button[type=submit]")
    _walk_ins(phone, NAME).first.wait_for()
    assert _walk_ins(phone, NAME).count() == 1

    # Someone new with the same name.
    _send(phone, NAME)
    phone.page.locator("#walk-in input[type=radio][value=new]").wait_for()
    phone.page.check("#walk-in input[type=radio][value=new]")
    with phone.page.expect_response(lambda r: r.url.endswith("/attendance/walk-in")):
        phone.page.click("#walk-in button[type=submit]")
    _walk_ins(phone, NAME).nth(1).wait_for()
    assert _walk_ins(phone, NAME).count() == 2
    assert "2" in phone.page.inner_text("#live-count")

    # Both stay on the attendance page, which fits the phone's screen.
    phone.goto(f"/events/{own.event.id}/attendance")
    assert _walk_ins(phone, NAME).count() == 2
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot("walk-in-namesakes-phone")
