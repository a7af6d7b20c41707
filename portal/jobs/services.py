"""Writing job rows: create and queue a job, report progress, finish with a file or fail with a reason.

Progress and outcome are written by the worker (a local process or an RQ worker) in short transactions of
their own, so the job page sees them at once. Messages are Vietnamese, shown to the user as they are.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta
from pathlib import Path

from flask import current_app
from flask_babel import pgettext
from sqlalchemy import select, update

from ..audit import services as audit
from ..database import begin_write
from ..extensions import db
from ..storage import check_key, scratch_dir, storage
from ..types import utcnow
from .models import Job

log = logging.getLogger(__name__)

#: A job that has not finished this long after it was queued or started is taken as lost (its worker stopped).
STALE_AFTER = timedelta(minutes=60)
#: Key prefix of finished files in the store (portal.storage): "jobs/<random>.pdf".
RESULTS_FOLDER = "jobs"


def create(kind: str, *, user, event=None, campaign=None, params: dict | None = None, total: int = 0,
           message: str | None = None) -> Job:
    """A queued job row (the caller commits, then calls :func:`enqueue`)."""
    from .runner import backend_name

    job = Job(kind=kind, status="queued", backend=backend_name(current_app), params=params or {},
              event_id=event.id if event is not None else None,
              campaign_id=campaign.id if campaign is not None else None,
              requested_by_id=user.id if user is not None else None, progress_total=total, progress_done=0,
              message=message or pgettext("job", "Waiting for its turn…"))
    db.session.add(job)
    db.session.flush()
    audit.record("job.create", obj=job, object_type="job", details={"kind": kind, **(params_summary(params))})
    return job


def params_summary(params: dict | None) -> dict:
    """What of a job's parameters goes into the audit log (no URLs, no lists of ids)."""
    return {k: v for k, v in (params or {}).items() if k in ("audience", "agent_id", "events")}


def enqueue(job: Job) -> None:
    """Hand a committed job to its runner (an inline runner runs it now)."""
    from .runner import runner_for

    runner_for(current_app).submit(job.id)


def _write(job_id: int, **values) -> None:
    db.session.execute(update(Job).where(Job.id == job_id).values(**values))
    db.session.commit()


def start(job_id: int) -> Job | None:
    """Mark a job running; None if it is gone or already finished (queued twice, or cancelled)."""
    job = db.session.get(Job, job_id)
    if job is None or job.status in ("done", "failed"):
        db.session.rollback()
        return None
    _write(job_id, status="running", started_at=utcnow(), message=pgettext("job", "Working…"))
    db.session.refresh(job)
    return job


def progress(job_id: int, done: int, total: int, message: str | None = None) -> None:
    """Record how far a job has got."""
    values = {"progress_done": max(0, done), "progress_total": max(0, total)}
    if message:
        values["message"] = message
    _write(job_id, **values)


def finish(job_id: int, path: Path, name: str, message: str | None = None) -> None:
    """Store a job's finished file (made at ``path`` on this host; moved into the store) and record it."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    size = path.stat().st_size
    key = f"{RESULTS_FOLDER}/{path.name}"
    storage().put_file(key, path, move=True)
    job = db.session.get(Job, job_id)
    done = job.progress_total if job is not None else 0
    _write(job_id, status="done", finished_at=utcnow(), result_path=key, result_name=name,
           result_size=size, result_sha256=digest.hexdigest(), progress_done=done,
           message=message or pgettext("job", "Done."))


def complete(job_id: int, message: str) -> None:
    """Record that a job without a file (an import) has finished, in the transaction of what it wrote."""
    _write(job_id, status="done", finished_at=utcnow(), message=message[:1000])


def fail(job_id: int, reason: str) -> None:
    """Record why a job stopped (Vietnamese, shown to the user)."""
    db.session.rollback()
    _write(job_id, status="failed", finished_at=utcnow(), message=reason[:1000])


def new_result_path(suffix: str = ".pdf") -> Path:
    """A fresh random file name on this host where a job makes its file (:func:`finish` stores it)."""
    return scratch_dir() / f"{secrets.token_hex(16)}{suffix}"


def result_key(job: Job) -> str | None:
    """The storage key of the job's finished file, if the file is there and among the job results."""
    if job.status != "done" or not job.result_path:
        return None
    try:
        key = check_key(job.result_path)
    except ValueError:
        return None
    if not key.startswith(RESULTS_FOLDER + "/") or not storage().exists(key):
        return None
    return key


def is_stale(job: Job) -> bool:
    """Whether a job that has not finished was queued or started so long ago that its worker must be gone."""
    since = job.started_at or job.created_at
    return not job.finished and since is not None and utcnow() - since >= STALE_AFTER


def expire_stale(job: Job) -> bool:
    """Fail a job whose worker went away (nothing finished it long after it was queued); True if it did."""
    if not is_stale(job):
        return False
    fail(job.id, pgettext("job", "The job was interrupted (its worker stopped). Please create it again."))
    db.session.refresh(job)
    return True


def recent_for(user, *, event=None, campaign=None, limit: int = 5) -> list[Job]:
    """The user's latest jobs for an event or a campaign."""
    stmt = select(Job).where(Job.requested_by_id == user.id)
    if event is not None:
        stmt = stmt.where(Job.event_id == event.id)
    if campaign is not None:
        stmt = stmt.where(Job.campaign_id == campaign.id)
    return list(db.session.scalars(stmt.order_by(Job.created_at.desc(), Job.id.desc()).limit(limit)))


class ImportQueue:
    """How ``portal.core.imports`` runs an upload's analysis or writing as a job (installed by the package)."""

    def create(self, kind: str, user, params: dict) -> int:
        begin_write()
        job = create(kind, user=user, params=params, message=pgettext("job", "Waiting for its turn to check the file…"))
        db.session.commit()
        return job.id

    def submit(self, job_id: int) -> None:
        from .runner import runner_for

        runner_for(current_app).submit(job_id)

    def state(self, job_id: int) -> tuple[str, str, int]:
        job = db.session.get(Job, job_id)
        if job is None:
            return "failed", pgettext("job", "The job is no longer in the system. Please upload the file again."), 0
        db.session.refresh(job)
        if is_stale(job):
            begin_write()
            expire_stale(job)
        return job.status, job.message or "", job.percent
