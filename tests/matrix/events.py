"""Matrix entries: events (list, calendar, form, page and tabs, status, cancel, clone) and speakers."""

from . import ADMIN, AGENT, LOCAL_OFFICER, PROVINCE_OFFICER, VIEWER, Route, everyone, only, territorial

EDITORS = (ADMIN, PROVINCE_OFFICER, LOCAL_OFFICER)
ALL = (*EDITORS, AGENT, VIEWER)

ROUTES = {
    "events.index": Route("GET", "/events/", everyone()),
    # Agents read the calendar of their own events, but it is not in their menu.
    "events.calendar": Route("GET", "/events/calendar?view=week", everyone()),
    "events.new": Route("GET", "/events/new?date=15/05/2027", only(*EDITORS)),
    "events.detail": Route("GET", lambda w, t: f"/events/{t.event.id}", territorial(*ALL)),
    "events.overview": Route("GET", lambda w, t: f"/events/{t.event.id}/overview", territorial(*ALL)),
    "events.edit": Route("GET", lambda w, t: f"/events/{t.event.id}/edit", territorial(*EDITORS)),
    "events.status": Route("POST", lambda w, t: f"/events/{t.event.id}/status", territorial(*EDITORS),
                           data={"status": "draft"}),
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
