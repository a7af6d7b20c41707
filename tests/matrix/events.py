"""Matrix entries: events, calendar, speakers."""

from . import ADMIN, AGENT, LOCAL_OFFICER, PROVINCE_OFFICER, VIEWER, Route, everyone, only, territorial

EDITORS = (ADMIN, PROVINCE_OFFICER, LOCAL_OFFICER)
ALL = (*EDITORS, AGENT, VIEWER)

ROUTES = {
    "events.index": Route("GET", "/events/", everyone()),
    "events.calendar": Route("GET", "/events/calendar", only(*EDITORS, VIEWER)),
    "events.new": Route("GET", "/events/new", only(*EDITORS)),
    "events.detail": Route("GET", lambda w, t: f"/events/{t.event.id}", territorial(*ALL)),
    "events.edit": Route("GET", lambda w, t: f"/events/{t.event.id}/edit", territorial(*EDITORS)),
    "events.status": Route("POST", lambda w, t: f"/events/{t.event.id}/status", territorial(*EDITORS),
                           data={"status": "held"}),
    "events.cancel": Route("POST", lambda w, t: f"/events/{t.event.id}/cancel", territorial(*EDITORS),
                           data={"reason": "Mưa lớn"}),
    "events.clone": Route("GET", lambda w, t: f"/events/{t.event.id}/clone", territorial(*EDITORS)),
    "events.speakers": Route("GET", "/events/speakers", only(*EDITORS, VIEWER)),
    "events.speaker": Route("GET", lambda w, t: f"/events/speakers/{t.speaker.id}",
                            territorial(*EDITORS, VIEWER)),
    "events.speaker_new": Route("GET", "/events/speakers/new", only(*EDITORS)),
    "events.speaker_edit": Route("GET", lambda w, t: f"/events/speakers/{t.speaker.id}/edit",
                                 territorial(*EDITORS)),
}
