"""Matrix entries: the medical facilities register (read by every role with an office, changed by planners)."""

from .. import factories
from . import ADMIN, LOCAL_OFFICER, PROVINCE_OFFICER, VIEWER, Route, only, territorial

READERS = (ADMIN, PROVINCE_OFFICER, LOCAL_OFFICER, VIEWER)
PLANNERS = (ADMIN, PROVINCE_OFFICER)


def _facility(territory):
    """The territory's facility: one per province, created on first use (the world has none of its own)."""
    return factories.make_facility(territory.province, f"Bệnh viện {territory.province.name}",
                                   code=f"{territory.province.code}900", level="province")


ROUTES = {
    "facilities.index": Route("GET", "/facilities/?q=benh+vien", only(*READERS)),
    "facilities.new": Route("GET", "/facilities/new", only(*PLANNERS)),
    "facilities.edit": Route("GET", lambda w, t: f"/facilities/{_facility(t).id}/edit", territorial(*PLANNERS)),
    "facilities.deactivate": Route("POST", lambda w, t: f"/facilities/{_facility(t).id}/deactivate",
                                   territorial(*PLANNERS)),
    "facilities.activate": Route("POST", lambda w, t: f"/facilities/{_facility(t).id}/activate",
                                 territorial(*PLANNERS)),
    "facilities.import_file": Route("GET", "/facilities/import", only(*PLANNERS)),
    "facilities.template": Route("GET", "/facilities/template.xlsx", only(*PLANNERS)),
}
