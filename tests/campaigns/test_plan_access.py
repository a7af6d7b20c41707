"""Who reaches the grids and dashboard levels of the plan beyond offices and communes (by channel, agent
organisation, hamlet): the authorization matrix's outcomes for each role, in its own province and in another."""

from __future__ import annotations

import pytest

from ..matrix import ANON, DENIED, EVERY_ROLE, HIDDEN, LOGIN, OK
from ..matrix.campaigns import _route
from ..test_authz_matrix import _outcome_matches

READERS = ("admin", "province_officer", "local_officer", "viewer")
EDITORS = ("admin", "province_officer", "local_officer")


def _cell(level):
    def data(w, t):
        territory = w.own if t is w.own else w.far
        subject = {"channel": 2, "organisation": territory.organisation.id, "hamlet": territory.hamlet.id}[level]
        return {"subject": str(subject), "metric": "new_bhxh_tn", "value": "3"}
    return data


def _commune(level: str) -> str:
    return "&commune={{commune}}" if level == "hamlet" else ""


ROUTES = {}
for _level in ("channel", "organisation", "hamlet"):
    _args = f"level={_level}&office={{office}}" + _commune(_level)
    ROUTES[f"grid-{_level}"] = _route("GET", f"/campaigns/{{id}}/targets?{_args}", READERS)
    ROUTES[f"cell-{_level}"] = _route("POST", f"/campaigns/{{id}}/targets/cell?{_args}", EDITORS, data=_cell(_level))
    ROUTES[f"export-{_level}"] = _route("GET", f"/campaigns/{{id}}/targets.xlsx?{_args}", READERS)
    ROUTES[f"import-{_level}"] = _route("GET", f"/campaigns/{{id}}/targets/import?{_args}", EDITORS)
for _level in ("organisation", "hamlet"):
    _args = f"level={_level}&office={{office}}" + _commune(_level)
    ROUTES[f"dashboard-{_level}"] = _route("GET", f"/reports/campaigns/{{id}}?{_args}", READERS)
    ROUTES[f"dashboard-xlsx-{_level}"] = _route("GET", f"/reports/campaigns/{{id}}/progress.xlsx?{_args}", READERS)

CASES = [pytest.param(name, who, territory, id=f"{name}-{who}-{territory}")
         for name in ROUTES for who in (ANON, *EVERY_ROLE) for territory in ("own", "other")]


@pytest.mark.parametrize(("name", "who", "territory"), CASES)
def test_plan_levels_access(client, auth, world, name, who, territory):
    route = ROUTES[name]
    if who != ANON:
        auth.login(world.users[who])
    place = world.own if territory == "own" else world.far
    url = route.url(world, place).replace("{commune}", str(place.commune.id))
    expected = route.expect[who][0 if territory == "own" else 1]
    if route.method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, data=route.data(world, place))
    assert _outcome_matches(expected, response), f"{route.method} {url} as {who}: {response.status_code}"
    assert expected in (OK, DENIED, HIDDEN, LOGIN)
