"""Counters follow the action that changed them, in the same answer, without a reload; and the lists that
depend on the commune load even when it is chosen before the page has settled."""

from __future__ import annotations

from portal.auth import roles

from .. import factories


def test_the_commune_chosen_before_htmx_listens_still_loads_hamlets_and_agents(page, world):
    """The race: a commune chosen while the page was still settling (htmx not yet listening) left the hamlet and
    agent lists as rendered, empty. Here htmx is held back until the commune is chosen."""
    page.login(world.users[roles.LOCAL_OFFICER].username, factories.DEFAULT_PASSWORD)
    p = page.page
    held = []
    p.route("**/htmx.min.js*", lambda route: held.append(route))
    p.goto(page.base_url + "/events/new?date=15/05/2027", wait_until="commit")
    p.select_option("#commune_id", str(world.own.commune.id))
    for _ in range(200):  # the script's request is held by the route: let Playwright deliver it (no sleeping)
        if held:
            break
        p.evaluate("1")
    assert held, "htmx was not requested"
    assert p.evaluate("() => !window.htmx")  # the commune was chosen before htmx could listen
    held[0].continue_()
    p.locator("#hamlet_id option", has_text=world.own.hamlet.name).wait_for(state="attached")
    p.locator(f"#agents input[value='{world.own.agent.id}']").wait_for(state="attached")


def test_the_targets_total_follows_a_saved_cell(page, world):
    page.login(world.users[roles.PROVINCE_OFFICER].username, factories.DEFAULT_PASSWORD)
    p = page.page
    page.goto(f"/campaigns/{world.campaign_own.id}/targets?level=commune&office={world.own.office.id}")
    cell = p.locator(f"input[name='v-{world.own.commune.id}-new_bhxh_tn']")
    cell.fill("37")
    with page.answered():
        cell.press("Enter")
    total = p.locator("#totals tr.total td").first
    assert total.inner_text().replace(".", "").strip().isdigit()
    assert int(total.inner_text().replace(".", "")) >= 37
    assert p.locator("table.targets tfoot").count() == 1
    page.screenshot("live-targets-total")
