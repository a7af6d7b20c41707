"""Matrix entries: campaign dashboard, funnels and reports.

Campaign reports: the other territory is another province's campaign (404); agents read no reports (403).
Event funnels: the other territory's event is outside the scope (404).
"""

from . import Route, territorial
from .campaigns import READERS, _route


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
