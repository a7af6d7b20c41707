"""Households in a browser: search without diacritics, the household page, an agent's due list on a phone."""

from __future__ import annotations

from datetime import timedelta

from portal.auth import roles
from portal.i18n.formatting import local_today

from .. import factories


def test_search_household_page_and_due_list(page, phone, world):
    own = world.own
    household, _ = factories.make_household(own.hamlet, "Nguyễn Văn An", address="Nhà 5",
                                            bhxh_tn_status="participating",
                                            paid_until=local_today() + timedelta(days=5))
    officer = world.users[roles.LOCAL_OFFICER]
    page.login(officer.username, factories.DEFAULT_PASSWORD)
    page.goto("/households/")
    page.page.fill("input[name=q]", "nguyen van an")
    page.page.locator("#results a", has_text="Nguyễn Văn An").first.wait_for()
    page.screenshot("households-search")
    page.goto("/households/?q=nguyen+van+an")
    page.page.locator("#results td:nth-child(4) a", has_text="Nguyễn Văn An").first.click()
    page.page.locator("h1", has_text="Nguyễn Văn An").wait_for()
    page.page.wait_for_url(f"**/households/{household.id}", wait_until="commit")
    assert "Nhà 5" in page.page.inner_text("main")
    page.screenshot("households-household")

    agent = world.users[roles.AGENT]
    phone.login(agent.username, factories.DEFAULT_PASSWORD)
    phone.goto("/households/due?kind=paid_until&days=30")
    assert "Nguyễn Văn An" in phone.page.inner_text("#results")
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot("households-due-phone")
