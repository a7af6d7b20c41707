"""Matrix entries: offices, organisations, agents."""

from . import ADMIN, AGENT, LOCAL_OFFICER, PROVINCE_OFFICER, VIEWER, Route, only, territorial

OFFICERS = (ADMIN, PROVINCE_OFFICER, LOCAL_OFFICER)

ROUTES = {
    "org.offices": Route("GET", "/org/offices", only(*OFFICERS, VIEWER)),
    "org.office": Route("GET", lambda w, t: f"/org/offices/{t.office.id}", territorial(*OFFICERS, VIEWER)),
    "org.office_new": Route("GET", "/org/offices/new", only(ADMIN, PROVINCE_OFFICER)),
    "org.office_edit": Route("GET", lambda w, t: f"/org/offices/{t.office.id}/edit",
                             territorial(ADMIN, PROVINCE_OFFICER)),
    "org.organisations": Route("GET", "/org/organisations", only(*OFFICERS, VIEWER)),
    "org.organisation_new": Route("GET", "/org/organisations/new", only(*OFFICERS)),
    "org.organisation_edit": Route("GET", lambda w, t: f"/org/organisations/{t.organisation.id}/edit",
                                   territorial(*OFFICERS)),
    "org.agents": Route("GET", "/org/agents", only(*OFFICERS, VIEWER)),
    "org.agent": Route("GET", lambda w, t: f"/org/agents/{t.agent.id}", territorial(*OFFICERS, VIEWER, AGENT)),
    "org.agent_new": Route("GET", "/org/agents/new", only(*OFFICERS)),
    "org.agent_edit": Route("GET", lambda w, t: f"/org/agents/{t.agent.id}/edit", territorial(*OFFICERS)),
}

ROUTES.update({
    "org.agents_import": Route("GET", "/org/agents/import", only(*OFFICERS)),
    "org.agent_inline": Route("POST", lambda w, t: f"/org/agents/{t.agent.id}/inline", territorial(*OFFICERS),
                              data={"field": "phone", "value": "0912345678"}),
})
