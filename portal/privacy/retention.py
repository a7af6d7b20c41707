"""Retention: how long each kind of record is kept, and the run that deletes what is past it.

Each rule reads one setting (``instance/config.py`` may override the defaults below; 0 turns a rule off). A run
counts what is past retention, deletes it unless it is a dry run, and records a
:class:`~portal.privacy.models.RetentionRun` and an audit entry. Database rows are deleted in one transaction;
files are removed after it commits, so a file can outlive its row but never the other way round.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select

from ..audit import services as audit
from ..audit.models import AuditEntry
from ..auth.models import LoginThrottle
from ..extensions import db
from ..jobs.models import Job
from ..jobs.services import RESULTS_FOLDER
from ..storage import AREAS, Storage, check_key, pdf_cache, storage
from ..types import utcnow
from .audit_guard import allow_audit_purge, end_audit_purge
from .models import RetentionRun


@dataclass(frozen=True)
class Rule:
    """One kind of record and how long it is kept."""

    key: str
    setting: str
    default: int
    unit: str  #: "years", "days" or "hours"
    label: object
    description: object


RULES = (
    Rule("audit_log", "RETENTION_AUDIT_YEARS", 5, "years", _l("Audit log"),
         _l("Who did what: kept for this many years, then deleted by the retention run only.")),
    Rule("login_throttles", "RETENTION_LOGIN_THROTTLE_DAYS", 1, "days", _l("Failed sign-in counters"),
         _l("Counters of failed sign-ins per account and address, once no longer blocking.")),
    Rule("print_jobs", "RETENTION_PRINT_JOB_DAYS", 7, "days", _l("Finished print jobs"),
         _l("Background print jobs and their PDF files, counted from when they finished.")),
    Rule("pending_uploads", "RETENTION_PENDING_UPLOAD_HOURS", 24, "hours", _l("Uploads awaiting confirmation"),
         _l("Import files kept between the preview and its confirmation.")),
    Rule("pdf_cache", "RETENTION_PDF_CACHE_DAYS", 30, "days", _l("Cached printed documents"),
         _l("PDFs kept to print the same document again quickly (they hold names), counted from their last use.")),
    Rule("backups", "RETENTION_BACKUP_DAYS", 35, "days", _l("Backup archives"),
         _l("Archives in instance/backups (the newest is always kept); erased data leaves the backups with them.")),
)


def setting(rule: Rule) -> int:
    """The value in force for a rule (0: the rule is off)."""
    return int(current_app.config.get(rule.setting, rule.default) or 0)


def settings() -> list[dict[str, Any]]:
    """Every rule with its value in force and whether it differs from the default (for the admin page)."""
    return [{"rule": rule, "value": setting(rule), "default": rule.default,
             "overridden": setting(rule) != rule.default} for rule in RULES]


def cutoff(rule: Rule, now: datetime) -> datetime | None:
    """Records older than this are past retention (None: the rule is off)."""
    value = setting(rule)
    if value <= 0:
        return None
    if rule.unit == "years":
        try:
            return now.replace(year=now.year - value)
        except ValueError:  # 29 February
            return now.replace(year=now.year - value, day=28)
    return now - (timedelta(days=value) if rule.unit == "days" else timedelta(hours=value))


#: Files to delete once the run's transaction has committed: (store, key).
Doomed = list[tuple[Storage, str]]


def _old_files(store: Storage, prefix: str, suffix: str | tuple[str, ...], before: datetime, keep_newest: int = 0) -> Doomed:
    files = sorted((e for e in store.list(prefix) if e.key.endswith(suffix)), key=lambda e: e.modified)
    if keep_newest:
        files = files[:-keep_newest]
    return [(store, e.key) for e in files if e.modified < before]


def _audit_log(before: datetime, dry_run: bool, files: Doomed) -> int:
    count = db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.at < before))
    if count and not dry_run:
        allow_audit_purge(db.session.connection())
        db.session.execute(delete(AuditEntry).where(AuditEntry.at < before))
        end_audit_purge(db.session.connection())
    return count or 0


def _login_throttles(before: datetime, dry_run: bool, files: Doomed) -> int:
    now = utcnow()
    clause = (LoginThrottle.window_start < before) & or_(LoginThrottle.blocked_until.is_(None),
                                                         LoginThrottle.blocked_until < now)
    count = db.session.scalar(select(func.count()).select_from(LoginThrottle).where(clause))
    if count and not dry_run:
        db.session.execute(delete(LoginThrottle).where(clause))
    return count or 0


def _print_jobs(before: datetime, dry_run: bool, files: Doomed) -> int:
    clause = Job.status.in_(("done", "failed")) & (Job.finished_at < before)
    rows = db.session.execute(select(Job.id, Job.result_path).where(clause)).all()
    store = storage()
    for _id, result_path in rows:
        if result_path and result_path.startswith(RESULTS_FOLDER + "/"):
            try:
                files.append((store, check_key(result_path)))
            except ValueError:
                continue
    if rows and not dry_run:
        db.session.execute(delete(Job).where(Job.id.in_([r.id for r in rows])))
    return len(rows)


def _pending_uploads(before: datetime, dry_run: bool, files: Doomed) -> int:
    found = _old_files(storage(), "uploads/pending/", ".bin", before)
    files.extend(found)
    return len(found)


def _pdf_cache(before: datetime, dry_run: bool, files: Doomed) -> int:
    found = [(store, key) for store, key in _old_files(pdf_cache(), "", ".pdf", before) if "/" in key]
    files.extend(found)
    return len(found)


def _backups(before: datetime, dry_run: bool, files: Doomed) -> int:
    found = [(store, key) for store, key in _old_files(storage(), "backups/", AREAS["backups/"], before, keep_newest=1)
             if key.count("/") == 1]
    files.extend(found)
    return len(found)


_APPLY: dict[str, Callable[[datetime, bool, Doomed], int]] = {
    "audit_log": _audit_log, "login_throttles": _login_throttles, "print_jobs": _print_jobs,
    "pending_uploads": _pending_uploads, "pdf_cache": _pdf_cache, "backups": _backups,
}


def apply(*, dry_run: bool = False, username: str | None = None, now: datetime | None = None) -> RetentionRun:
    """Delete (or with ``dry_run`` only count) what is past retention; record the run; commit."""
    started = time.perf_counter()
    now = now or datetime.now(UTC)
    results: dict[str, Any] = {}
    files: Doomed = []
    for rule in RULES:
        before = cutoff(rule, now)
        if before is None:
            results[rule.key] = {"setting": rule.setting, "value": 0, "cutoff": None, "count": 0}
            continue
        count = _APPLY[rule.key](before, dry_run, files)
        results[rule.key] = {"setting": rule.setting, "value": setting(rule),
                             "cutoff": before.isoformat(timespec="seconds"), "count": count}
    run = RetentionRun(started_at=now, dry_run=dry_run, username=username, results=results)
    db.session.add(run)
    db.session.flush()
    audit.record("retention.apply", obj=run, object_type="retention_run", username=username,
                 details={"dry_run": dry_run, **{k: v["count"] for k, v in results.items()}})
    run.finished_at = now + timedelta(seconds=time.perf_counter() - started)
    db.session.commit()
    if not dry_run:
        for store, key in files:
            store.delete(key)
    return run


def last_runs(limit: int = 10) -> list[RetentionRun]:
    """The most recent runs, newest first."""
    return list(db.session.scalars(select(RetentionRun).order_by(RetentionRun.started_at.desc(),
                                                                 RetentionRun.id.desc()).limit(limit)))
