"""A job's page with its progress (polled by htmx until it stops) and the download of its file."""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from ..audit import services as audit
from ..auth.roles import OFFICERS, roles_required
from ..auth.scope import current_scope
from ..campaigns.models import Campaign
from ..core.rendering import render_page
from ..database import begin_write
from ..events.models import Event
from ..extensions import db
from ..storage import send_stored
from . import services
from .blueprint import bp
from .models import Job


def load(job_id: int) -> Job:
    """A job its asker may see, or officers of the territory it is for; 404 for anyone else."""
    job = db.session.get(Job, job_id)
    if job is None:
        abort(404)
    if job.requested_by_id == current_user.id:
        return job
    visible = db.session.scalar(select(Job.id).where(Job.id == job_id, Job.scope_clause(current_scope())))
    if visible is None:
        abort(404)
    return job


def _context(job: Job) -> dict:
    event = db.session.get(Event, job.event_id) if job.event_id else None
    campaign = db.session.get(Campaign, job.campaign_id) if job.campaign_id else None
    return {"job": job, "event": event, "campaign": campaign}


@bp.get("/<int:job_id>")
@roles_required(OFFICERS)
def detail(job_id: int):
    """The job's progress; htmx polls the status block every second until the job is done or failed."""
    job = load(job_id)
    if services.is_stale(job):  # polls only read; the rare write takes the write lock first
        begin_write()
        services.expire_stale(job)
    return render_page("jobs/detail.html", _context(job), fragment="job_status")


@bp.get("/<int:job_id>/download")
@roles_required(OFFICERS)
def download(job_id: int):
    """The finished file (audited: it holds personal data)."""
    job = load(job_id)
    key = services.result_key(job)
    if key is None:
        abort(404)
    begin_write()
    audit.record("job.download", obj=job, object_type="job", details={"kind": job.kind, "size": job.result_size})
    db.session.commit()
    response = send_stored(key, mimetype="application/pdf", download_name=job.result_name or f"job-{job.id}.pdf",
                           max_age=0)
    if response is None:
        abort(404)
    response.headers["Cache-Control"] = "no-store"
    return response
