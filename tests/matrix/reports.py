"""Matrix entries: campaign dashboard, funnels and reports.

Campaign reports: the other territory is another province's campaign (404); agents read no reports (403).
Event funnels: the other territory's event is outside the scope (404).
"""

from . import ADMIN, ANON, DENIED, EVERY_ROLE, HIDDEN, LOGIN, OK, Route, territorial
from .campaigns import EDITORS, READERS, _route


def _event(path: str) -> Route:
    return Route("GET", lambda w, t: path.format(id=t.event.id), territorial(*READERS))


ROUTES = {
    "reports.campaign": _route("GET", "/reports/campaigns/{id}", READERS),
    "reports.progress_xlsx": _route("GET", "/reports/campaigns/{id}/progress.xlsx?level=commune&office={office}",
                                    READERS),
    "reports.progress_pdf": _route("GET", "/reports/campaigns/{id}/progress.pdf", READERS),
    "reports.communes_xlsx": _route("GET", "/reports/campaigns/{id}/communes.xlsx", READERS),
    "reports.communes_pdf": _route("GET", "/reports/campaigns/{id}/communes.pdf", READERS),
    "reports.campaign_funnel": _route("GET", "/reports/campaigns/{id}/funnel?level=event&office={office}", READERS),
    "reports.campaign_funnel_xlsx": _route("GET", "/reports/campaigns/{id}/funnel.xlsx", READERS),
    "reports.campaign_funnel_pdf": _route("GET", "/reports/campaigns/{id}/funnel.pdf?level=agent&office={office}",
                                          READERS),
    "reports.event_funnel": _event("/reports/events/{id}/funnel"),
    "reports.event_funnel_xlsx": _event("/reports/events/{id}/funnel.xlsx"),
    "reports.event_funnel_pdf": _event("/reports/events/{id}/funnel.pdf"),
}


def _year(path: str, *, readers=READERS, enter=READERS) -> Route:
    """A page of a province's year: ``{office}`` is a local office of the territory (another province's office is
    out of sight: 404); administrators name the province. ``enter``: the readers that may act (403 for the other
    readers in their own territory)."""
    expect = {ANON: (LOGIN, LOGIN)}
    for role in EVERY_ROLE:
        if role not in readers:
            expect[role] = (DENIED, DENIED)
        elif role == ADMIN:
            expect[role] = (OK, OK)
        else:
            expect[role] = (OK if role in enter else DENIED, HIDDEN)
    return Route("GET", lambda w, t: path.format(province=t.office.province_id, office=t.office.id), expect)


def _year_post(path: str, data, enter) -> Route:
    route = _year(path, enter=enter)
    return Route("POST", route.url, route.expect, data=data)


YEAR_ROUTES = {
    "reports.year_page": _year("/reports/year?province={province}&office={office}&year=2026"),
    "reports.periodic_page": _year("/reports/periodic?province={province}&office={office}&period=week"),
    "reports.periodic_xlsx": _year("/reports/periodic.xlsx?province={province}&office={office}"),
    "reports.periodic_pdf": _year("/reports/periodic.pdf?province={province}&office={office}&period=week"),
    "campaigns.coverage_xlsx": _year("/campaigns/coverage.xlsx?province={province}&office={office}"),
    "campaigns.coverage_import": _year("/campaigns/coverage/import?province={province}&office={office}",
                                       enter=EDITORS),
    "campaigns.coverage_figures": _year_post(
        "/campaigns/coverage?province={province}&office={office}&year=2026",
        lambda w, t: {f"labour_force-{t.commune.id}": "1.200", f"population-{t.commune.id}": "3000"}, EDITORS),
}
ROUTES.update(YEAR_ROUTES)
