"""Data protection in a browser: find a person by CCCD (the number never reaches the address bar), read their
report, record a deletion request and reach the erasure; the retention page."""

from __future__ import annotations

from portal.auth import roles
from portal.privacy import retention

from .. import factories
from ..privacy.helpers import CCCD, make_subject


def test_admin_answers_a_request_about_a_person(page, world):
    subject = make_subject(world)
    retention.apply(dry_run=True, username="cli:ops")
    admin = world.users[roles.ADMIN]
    page.login(admin.username, factories.DEFAULT_PASSWORD)

    page.goto("/admin/privacy/")
    page.screenshot("privacy-overview")
    page.page.fill("#cccd", CCCD)
    page.page.click("#lookup-form button[type=submit]")
    link = page.page.locator(f'a[href="/admin/privacy/people/{subject.person.id}"]')
    link.wait_for()
    assert CCCD not in page.page.url
    page.screenshot("privacy-lookup")
    link.click()
    page.page.wait_for_url(f"**/admin/privacy/people/{subject.person.id}", wait_until="commit")
    page.page.locator("#access-log").wait_for()
    main = page.page.inner_text("main")
    assert CCCD in main and "Bản Mường 3" in main and world.own.event.title in main
    page.screenshot("privacy-person-report")

    page.page.click(f'a[href="/admin/privacy/requests/new?person={subject.person.id}"]')
    page.page.locator("#request-form").wait_for()
    page.page.select_option("#kind", "deletion")
    page.page.fill("#details", "Đề nghị xoá toàn bộ dữ liệu của tôi")
    page.screenshot("privacy-request-form")
    page.page.click("#request-form button[type=submit]")
    page.page.locator("#request-update").wait_for()
    assert "Đề nghị xoá toàn bộ dữ liệu" in page.page.inner_text("main")
    page.screenshot("privacy-request")

    page.page.click('a[href$="/erase"]')
    page.page.locator("#erase-form").wait_for()
    page.screenshot("privacy-erase")
    page.page.click("#erase-form button[type=submit]")  # not confirmed: refused, nothing erased
    page.page.locator("#confirm-error").wait_for()

    page.goto("/admin/privacy/requests")
    assert "Lò Thị Hoa" in page.page.inner_text("#results")
    page.screenshot("privacy-requests")
    page.goto("/admin/privacy/retention")
    assert "cli:ops" in page.page.inner_text("main")
    page.screenshot("privacy-retention")


def test_report_on_a_phone(phone, world):
    subject = make_subject(world)
    admin = world.users[roles.ADMIN]
    phone.login(admin.username, factories.DEFAULT_PASSWORD)
    phone.goto(f"/admin/privacy/people/{subject.person.id}")
    phone.page.locator("#access-log").wait_for()
    phone.screenshot("privacy-person-report-phone")
