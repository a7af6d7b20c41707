"""The main menu agrees with the routes' roles, both ways.

The rule:

- Every entry shown to a role leads to a route that role may open: the entry's ``shown_to`` is a subset of its
  route's ``roles_required`` set (a route with ``login_required`` only is open to every role).
- Every top-level page a role may open is in that role's menu. A top-level page is a GET route without URL
  arguments that is neither a file (``.pdf``, ``.xlsx``), nor a form (the route also takes POST), nor outside the
  signed-in UI (sign-in, health checks). Two kinds of exception, each with its reason below: pages reached from
  a menu page of their own section (``REACHED_FROM``), and pages a role may open but does not need in its menu
  (``NOT_IN_MENU``).
"""

from __future__ import annotations

import pytest

from portal.auth.menu import MENU, entries_for
from portal.auth.roles import AGENT, EVERYONE, LOCAL_OFFICER, VIEWER

#: Top-level pages linked from a menu page of their section: page -> the menu entry that links to it.
REACHED_FROM = {
    "org.organisations": "org.agents",  # the agents page links to their organisations
    "privacy.requests": "privacy.index",  # the data protection page links to its parts
    "network.coverage": "network.points",  # the collection points page links to the coverage of the hamlets
    "privacy.retention_page": "privacy.index",
    # a payment or sign-up outside events is recorded from a household, a person, the due list or My work
    "enrolments.new_signup": "households.search",
    "reports.periodic_page": "reports.year_page",  # the year's work links to the report the office sends
    "retention.sms_page": "retention.figures",  # the retention figures link to the day's SMS list
}

#: (role, page): pages a role may open but that stay out of its menu, and why.
NOT_IN_MENU = {
    # An agent works from "My work"; the calendar and the communes of the agent's events open from there.
    (AGENT, "events.calendar"): "an agent's day starts at My work",
    (AGENT, "geo.communes"): "an agent's day starts at My work",
    # Offices are set up by the province; local officers and viewers read them through their own pages.
    (LOCAL_OFFICER, "org.offices"): "offices are the province's to manage",
    (VIEWER, "org.offices"): "offices are the province's to manage",
    # Viewers read speakers on the events they open; the register is for those who edit it.
    (VIEWER, "events.speakers"): "the register is for those who edit it",
}

OUTSIDE_THE_UI = {"auth.login", "core.healthz", "core.readyz",
                  # the offline app's machinery, fetched by the phone's scripts and browser, not opened
                  "offline.service_worker", "offline.manifest", "offline.day_pages", "offline.token"}


def _route_roles(app, endpoint: str) -> frozenset[str]:
    view = app.view_functions[endpoint]
    return getattr(view, "allowed_roles", EVERYONE)


def _top_level_pages(app) -> set[str]:
    pages = set()
    for rule in app.url_map.iter_rules():
        if rule.arguments or "GET" not in rule.methods or "POST" in rule.methods:
            continue
        if rule.endpoint in OUTSIDE_THE_UI or rule.endpoint == "static" or rule.rule.endswith((".pdf", ".xlsx")):
            continue
        pages.add(rule.endpoint)
    return pages


def test_every_entry_is_a_route_without_arguments(app):
    for entry in MENU:
        rules = [r for r in app.url_map.iter_rules() if r.endpoint == entry.endpoint]
        assert rules, f"menu entry {entry.endpoint} names no route"
        assert any(not r.arguments for r in rules), f"menu entry {entry.endpoint} needs URL arguments"


@pytest.mark.parametrize("role", sorted(EVERYONE))
def test_every_entry_shown_leads_to_a_route_the_role_may_open(app, role):
    for entry in entries_for(role):
        assert role in _route_roles(app, entry.endpoint), f"{role} sees {entry.endpoint} but may not open it"


@pytest.mark.parametrize("role", sorted(EVERYONE))
def test_every_top_level_page_the_role_may_open_is_in_its_menu(app, role):
    shown = {entry.endpoint for entry in entries_for(role)}
    missing = []
    for page in sorted(_top_level_pages(app)):
        if role not in _route_roles(app, page) or page in shown or (role, page) in NOT_IN_MENU:
            continue
        if page in REACHED_FROM and REACHED_FROM[page] in shown:
            continue
        missing.append(page)
    assert not missing, f"{role} may open {missing} but finds them in no menu"


def test_the_exceptions_are_still_needed(app):
    pages = _top_level_pages(app)
    for role, page in NOT_IN_MENU:
        assert page in pages and role in _route_roles(app, page), f"stale exception: {role} {page}"
        assert page not in {entry.endpoint for entry in entries_for(role)}, f"stale exception: {role} {page}"
    for page, via in REACHED_FROM.items():
        assert page in pages and via in {entry.endpoint for entry in MENU}, f"stale exception: {page}"
