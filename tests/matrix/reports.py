"""Matrix entries: campaign dashboard and reports."""

from . import Route  # noqa: F401
from .campaigns import READERS, _route

ROUTES = {
    "reports.campaign": _route("GET", "/reports/campaigns/{id}", READERS),
    "reports.communes_xlsx": _route("GET", "/reports/campaigns/{id}/communes.xlsx", READERS),
    "reports.communes_pdf": _route("GET", "/reports/campaigns/{id}/communes.pdf", READERS),
}
