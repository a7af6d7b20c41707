"""Each role signs in and sees its own menu."""

from __future__ import annotations

import pytest

from portal.auth import roles

from .. import factories

EXPECTED = {
    roles.ADMIN: {"must": ["/admin/users/", "/admin/audit/", "/policy/parameters", "/org/offices"], "not": ["/my"]},
    roles.PROVINCE_OFFICER: {"must": ["/events/", "/org/offices", "/households/"], "not": ["/admin/users/", "/my"]},
    roles.LOCAL_OFFICER: {"must": ["/events/calendar", "/org/agents", "/households/due"],
                          "not": ["/admin/users/", "/org/offices", "/my"]},
    roles.AGENT: {"must": ["/my", "/households/due", "/policy/calculator"],
                  "not": ["/admin/users/", "/org/agents", "/events/calendar"]},
    roles.VIEWER: {"must": ["/events/", "/geo/communes"], "not": ["/admin/users/", "/my", "/events/speakers"]},
}


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_sees_its_own_menu(page, world, role):
    user = world.users[role]
    page.login(user.username, factories.DEFAULT_PASSWORD)
    links = page.page.eval_on_selector_all("nav .menu a", "els => els.map(e => e.getAttribute('href'))")
    for href in EXPECTED[role]["must"]:
        assert href in links, (role, href, links)
    for href in EXPECTED[role]["not"]:
        assert href not in links, (role, href, links)
    if role == roles.LOCAL_OFFICER:
        page.screenshot("menu-local-officer")
