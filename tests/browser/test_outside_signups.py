"""A renewal collected on the due round, on a 360-px phone over a slow mobile network: the agent records it in
two taps and the amount; the office confirms the agent's receipts; the campaign dashboard counts it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from portal.auth import roles
from portal.campaigns.models import Campaign
from portal.extensions import db
from portal.households.models import Household, Person
from portal.i18n.formatting import local_today
from portal.policy.services import seed_shipped
from portal.results import services as signups
from portal.results.models import SignUp

from .. import factories

#: A weak 3G connection: every answer takes at least 400 ms, bodies come at about 50 kB/s.
WEAK_3G = {"offline": False, "latency": 400, "downloadThroughput": 50 * 1024, "uploadThroughput": 25 * 1024}


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def test_a_renewal_from_the_due_list_in_two_taps_then_confirmed_and_counted(phone, page, world):
    seed_shipped()
    own, today = world.own, local_today()
    person = db.session.get(Person, own.person.id)
    officer = world.users[roles.LOCAL_OFFICER]
    first, _ = signups.record_signup(person, scheme="bhxh_tn", kind="new", signed_on=today - timedelta(days=80),
                                     user=officer, channel="door", agent_id=own.agent.id, income=2_000_000,
                                     mode="every_3_months", receipt_number="BL-1")
    first.status = "confirmed"
    person.paid_until = today + timedelta(days=10)
    campaign = Campaign(name="Đợt cao điểm cuối năm", kind="wave", starts_on=today - timedelta(days=20),
                        ends_on=today + timedelta(days=20), province_id=own.province.id,
                        office_id=own.province_office.id, status="active")
    db.session.add(campaign)
    db.session.commit()
    expected = signups.quote_for(person, db.session.get(Household, person.household_id), scheme="bhxh_tn",
                                 on=today, income=2_000_000, mode="every_3_months", months=None,
                                 member_order=None).net

    # The agent, on the phone, over a weak connection.
    phone.login(world.users[roles.AGENT].username, factories.DEFAULT_PASSWORD)
    p = phone.page
    network = p.context.new_cdp_session(p)
    network.send("Network.enable")
    network.send("Network.emulateNetworkConditions", WEAK_3G)
    phone.goto("/households/due")
    row = p.locator(".due-list li", has_text=person.full_name)
    taps = 0
    with phone.answered():
        row.get_by_role("button", name="Đã đóng / tái tục").click()  # tap 1
    taps += 1
    p.locator("#outside-signup").wait_for()
    assert "Tái tục" in p.locator("#quote-box").inner_text()
    assert p.evaluate("document.documentElement.scrollWidth") <= 360
    p.locator("#net_override").fill(_money(expected))  # the amount
    phone.screenshot("renewal-due-list-phone")
    with phone.answered():
        p.locator("#outside-signup button[type=submit]").click()  # tap 2
    taps += 1
    p.get_by_text("Đã ghi nhận").first.wait_for()
    assert taps <= 3 and "/households/due" in p.url
    db.session.rollback()
    renewal = db.session.scalar(select(SignUp).where(SignUp.kind == "renewal"))
    assert (renewal.channel, renewal.status, renewal.net, renewal.agent_id) == ("door", "recorded", expected,
                                                                                own.agent.id)

    # Not counted until the office confirms the agent's receipts.
    page.login(officer.username, factories.DEFAULT_PASSWORD)
    page.goto(f"/reports/campaigns/{campaign.id}")
    renewals = page.page.locator("table.progress-table tr.total td").nth(2)
    assert renewals.inner_text().split()[0] == "0"
    day = today.strftime("%d/%m/%Y")
    page.goto(f"/enrolments/batches?agent={own.agent.id}&from={day}&to={day}")
    q = page.page
    assert person.full_name in q.locator("table.receipts").inner_text()
    q.locator("#handed_in").fill(_money(expected))
    with page.answered():
        q.locator(".batch-confirm button[type=submit]").click()
    q.get_by_text("1 biên lai").first.wait_for()
    page.screenshot("batch-confirmed")
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(SignUp).where(SignUp.status == "confirmed")) == 2

    page.goto(f"/reports/campaigns/{campaign.id}")
    renewals = q.locator("table.progress-table tr.total td").nth(2)
    assert renewals.inner_text().split()[0] == "1"
