"""Out-of-range, negative, huge and non-numeric values in every route's parameters and the common query
arguments, as signed-in users: no answer is a 500 (a bad value is nobody's: 404, or a refused form)."""

from __future__ import annotations

import inspect
import re
from urllib.parse import urlencode, urlsplit

import pytest
from werkzeug.exceptions import HTTPException, NotFound

from portal.auth.roles import ADMIN, LOCAL_OFFICER

from .test_authz_matrix import MATRIX

#: Values a person or a script may type: out of range of a database integer, negative, 20 digits, not a number.
VALUES = ("0", "-1", "2147483648", "99999999999999999999", "abc", "1e400", "", "9" * 300, "32/13/2027")
#: Query arguments the views read (request.args/values and filter forms).
ARGS = ("commune", "commune_id", "hamlet", "hamlet_id", "office", "office_id", "province", "province_id", "agent",
        "agent_id", "campaign", "campaign_id", "event", "event_id", "person", "person_id", "household",
        "household_id", "year", "month", "day", "days", "date", "from", "to", "since", "until", "page", "per_page",
        "limit", "q", "kind", "status", "active", "type", "role", "level", "view", "v", "trained", "outcome",
        "group", "audience", "sort", "order", "batch", "job", "list", "tag", "step", "target", "next", "back")

GETS = sorted(endpoint for endpoint, route in MATRIX.items() if route.method == "GET")
POSTS = sorted(endpoint for endpoint, route in MATRIX.items() if route.method == "POST")
_NUMBER = re.compile(r"(?<=/)\d+(?=/|$)")


def _read_by(app, endpoint: str) -> list[str]:
    """The query arguments the module of an endpoint's view mentions."""
    source = inspect.getsource(inspect.getmodule(app.view_functions[endpoint]))
    return [arg for arg in ARGS if f'"{arg}"' in source]


def _url(world, route) -> str:
    return route.url(world, world.own) if route.territorial else route.url


def _variants(url: str, app=None, method: str = "GET"):
    """The URL with each numeric path segment replaced by each value, one at a time.

    Given the app, of the values its URL map refuses in a segment only the first is sent: an ``<int:…>`` segment
    (portal/core/params.py: digits only, at most a database integer) matches no route with "-1", "abc", "1e400",
    2147483648 or 300 nines, Werkzeug answers 404 before any view runs, and the others would take the very same
    path through the portal's request hooks."""
    parts = urlsplit(url)
    adapter = app.url_map.bind("localhost") if app is not None else None
    for match in _NUMBER.finditer(parts.path):
        refused = False
        for value in VALUES:
            if value and "/" not in value:
                path = parts.path[:match.start()] + value.replace("%", "%25") + parts.path[match.end():]
                if adapter is not None and not _routed(adapter, path, method):
                    if refused:
                        continue
                    refused = True
                yield path + (f"?{parts.query}" if parts.query else "")


def _routed(adapter, path: str, method: str) -> bool:
    """Whether a route of the app takes ``path`` (its converters accept every segment)."""
    try:
        adapter.match(path, method=method)
    except NotFound:
        return False
    except HTTPException:
        return True  # a redirect or another method: a route took the path
    return True


def _with_args(url: str, args: dict) -> str:
    return url + ("&" if "?" in url else "?") + urlencode(args)


def _check(client, method: str, url: str, **kwargs) -> str | None:
    response = (client.get if method == "GET" else client.post)(url, **kwargs)
    status = response.status_code
    response.close()
    return f"{method} {url[:160]} -> {status}" if status >= 500 else None


@pytest.mark.parametrize("endpoint", GETS)
def test_no_value_in_a_get_gives_500(client, auth, world, endpoint):
    route = MATRIX[endpoint]
    url = _url(world, route)
    failures = []
    for role in (ADMIN, LOCAL_OFFICER):
        auth.login(world.users[role])
        candidates = list(_variants(url, client.application))
        candidates += [_with_args(url, dict.fromkeys(ARGS, value)) for value in VALUES]
        if role == ADMIN:  # one at a time, the arguments the view's module names
            candidates += [_with_args(url, {arg: value}) for arg in _read_by(client.application, endpoint)
                           for value in ("-1", "99999999999999999999", "abc")]
        headers = {"HX-Request": "true", "HX-Target": route.htmx_target} if route.htmx_target else {}
        failures += [f for candidate in candidates if (f := _check(client, "GET", candidate, headers=headers))]
        auth.logout()
    assert not failures, "\n".join(failures[:20])


@pytest.mark.parametrize("endpoint", POSTS)
def test_no_value_in_a_post_gives_500(client, auth, world, endpoint):
    route = MATRIX[endpoint]
    url = _url(world, route)
    data = route.data(world, world.own) if callable(route.data) else dict(route.data)
    auth.login(world.users[ADMIN])
    failures = [f for candidate in _variants(url, client.application, "POST")
                if (f := _check(client, "POST", candidate, data=dict(data)))]
    for value in ("-1", "99999999999999999999", "abc"):
        fuzzed = {key: value for key in data if key not in ("csrf_token", "file")}
        if fuzzed:
            failures += [f for f in [_check(client, "POST", url, data={**data, **fuzzed})] if f]
    assert not failures, "\n".join(failures[:20])


def test_only_one_value_the_router_refuses_is_sent_per_segment(app):
    """An ``<int:…>`` segment takes 0 to the view; every other value matches no route, and one stands for all."""
    assert list(_variants("/events/5/attendance", app)) == ["/events/0/attendance", "/events/-1/attendance"]
    assert len(list(_variants("/events/5/attendance"))) == 7  # without the app: every value but ""
