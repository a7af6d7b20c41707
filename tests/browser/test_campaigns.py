"""The May campaign wizard and the targets grid in a browser."""

from __future__ import annotations

from sqlalchemy import select

from portal.auth import roles
from portal.campaigns.models import Target
from portal.extensions import db

from .. import factories


def test_wizard_then_edit_a_commune_target_with_the_keyboard(page, world):
    officer = world.users[roles.PROVINCE_OFFICER]
    page.login(officer.username, factories.DEFAULT_PASSWORD)
    page.goto("/campaigns/may-wizard")
    page.page.fill("#year", "2029")
    page.page.check("input[name=basis][value=fixed]")
    page.page.fill("#m_new_bhxh_tn", "10")
    page.page.fill("#m_conferences", "2")
    page.screenshot("campaigns-wizard")
    page.page.click("main form button[type=submit]")
    page.page.locator("table.targets").wait_for()
    page.page.goto(page.page.url.split("?")[0] + f"?level=commune&office={world.own.office.id}")
    cell = page.page.locator(f"input[name='v-{world.own.commune.id}-new_bhxh_tn']")
    cell.fill("25")
    cell.press("Enter")
    page.page.locator(".flash-warning").wait_for()
    assert "+15" in page.page.inner_text(".flash-warning")
    page.screenshot("campaigns-targets")
    db.session.commit()  # end the test's read snapshot to see what the server wrote
    value = db.session.scalar(select(Target.value).where(Target.commune_id == world.own.commune.id,
                                                         Target.metric == "new_bhxh_tn",
                                                         Target.campaign_id != world.campaign_own.id))
    assert value == 25
