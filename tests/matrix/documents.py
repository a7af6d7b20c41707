"""Matrix entries: event documents, the due list as PDF, print jobs.

Agents print their own lists and nothing else; viewers see the Documents tab but print nothing. A job is seen
by the user who asked for it and by officers of the territory it is for (here nobody in the matrix asked).
"""

from . import ADMIN, AGENT, LOCAL_OFFICER, PROVINCE_OFFICER, VIEWER, Route, everyone, territorial

OFFICERS = (ADMIN, PROVINCE_OFFICER, LOCAL_OFFICER)


def _campaign(w, t):
    return w.campaign_own if t is w.own else w.campaign_far


def _job(w, t):
    """A finished invitations job of the territory's event, asked for by someone outside the matrix."""
    from pathlib import Path

    from flask import current_app

    from portal.extensions import db
    from portal.jobs.models import Job

    folder = Path(current_app.instance_path) / "jobs"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"matrix-{t.event.id}.pdf"
    path.write_bytes(b"%PDF-1.4 matrix")
    job = Job(kind="invitations", status="done", backend="local", params={}, event_id=t.event.id,
              progress_done=1, progress_total=1, message="Đã xong.", result_path=f"jobs/{path.name}",
              result_name="giay-moi.pdf", result_size=path.stat().st_size, result_sha256="0" * 64)
    db.session.add(job)
    db.session.commit()
    return job


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
    "documents.leaflet_pdf": Route("GET", lambda w, t: f"/events/{t.event.id}/print/leaflet.pdf?audience=ethnic",
                                   territorial(*OFFICERS)),
    "documents.leaflet_audience": Route("POST", lambda w, t: f"/events/{t.event.id}/leaflet-audience",
                                        territorial(*OFFICERS), data={"audience": "low_income"}),
    "documents.report_pdf": Route("GET", lambda w, t: f"/events/{t.event.id}/print/report.pdf",
                                  territorial(*OFFICERS)),
    "documents.invitations_job": Route("POST", lambda w, t: f"/events/{t.event.id}/print/invitations-job",
                                       territorial(*OFFICERS)),
    "documents.campaign_leaflets_job": Route(
        "POST", lambda w, t: f"/campaigns/{_campaign(w, t).id}/print/leaflets-job", territorial(*OFFICERS)),
    "documents.due_pdf": Route("GET", "/households/due.pdf?kind=stopped&days=", everyone()),
    "jobs.detail": Route("GET", lambda w, t: f"/jobs/{_job(w, t).id}", territorial(*OFFICERS)),
    "jobs.download": Route("GET", lambda w, t: f"/jobs/{_job(w, t).id}/download", territorial(*OFFICERS)),
}
