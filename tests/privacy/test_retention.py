"""Retention: what is past its period goes (rows and files), a dry run only counts, every run is recorded."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from portal.audit.models import AuditEntry
from portal.auth.models import LoginThrottle
from portal.extensions import db
from portal.jobs.models import Job
from portal.privacy import retention
from portal.privacy.models import RetentionRun


def _old_file(path: Path, days: float) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x")
    stamp = time.time() - days * 86400
    os.utime(path, (stamp, stamp))
    return path


def _setup(world) -> dict:
    now = datetime.now(UTC)
    db.session.add_all([
        AuditEntry(action="auth.login", at=now - timedelta(days=6 * 366), outcome="success"),
        AuditEntry(action="auth.login", at=now - timedelta(days=4 * 365), outcome="success"),
        LoginThrottle(key="ip:10.0.0.1", failures=3, window_start=now - timedelta(days=3)),
        LoginThrottle(key="ip:10.0.0.2", failures=30, window_start=now - timedelta(days=3),
                      blocked_until=now + timedelta(minutes=5)),
        LoginThrottle(key="ip:10.0.0.3", failures=1, window_start=now - timedelta(minutes=5)),
    ])
    instance = Path(current_app.instance_path)
    old_pdf = _old_file(instance / "jobs" / "old-job.pdf", 10)
    new_pdf = _old_file(instance / "jobs" / "new-job.pdf", 1)
    db.session.add_all([
        Job(kind="invitations", status="done", event_id=world.own.event.id, finished_at=now - timedelta(days=10),
            result_path="jobs/old-job.pdf", params={}),
        Job(kind="invitations", status="done", event_id=world.own.event.id, finished_at=now - timedelta(days=1),
            result_path="jobs/new-job.pdf", params={}),
        Job(kind="invitations", status="running", event_id=world.own.event.id, params={}),
    ])
    db.session.commit()
    files = {
        "old_pdf": old_pdf, "new_pdf": new_pdf,
        "old_upload": _old_file(instance / "uploads" / "pending" / "old.bin", 2),
        "new_upload": _old_file(instance / "uploads" / "pending" / "new.bin", 0.01),
        "old_pdf_cache": _old_file(instance / "cache" / "pdf" / "ab" / "ab12.pdf", 40),
        "new_pdf_cache": _old_file(instance / "cache" / "pdf" / "cd" / "cd34.pdf", 2),
        "oldest_backup": _old_file(instance / "backups" / "portal-a.tar.gz", 60),
        "old_backup": _old_file(instance / "backups" / "portal-b.tar.gz", 50),
    }
    return files


def test_a_dry_run_counts_and_deletes_nothing(app, world, runner):
    files = _setup(world)
    audit_rows = db.session.scalar(select(func.count()).select_from(AuditEntry))
    result = runner.invoke(args=["retention", "apply", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Chạy thử" in result.output and "Sẽ xoá 1" in result.output
    assert all(path.exists() for path in files.values())
    assert db.session.scalar(select(func.count()).select_from(LoginThrottle)) == 3
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == audit_rows + 1  # its own entry
    run = db.session.scalar(select(RetentionRun))
    assert run.dry_run and run.results["audit_log"]["count"] == 1 and run.results["login_throttles"]["count"] == 1
    assert run.results["print_jobs"]["count"] == 1 and run.results["backups"]["count"] == 1  # the newest archive is kept


def test_apply_deletes_what_is_past_retention(app, world, runner):
    files = _setup(world)
    result = runner.invoke(args=["retention", "apply"])
    assert result.exit_code == 0, result.output
    ats = db.session.scalars(select(AuditEntry.at).where(AuditEntry.action == "auth.login")).all()
    assert len(ats) == 1 and ats[0] > datetime.now(UTC) - timedelta(days=5 * 365)
    assert set(db.session.scalars(select(LoginThrottle.key))) == {"ip:10.0.0.2", "ip:10.0.0.3"}
    assert sorted(db.session.scalars(select(Job.status))) == ["done", "running"]
    assert not files["old_pdf"].exists() and files["new_pdf"].exists()
    assert not files["old_upload"].exists() and files["new_upload"].exists()
    assert not files["old_pdf_cache"].exists() and files["new_pdf_cache"].exists()
    # Both backups are past 35 days, but the newest archive is always kept.
    assert not files["oldest_backup"].exists() and files["old_backup"].exists()
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "retention.apply"))
    assert entry.details["audit_log"] == 1 and entry.details["dry_run"] is False


def test_settings_override_the_defaults_and_zero_turns_a_rule_off(app, world):
    _setup(world)
    app.config.update(RETENTION_AUDIT_YEARS=0, RETENTION_LOGIN_THROTTLE_DAYS=7)
    try:
        run = retention.apply(username="test")
        assert run.results["audit_log"] == {"setting": "RETENTION_AUDIT_YEARS", "value": 0, "cutoff": None,
                                            "count": 0}
        assert run.results["login_throttles"]["count"] == 0
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "auth.login")) == 2
    finally:
        app.config.pop("RETENTION_AUDIT_YEARS")
        app.config.pop("RETENTION_LOGIN_THROTTLE_DAYS")


def test_the_page_shows_settings_and_last_runs(client, auth, world, app):
    app.config["RETENTION_PRINT_JOB_DAYS"] = 3
    try:
        auth.login(world.users["admin"])
        empty = client.get("/admin/privacy/retention").get_data(as_text=True)
        assert "RETENTION_AUDIT_YEARS" in empty and "RETENTION_PRINT_JOB_DAYS" in empty
        retention.apply(dry_run=True, username="cli:ops")
        page = client.get("/admin/privacy/retention").get_data(as_text=True)
        assert "cli:ops" in page
        overview = client.get("/admin/privacy/").get_data(as_text=True)
        assert "/admin/privacy/retention" in overview
    finally:
        app.config.pop("RETENTION_PRINT_JOB_DAYS")
