"""Matrix entries: pre-visit lists and the agent's work."""

from . import ADMIN, AGENT, DENIED, LOCAL_OFFICER, PROVINCE_OFFICER, VIEWER, Route, only, territorial

EDITORS = (ADMIN, PROVINCE_OFFICER, LOCAL_OFFICER)

ROUTES = {
    "visits.build": Route("GET", lambda w, t: f"/events/{t.event.id}/previsit/build", territorial(*EDITORS)),
    "visits.supervise": Route("GET", lambda w, t: f"/events/{t.event.id}/previsit",
                              territorial(*EDITORS, VIEWER)),
    "visits.split": Route("POST", lambda w, t: f"/events/{t.event.id}/previsit/split", territorial(*EDITORS)),
    "visits.reassign": Route("POST", lambda w, t: f"/events/{t.event.id}/previsit/reassign",
                             territorial(*EDITORS), data=lambda w, t: {"assignment": str(t.assignment.id),
                                                                       "agent_id": "0"}),
    "visits.remove": Route("POST", lambda w, t: f"/events/{t.event.id}/previsit/remove", territorial(*EDITORS)),
    "visits.quota": Route("POST", lambda w, t: f"/events/{t.event.id}/previsit/quota", territorial(*EDITORS),
                          data=lambda w, t: {"agent_id": str(t.agent.id), "max_visits": "5"}),
    "visits.add": Route("GET", lambda w, t: f"/events/{t.event.id}/previsit/add?query=H%E1%BB%99",
                        territorial(*EDITORS)),
    "visits.paper": Route("POST", lambda w, t: f"/events/{t.event.id}/previsit/paper", territorial(*EDITORS),
                          data={"lines": "1 v"}),
    "visits.my_work": Route("GET", "/my", only(AGENT)),
    "visits.outcome": Route("GET", lambda w, t: f"/my/assignments/{t.assignment.id}",
                            {**territorial(AGENT, *EDITORS), VIEWER: (DENIED, DENIED)}),
}
