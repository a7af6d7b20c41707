"""The campaign dashboard, the funnels and the home page in a browser, at desktop and phone width."""

from __future__ import annotations

from portal.auth import roles

from .. import factories
from ..reports import scenario
from ..reports.test_campaign_dashboard import _may_results


def test_dashboard_and_documents(page, world):
    campaign = _may_results(world)
    officer = world.users[roles.PROVINCE_OFFICER]
    page.login(officer.username, factories.DEFAULT_PASSWORD)
    page.goto(f"/reports/campaigns/{campaign.id}")
    assert "25%" in page.page.inner_text(".progress-table")
    page.page.click(f".progress-table >> text={world.own.office.name}")
    page.page.locator(".progress-table", has_text=world.own.commune.name).wait_for()
    page.goto(f"/events/{world.own.event.id}/documents")
    assert page.page.locator(".doc-list a").count() >= 4
    page.screenshot("documents-tab")


def test_dashboard_with_last_year_and_charts(page, world):
    may = scenario.build(world)
    page.login(world.users[roles.PROVINCE_OFFICER].username, factories.DEFAULT_PASSWORD)
    page.goto(f"/reports/campaigns/{may.campaign.id}")
    table = page.page.inner_text(".progress-table")
    assert world.own.office.name in table and "20%" in table
    assert page.page.locator("svg.daily polyline.previous").count() == 1
    assert page.page.locator(".pairs svg title").first.text_content().strip()
    page.screenshot("reports-campaign")
    page.page.emulate_media(media="print")
    assert not page.page.locator(".report-nav").is_visible() and page.page.locator("svg.daily").is_visible()
    page.screenshot("reports-campaign-print")
    page.page.emulate_media(media="screen")
    page.page.click(f".progress-table >> text={world.own.office.name}")
    page.page.locator(".progress-table", has_text=world.own.commune2.name).wait_for()
    page.page.click(".report-levels >> text=Đại lý thu")
    page.page.locator(".progress-table", has_text=may.a2.full_name).wait_for()
    page.screenshot("reports-campaign-agents")


def test_funnel_drill_down(page, world):
    may = scenario.build(world)
    page.login(world.users[roles.PROVINCE_OFFICER].username, factories.DEFAULT_PASSWORD)
    page.goto(f"/reports/campaigns/{may.campaign.id}/funnel")
    assert page.page.locator(".funnel-bars rect.bar").count() == 5
    assert "33,3%" in page.page.inner_text(".funnel-facts")
    page.screenshot("reports-funnel")
    page.page.click(f"#funnel-rows >> text={world.own.office.name}")
    page.page.locator("#funnel-rows", has_text=world.own.commune2.name).wait_for()
    page.page.click(f"#funnel-rows >> text={world.own.commune.name}")
    page.page.locator("#funnel-rows", has_text="Hội nghị E1").wait_for()
    page.page.click("#funnel-rows >> text=Hội nghị E1")
    page.page.locator("#funnel-agents", has_text=may.a2.full_name).wait_for()
    page.screenshot("reports-event-funnel")


def test_phone_views(phone, world):
    may = scenario.build(world)
    phone.login(world.users[roles.LOCAL_OFFICER].username, factories.DEFAULT_PASSWORD)
    phone.goto(f"/reports/campaigns/{may.campaign.id}")
    assert world.near.office.name not in phone.page.inner_text("main")
    phone.screenshot("reports-campaign-phone")
    phone.goto(f"/reports/campaigns/{may.campaign.id}/funnel")
    phone.screenshot("reports-funnel-phone")
    phone.goto("/")
    phone.screenshot("home-local-officer-phone")


def test_home_by_role(page, world):
    scenario.build(world)
    page.login(world.users[roles.PROVINCE_OFFICER].username, factories.DEFAULT_PASSWORD)
    page.goto("/")
    assert page.page.locator(".dash-grid article").count() >= 4
    page.screenshot("home-province-officer")
    page.page.context.clear_cookies()
    page.login(world.users[roles.AGENT].username, factories.DEFAULT_PASSWORD)
    page.goto("/")
    assert "Tháng vận động 2026" in page.page.inner_text(".dash-grid")
    page.screenshot("home-agent")
