"""Check-in, sign-ups and confirmation in a browser."""

from __future__ import annotations

from portal.auth import roles
from portal.extensions import db
from portal.policy.services import seed_shipped

from .. import factories


def test_check_in_walk_in_signup_and_confirm(page, world):
    seed_shipped()
    db.session.commit()
    own = world.own
    factories.under_way(own.event)
    from portal.visits.services import record_outcome

    record_outcome(own.assignment, outcome="invited", user=world.users[roles.AGENT], expected_attendees=2)
    db.session.commit()
    second, _ = factories.make_household(own.hamlet, "Trần Thị Bình", address="Nhà 2")
    invitation = factories.make_invitation(own.event, second, own.agent)
    officer = world.users[roles.LOCAL_OFFICER]
    page.login(officer.username, factories.DEFAULT_PASSWORD)

    page.goto(f"/events/{own.event.id}/attendance")
    page.page.fill("input[name=q]", "binh")
    page.page.locator("#invited tbody tr").filter(has_text="Trần Thị Bình").wait_for()
    page.page.locator("#invited tbody tr", has_text="Trần Thị Bình").locator("button").click()
    page.page.locator("#invited .badge").first.wait_for()
    page.goto(f"/checkin/{own.invitation.token}")
    with page.answered():
        page.page.click("main form button[type=submit]")
    page.goto(f"/events/{own.event.id}/attendance")
    page.page.fill("#walk-in input[name=name]", "Lò Văn Mới")
    page.page.fill("#walk-in input[name=phone]", "0987654321")
    with page.answered():
        page.page.click("#walk-in button[type=submit]")
    assert "Lò Văn Mới" in page.page.inner_text("#walk-in")
    text = page.page.inner_text("#live-count")
    assert "2" in text and "1" in text
    page.screenshot("results-attendance")

    page.goto(f"/events/{own.event.id}/signups")
    with page.answered():
        page.page.click(f"text={own.person.full_name}")
    page.page.fill("#income", "1500000")
    page.page.locator("#income").dispatch_event("change")
    page.page.locator("#quote-box .quote-line").wait_for()
    assert "264.000 đ" in page.page.inner_text("#quote-box")
    with page.answered():
        page.page.click("#signup-form button[type=submit]")
    assert "264.000 đ" in page.page.inner_text("main")
    page.screenshot("results-signups")

    page.goto(f"/events/{own.event.id}/results")
    page.page.on("dialog", lambda dialog: dialog.accept())
    with page.answered():
        page.page.click("main form[data-confirm] button[type=submit]")
    assert page.page.locator(".flash-success").count() >= 1
    page.screenshot("results-confirmed")
    assert invitation.id

    # The household page tells the whole story: visit, invitation, attendance, sign-up.
    page.goto(f"/households/{own.household.id}")
    history = page.page.inner_text(".history")
    assert "Đã mời" in history  # the visit's outcome
    assert own.event.title in history  # invitation and attendance
    assert "264.000 đ" in history  # the sign-up
    page.screenshot("household-history")
