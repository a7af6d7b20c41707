"""The contribution calculator in a browser."""

from __future__ import annotations

from portal.extensions import db
from portal.policy.services import seed_shipped

from .. import factories


def test_agent_computes_a_contribution_on_a_phone(phone):
    seed_shipped()
    db.session.commit()
    user = factories.make_user("agent")
    phone.login(user.username, factories.DEFAULT_PASSWORD)
    phone.goto("/policy/calculator")
    phone.page.fill("#on", "22/11/2026")
    phone.page.fill("#income", "1500000")
    phone.page.click("#calc-form button[type=submit]")
    phone.page.wait_for_selector("#calc-result .quote")
    text = phone.page.inner_text("#calc-result")
    assert "264.000 đ" in text and "66.000 đ" in text
    phone.screenshot("policy-calculator-phone")
    # Switching to household health insurance hides the income fields (CSS only) and shows the ladder.
    phone.page.check("input[value=bhyt_hgd]")
    phone.page.fill("#members", "5")
    phone.page.click("#calc-form button[type=submit]")
    phone.page.locator('#calc-result tbody tr').nth(5).wait_for()
    assert not phone.page.is_visible("#income")
    phone.screenshot("policy-calculator-bhyt-phone")
    wide = phone.page.evaluate("Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > 361).map(e => e.tagName + '.' + e.className + '#' + e.id).slice(0, 8)")
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 360, wide
