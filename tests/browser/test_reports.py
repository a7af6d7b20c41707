"""The campaign dashboard and the documents tab in a browser."""

from __future__ import annotations

from portal.auth import roles

from .. import factories
from ..reports.test_campaign_dashboard import _may_results


def test_dashboard_and_documents(page, world):
    campaign = _may_results(world)
    officer = world.users[roles.PROVINCE_OFFICER]
    page.login(officer.username, factories.DEFAULT_PASSWORD)
    page.goto(f"/reports/campaigns/{campaign.id}")
    assert "25%" in page.page.inner_text(".progress-table")
    page.page.click(f"text={world.own.office.name}")
    page.page.locator(".progress-table", has_text=world.own.commune.name).wait_for()
    page.screenshot("reports-campaign")
    page.goto(f"/events/{world.own.event.id}/documents")
    assert page.page.locator(".doc-list a").count() >= 4
    page.screenshot("documents-tab")
    page.goto("/")
    assert page.page.locator(".dash-grid article").count() >= 2
    page.screenshot("home-province-officer")
