"""Matrix entries: campaigns and targets.

Campaigns belong to a province: the other territory here is always another province's campaign.
"""

from . import ADMIN, AGENT, DENIED, HIDDEN, LOCAL_OFFICER, LOGIN, OK, PROVINCE_OFFICER, VIEWER, Route, only

PLANNERS = (ADMIN, PROVINCE_OFFICER)
READERS = (ADMIN, PROVINCE_OFFICER, LOCAL_OFFICER, VIEWER)
EDITORS = (ADMIN, PROVINCE_OFFICER, LOCAL_OFFICER)


def _campaign(w, t):
    return w.campaign_own if t is w.own else w.campaign_far


def _route(method, path, allowed, *, readers=READERS, data=None):
    """Roles outside ``readers`` are refused first (403); readers reach the lookup (404 for another province)
    and then the role check of the action (403 when not in ``allowed``)."""
    expect = {"anonymous": (LOGIN, LOGIN)}
    for role in (ADMIN, PROVINCE_OFFICER, LOCAL_OFFICER, VIEWER, AGENT):
        if role not in readers:
            expect[role] = (DENIED, DENIED)
        elif role == ADMIN:
            expect[role] = (OK, OK)
        else:
            expect[role] = (OK if role in allowed else DENIED, HIDDEN)
    return Route(method, lambda w, t: path.format(id=_campaign(w, t).id), expect, data=data or {})


def _cell(w, t):
    commune = w.own.commune if t is w.own else w.far.commune
    return {"subject": str(commune.id), "metric": "renewals", "value": "3"}


ROUTES = {
    "campaigns.index": Route("GET", "/campaigns/", only(*READERS)),
    "campaigns.may_wizard": Route("GET", "/campaigns/may-wizard", only(*PLANNERS)),
    "campaigns.new": Route("GET", "/campaigns/new", only(*PLANNERS)),
    "campaigns.detail": _route("GET", "/campaigns/{id}", READERS),
    "campaigns.edit": _route("GET", "/campaigns/{id}/edit", PLANNERS, readers=PLANNERS),
    "campaigns.status": _route("POST", "/campaigns/{id}/status", PLANNERS, readers=PLANNERS,
                               data={"status": "active"}),
    "campaigns.targets": _route("GET", "/campaigns/{id}/targets", READERS),
    "campaigns.targets_xlsx": _route("GET", "/campaigns/{id}/targets.xlsx", READERS),
    "campaigns.save_targets": _route("POST", "/campaigns/{id}/targets?level=commune", EDITORS),
    "campaigns.target_cell": _route("POST", "/campaigns/{id}/targets/cell?level=commune", EDITORS, data=_cell),
}

ROUTES["campaigns.targets_import"] = _route("GET", "/campaigns/{id}/targets/import?level=commune", EDITORS)
