"""Matrix entries: attendance, sign-ups and results of an event."""

from . import ADMIN, AGENT, DENIED, LOCAL_OFFICER, PROVINCE_OFFICER, VIEWER, Route, territorial

OFFICERS = (ADMIN, PROVINCE_OFFICER, LOCAL_OFFICER)
DOOR = (*OFFICERS, AGENT)


def _attendance(territory) -> int:
    """A walk-in recorded at the territory's event, to undo (made for the request: the world has none)."""
    from portal.extensions import db
    from portal.results.models import Attendance

    attendance = Attendance(event_id=territory.event.id, walk_in=True, name="Lò Văn Thử")
    db.session.add(attendance)
    db.session.commit()
    return attendance.id


def _no_viewer(expect):
    return {**expect, VIEWER: (DENIED, DENIED)}


ROUTES = {
    "results.attendance": Route("GET", lambda w, t: f"/events/{t.event.id}/attendance", territorial(*DOOR, VIEWER)),
    "results.attendance_count": Route("GET", lambda w, t: f"/events/{t.event.id}/attendance/count",
                                      territorial(*DOOR, VIEWER)),
    "results.check_in": Route("POST", lambda w, t: f"/events/{t.event.id}/attendance/check-in", territorial(*DOOR),
                              data=lambda w, t: {"invitation_id": str(t.invitation.id)}),
    "results.check_in_scan": Route("POST", lambda w, t: f"/events/{t.event.id}/attendance/scan", territorial(*DOOR),
                                   data=lambda w, t: {"code": t.invitation.token}),
    "results.check_in_by_code": Route("GET", lambda w, t: f"/checkin/{t.invitation.token}", territorial(*DOOR)),
    "results.undo_check_in": Route(
        "POST", lambda w, t: f"/events/{t.event.id}/attendance/{_attendance(t)}/undo", territorial(*DOOR)),
    "results.walk_in": Route("POST", lambda w, t: f"/events/{t.event.id}/attendance/walk-in", territorial(*DOOR),
                             data=lambda w, t: {"name": "Lò Văn Thử", "hamlet_id": str(t.hamlet.id),
                                                "person_id": "new"}),
    "results.attendance_rows": Route("POST", lambda w, t: f"/events/{t.event.id}/attendance/rows",
                                     territorial(*DOOR), data={"rows": "1"}),
    "results.results": Route("GET", lambda w, t: f"/events/{t.event.id}/results", territorial(*OFFICERS, VIEWER)),
    "results.upload_evidence": Route("POST", lambda w, t: f"/events/{t.event.id}/results/evidence",
                                     territorial(*OFFICERS)),
    "results.evidence_file": Route("GET", lambda w, t: f"/events/{t.event.id}/evidence/{t.evidence.id}",
                                   territorial(*OFFICERS, VIEWER)),
    "results.signups": Route("GET", lambda w, t: f"/events/{t.event.id}/signups", territorial(*DOOR, VIEWER)),
    "results.quote": Route("GET", lambda w, t: f"/events/{t.event.id}/signups/quote", territorial(*DOOR)),
    "results.add_signup": Route("POST", lambda w, t: f"/events/{t.event.id}/signups", territorial(*DOOR),
                                data=lambda w, t: {"person_id": str(t.person.id), "scheme": "bhxh_tn"}),
    "results.household_signup": Route("POST", lambda w, t: f"/events/{t.event.id}/signups/household",
                                      territorial(*DOOR), data=lambda w, t: {"person_id": str(t.person.id)}),
    "results.bulk_signups": Route("POST", lambda w, t: f"/events/{t.event.id}/signups/bulk", territorial(*DOOR),
                                  data={"lines": "1 tn 1500000"}),
}
