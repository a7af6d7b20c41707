"""Authorization matrix: every route of the app, every role, own territory and another.

Each endpoint of ``app.url_map`` must have an entry in ``tests/matrix/``; this test fails when a new route has
none. See ``tests/matrix/__init__.py`` for the expected outcomes.
"""

from __future__ import annotations

import pytest

from .matrix import (
    ANON,
    DENIED,
    EVERY_ROLE,
    HIDDEN,
    LOGIN,
    OK,
    admin,
    campaigns,
    core,
    declarations,
    documents,
    enrolments,
    events,
    facilities,
    geo,
    households,
    network,
    offline,
    org,
    policy,
    privacy,
    reports,
    results,
    retention,
    visits,
)

MATRIX = {}
for _module in (core, geo, facilities, org, admin, households, campaigns, events, network, policy, visits, results,
                enrolments, declarations, documents, reports, privacy, retention, offline):
    overlap = set(MATRIX) & set(_module.ROUTES)
    assert not overlap, f"endpoints listed twice: {overlap}"
    MATRIX.update(_module.ROUTES)

CASES = []
for _endpoint, _route in sorted(MATRIX.items()):
    for _who in (ANON, *EVERY_ROLE):
        for _territory in (("own", "other") if _route.territorial else (None,)):
            CASES.append(pytest.param(_endpoint, _who, _territory, id=f"{_endpoint}-{_who}-{_territory or 'any'}"))


def test_every_route_has_an_entry(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = sorted(endpoints - set(MATRIX))
    assert not missing, f"Routes without an authorization matrix entry: {missing}"
    stale = sorted(set(MATRIX) - endpoints)
    assert not stale, f"Matrix entries for routes that no longer exist: {stale}"


def _outcome_matches(expected, response) -> bool:
    status = response.status_code
    location = response.headers.get("Location", "")
    if expected == LOGIN:
        return status == 302 and "/login" in location
    if expected == OK:
        if status == 302 and "/login" in location:
            return False
        return status < 400 or status in (409, 422)
    if expected in (DENIED, HIDDEN):
        return status == expected
    return status == expected


@pytest.mark.parametrize(("endpoint", "who", "territory"), CASES)
def test_route_access(client, auth, world, endpoint, who, territory):
    route = MATRIX[endpoint]
    if who != ANON:
        auth.login(world.users[who])
    if route.territorial:
        place = world.own if territory == "own" else world.other_for(who)
        url = route.url(world, place)
        data = route.data(world, place) if callable(route.data) else dict(route.data)
        expected = route.expect[who][0 if territory == "own" else 1]
    else:
        url = route.url
        data = route.data(world, None) if callable(route.data) else dict(route.data)
        expected = route.expect[who]
    headers = {"HX-Request": "true", "HX-Target": route.htmx_target} if route.htmx_target else {}
    if route.method == "GET":
        response = client.get(url, headers=headers)
    else:
        response = client.post(url, data=data, headers=headers)
    assert _outcome_matches(expected, response), (
        f"{route.method} {url} as {who} ({territory or 'no territory'}): got {response.status_code} "
        f"{response.headers.get('Location', '')}, expected {expected}"
    )
    response.close()
