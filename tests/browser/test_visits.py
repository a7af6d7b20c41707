"""Pre-visit lists in a browser: an officer builds and splits, an agent records on a phone, counts move."""

from __future__ import annotations

from portal.auth import roles

from .. import factories


def test_officer_builds_and_splits_agent_records_on_phone(page, phone, world):
    own = world.own
    h3 = factories.make_hamlet(own.commune, "Thôn Khe Cam")
    agents = [own.agent]
    for name in ("Lê Thị Hoa", "Vàng A Sử"):
        agents.append(factories.make_agent(own.office, communes=[own.commune],
                                           hamlets=[own.hamlet, own.hamlet2, h3], name=name))
    from portal.org.models import agent_hamlets

    factories.db.session.execute(agent_hamlets.insert(), [{"agent_id": own.agent.id, "hamlet_id": h.id}
                                                          for h in (own.hamlet2, h3)])
    factories.db.session.commit()
    for i in range(12):
        factories.make_household([own.hamlet, own.hamlet2, h3][i % 3], f"Chủ Hộ {i + 1}", address=f"Nhà {i + 1}")
    officer = world.users[roles.LOCAL_OFFICER]
    page.login(officer.username, factories.DEFAULT_PASSWORD)
    page.goto(f"/events/{own.event.id}/previsit/build")
    page.page.click("button[value=count]")
    page.page.wait_for_selector("#candidate-count .count-box")
    assert "13" in page.page.inner_text("#candidate-count")
    page.screenshot("visits-build")
    page.page.click("button[value=build]")
    page.page.wait_for_url(f"**/events/{own.event.id}/previsit")
    with page.answered():
        page.page.click("form[action$='/split'] button[type=submit]")
    progress = page.page.inner_text("#progress-title + .table-wrap")
    for agent in agents:
        assert agent.full_name in progress
    page.screenshot("visits-list")

    agent_user = world.users[roles.AGENT]
    phone.login(agent_user.username, factories.DEFAULT_PASSWORD)
    phone.goto("/my")
    rows = phone.page.locator(".work-row")
    assert rows.count() >= 3
    first = rows.first
    first_id = first.get_attribute("id")
    first.locator("form").nth(2).locator("button").click()  # "invited"
    phone.page.locator(f"#{first_id} .badge").wait_for()
    second_id = rows.nth(1).get_attribute("id")
    rows.nth(1).locator("form").nth(1).locator("button").click()  # "not at home"
    phone.page.locator(f"#{second_id} .badge").wait_for()
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot("visits-my-work-phone")

    page.goto(f"/events/{own.event.id}/previsit")
    mine = page.page.locator("#progress-title + .table-wrap tr", has_text=own.agent.full_name)
    cells = mine.locator("td").all_inner_texts()
    assert cells[3].strip() == "1"  # invited
    assert cells[2].strip() == "1"  # visited (not at home does not count as visited)
