"""Matrix entries: campaigns and targets.

Campaigns belong to a province: the other territory here is always another province's campaign (and its
office). Readers reach the lookup first (404 for another province), then the action's own check (403).
"""

from . import ADMIN, AGENT, DENIED, HIDDEN, LOCAL_OFFICER, LOGIN, OK, PROVINCE_OFFICER, VIEWER, Route, only

PLANNERS = (ADMIN, PROVINCE_OFFICER)
READERS = (ADMIN, PROVINCE_OFFICER, LOCAL_OFFICER, VIEWER)
EDITORS = (ADMIN, PROVINCE_OFFICER, LOCAL_OFFICER)


def _campaign(w, t):
    return w.campaign_own if t is w.own else w.campaign_far


def _territory(w, t):
    return w.own if t is w.own else w.far


def _route(method, path, allowed, *, readers=READERS, data=None, htmx_target=None):
    """``path`` may name ``{id}`` (the campaign) and ``{office}`` (a local office of its province)."""
    expect = {"anonymous": (LOGIN, LOGIN)}
    for role in (ADMIN, PROVINCE_OFFICER, LOCAL_OFFICER, VIEWER, AGENT):
        if role not in readers:
            expect[role] = (DENIED, DENIED)
        elif role == ADMIN:
            expect[role] = (OK, OK)
        else:
            expect[role] = (OK if role in allowed else DENIED, HIDDEN)
    return Route(method, lambda w, t: path.format(id=_campaign(w, t).id, office=_territory(w, t).office.id),
                 expect, data=data or {}, htmx_target=htmx_target)


def _cell(w, t):
    return {"subject": str(_territory(w, t).commune.id), "metric": "renewals", "value": "3"}


def _paste(w, t):
    return {"text": f"{_territory(w, t).commune.code}\t5\t4\t3\t2\t100"}


def _wizard(w, t):
    return {"province_id": str(w.own.province.id), "year": "2031", "basis": "fixed", "m_conferences": "2"}


ROUTES = {
    "campaigns.index": Route("GET", "/campaigns/", only(*READERS)),
    "campaigns.may_wizard": Route("POST", "/campaigns/may-wizard", only(*PLANNERS), data=_wizard),
    "campaigns.new": Route("GET", "/campaigns/new", only(*PLANNERS)),
    "campaigns.detail": _route("GET", "/campaigns/{id}", READERS),
    "campaigns.edit": _route("GET", "/campaigns/{id}/edit", PLANNERS, readers=PLANNERS),
    "campaigns.status": _route("POST", "/campaigns/{id}/status", PLANNERS, readers=PLANNERS,
                               data={"status": "active"}),
    "campaigns.cancel": _route("POST", "/campaigns/{id}/cancel", PLANNERS, readers=PLANNERS),
    "campaigns.targets": _route("GET", "/campaigns/{id}/targets?level=commune&office={office}", READERS),
    "campaigns.targets_xlsx": _route("GET", "/campaigns/{id}/targets.xlsx?level=commune&office={office}", READERS),
    "campaigns.save_targets": _route("POST", "/campaigns/{id}/targets?level=commune&office={office}", EDITORS),
    "campaigns.target_cell": _route("POST", "/campaigns/{id}/targets/cell?level=commune&office={office}", EDITORS,
                                    data=_cell),
    "campaigns.paste_targets": _route("POST", "/campaigns/{id}/targets/paste?level=commune&office={office}",
                                      EDITORS, data=_paste),
    "campaigns.targets_import": _route("GET", "/campaigns/{id}/targets/import?level=commune&office={office}",
                                       EDITORS),
}
