"""Matrix entries: declaration lists."""

from . import ADMIN, AGENT, LOCAL_OFFICER, PROVINCE_OFFICER, Route, only

ROLES = (ADMIN, PROVINCE_OFFICER, LOCAL_OFFICER, AGENT)

ROUTES = {
    "declarations.index": Route("GET", "/declarations/", only(*ROLES)),
    "declarations.export": Route("POST", "/declarations/export", only(*ROLES), data={"form": "d05"}),
}
