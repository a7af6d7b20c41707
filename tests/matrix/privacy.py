"""Matrix entries: data protection (administrators only, whatever the territory)."""

from . import ADMIN, DENIED, EVERY_ROLE, LOGIN, OK, Route, only

ADMIN_EVERYWHERE = {"anonymous": (LOGIN, LOGIN),
                    **{r: ((OK, OK) if r == ADMIN else (DENIED, DENIED)) for r in EVERY_ROLE}}


def _request(territory, kind: str) -> int:
    """A committed open request of a kind about the territory's person."""
    from datetime import date

    from portal.extensions import db
    from portal.privacy.models import DataSubjectRequest

    row = DataSubjectRequest(kind=kind, person_id=territory.person.id, requester_name="Người Yêu Cầu",
                             channel="in_person", received_on=date(2026, 1, 5), acknowledge_by=date(2026, 1, 7),
                             answer_by=date(2026, 1, 19), status="received")
    db.session.add(row)
    db.session.commit()
    return row.id


def _on(url, method: str = "GET", data=None) -> Route:
    return Route(method, url, ADMIN_EVERYWHERE, data=data or {})


ROUTES = {
    "privacy.index": Route("GET", "/admin/privacy/", only(ADMIN)),
    "privacy.lookup": Route("POST", "/admin/privacy/people", only(ADMIN), data={"name": "Hộ"}),
    "privacy.person_report": _on(lambda w, t: f"/admin/privacy/people/{t.person.id}"),
    "privacy.person_report_json": _on(lambda w, t: f"/admin/privacy/people/{t.person.id}/report.json"),
    "privacy.person_report_pdf": _on(lambda w, t: f"/admin/privacy/people/{t.person.id}/report.pdf"),
    "privacy.requests": Route("GET", "/admin/privacy/requests", only(ADMIN)),
    "privacy.new_request": _on(lambda w, t: f"/admin/privacy/requests/new?person={t.person.id}", "POST",
                               {"kind": "access", "requester_name": "Người Yêu Cầu", "channel": "letter",
                                "received_on": "05/01/2026"}),
    "privacy.request_detail": _on(lambda w, t: f"/admin/privacy/requests/{_request(t, 'access')}"),
    "privacy.correct": _on(lambda w, t: f"/admin/privacy/requests/{_request(t, 'correction')}/correct"),
    "privacy.erase": _on(lambda w, t: f"/admin/privacy/requests/{_request(t, 'deletion')}/erase"),
    "privacy.retention_page": Route("GET", "/admin/privacy/retention", only(ADMIN)),
}
