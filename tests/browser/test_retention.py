"""The agent's due worklist on a 360-px phone over a slow mobile network: a promise with a date, then the
payment, each one tap (plus the date) and answered in place."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.auth import roles
from portal.extensions import db
from portal.i18n.formatting import local_today
from portal.retention.models import RetentionContact

from .. import factories

#: A slow mobile connection (3G): every answer takes at least 400 ms, bodies at about 50 kB/s.
SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 50 * 1024, "uploadThroughput": 50 * 1024}


def test_agent_records_a_promise_then_the_payment_on_a_phone(phone, world):
    _household, person = factories.make_household(world.own.hamlet, "Giàng Thị Nhắc", phone="0912345678")
    person.bhxh_tn_status, person.paid_until = "participating", local_today() + timedelta(days=4)
    db.session.commit()
    agent = world.users[roles.AGENT]
    phone.login(agent.username, factories.DEFAULT_PASSWORD)
    phone.goto("/my/due")
    p = phone.page
    row = p.locator(f"#p{person.id}")
    row.wait_for()
    network = p.context.new_cdp_session(p)
    network.send("Network.enable")
    network.send("Network.emulateNetworkConditions", SLOW_3G)

    promised = local_today() + timedelta(days=3)
    row.locator("input[type=date]").fill(promised.isoformat())
    with phone.answered():
        row.locator("form.due-promise button").click()
    # htmx settles the class after the swap: wait for the row's new state itself
    row = p.locator(f"#p{person.id}.state-waiting")
    row.locator(".badge.outcome-promised").wait_for()
    assert promised.strftime("%d/%m/%Y") in row.inner_text()
    assert p.evaluate("document.documentElement.scrollWidth") <= 360

    with phone.answered():
        row.locator("button.due-paid").click()
    row = p.locator(f"#p{person.id}.state-settled")
    row.locator(".badge.outcome-paid").wait_for()
    phone.screenshot("retention-my-due-phone")

    db.session.rollback()  # end the test's read transaction: see what the live server wrote
    outcomes = [c.outcome for c in db.session.scalars(select(RetentionContact).where(
        RetentionContact.person_id == person.id).order_by(RetentionContact.id))]
    assert outcomes == ["promised", "paid"]
    box = row.locator("button.due-paid").bounding_box()
    assert box["height"] >= 44  # a thumb's tap target
