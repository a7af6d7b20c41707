"""Authorization matrix: every route of the app, every role, what each may do.

Each endpoint of ``app.url_map`` must have an entry here; the test fails when a new route has none. An entry
gives the request to make and the status each role (and an anonymous visitor) must get. Routes on objects
that belong to a territory are checked for the user's own territory and for another one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from portal.auth.roles import ROLES

from . import factories

ANON = "anonymous"
EVERY_ROLE = tuple(sorted(ROLES))
LOGIN_REDIRECT = 302


@dataclass(frozen=True)
class Route:
    """How to call one endpoint and what each role gets."""

    method: str
    url: str | Callable[[], str]
    expect: dict[str, int]
    data: dict = field(default_factory=dict)
    htmx_target: str | None = None

    def resolve_url(self) -> str:
        return self.url() if callable(self.url) else self.url


def everyone(status: int, anon: int = LOGIN_REDIRECT) -> dict[str, int]:
    return {ANON: anon, **{role: status for role in EVERY_ROLE}}


def only(allowed: set[str], ok: int = 200, denied: int = 403, anon: int = LOGIN_REDIRECT) -> dict[str, int]:
    return {ANON: anon, **{role: ok if role in allowed else denied for role in EVERY_ROLE}}


#: endpoint -> how it is called. Public routes list ANON with the same status as the roles.
MATRIX: dict[str, Route] = {
    "static": Route("GET", "/static/css/app.css", everyone(200, anon=200)),
    "core.healthz": Route("GET", "/healthz", everyone(200, anon=200)),
    "core.home": Route("GET", "/", everyone(200)),
    "core.set_language": Route("POST", "/language", everyone(302, anon=302), data={"lang": "vi", "next": "/"}),
    "auth.login": Route("GET", "/login", everyone(302, anon=200)),
    "auth.logout": Route("POST", "/logout", everyone(303)),
}


def test_every_route_has_an_entry(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = sorted(endpoints - set(MATRIX))
    assert not missing, f"Routes without an authorization matrix entry: {missing}"
    stale = sorted(set(MATRIX) - endpoints)
    assert not stale, f"Matrix entries for routes that no longer exist: {stale}"


@pytest.mark.parametrize("who", [ANON, *EVERY_ROLE])
@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_route_access(client, auth, endpoint, who):
    route = MATRIX[endpoint]
    if who != ANON:
        auth.login(factories.make_user(who))
    url = route.resolve_url()
    headers = {"HX-Request": "true", "HX-Target": route.htmx_target} if route.htmx_target else {}
    if route.method == "GET":
        response = client.get(url, headers=headers)
    else:
        response = client.post(url, data=dict(route.data), headers=headers)
    expected = route.expect[who]
    assert response.status_code == expected, f"{endpoint} as {who}: {response.status_code} != {expected}"
    response.close()
