"""Matrix entries: event documents."""

from . import ADMIN, AGENT, LOCAL_OFFICER, PROVINCE_OFFICER, VIEWER, Route, territorial

OFFICERS = (ADMIN, PROVINCE_OFFICER, LOCAL_OFFICER)

ROUTES = {
    "documents.index": Route("GET", lambda w, t: f"/events/{t.event.id}/documents",
                             territorial(*OFFICERS, AGENT, VIEWER)),
    "documents.attendance": Route("GET", lambda w, t: f"/events/{t.event.id}/print/attendance.pdf",
                                  territorial(*OFFICERS)),
    "documents.signup_sheet": Route("GET", lambda w, t: f"/events/{t.event.id}/print/signup-sheet.pdf",
                                    territorial(*OFFICERS, AGENT)),
    "documents.visits": Route("GET", lambda w, t: f"/events/{t.event.id}/print/visits.pdf",
                              territorial(*OFFICERS, AGENT)),
    "documents.invitations": Route("GET", lambda w, t: f"/events/{t.event.id}/print/invitations.pdf",
                                   territorial(*OFFICERS, AGENT)),
}
