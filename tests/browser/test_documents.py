"""The Documents tab (leaflet variant, big print runs) and a print job's progress page in a browser."""

from __future__ import annotations

from pathlib import Path

from flask import current_app, g

from portal.auth import roles
from portal.extensions import db
from portal.jobs import services
from portal.jobs.models import Job

from .. import factories


def test_documents_tab_leaflet_variant(page, world):
    username, event_id = world.users[roles.LOCAL_OFFICER].username, world.own.event.id
    db.session.commit()
    page.login(username, factories.DEFAULT_PASSWORD)
    page.goto(f"/events/{event_id}/documents")
    page.page.check("input[name=audience][value=low_income]")
    page.page.click("#leaflet form[action$='leaflet-audience'] button[type=submit]")
    page.page.locator(".flash-success").wait_for()
    assert page.page.is_checked("input[name=audience][value=low_income]")
    page.page.fill("#leaflet-note", "Mang theo căn cước công dân.")
    page.screenshot("documents-tab-leaflet")


def test_job_progress_polls_until_the_file_is_ready(page, world):
    officer = world.users[roles.LOCAL_OFFICER]
    job = Job(kind="invitations", status="running", backend="local", params={}, event_id=world.own.event.id,
              requested_by_id=officer.id, progress_done=40, progress_total=120, message="Đã in 40/120 giấy mời…")
    db.session.add(job)
    db.session.commit()
    # Read what the test needs now, then end the transaction: a read left open would hold SQLite's shared lock
    # against the server's writes while the browser polls.
    job_id, username = job.id, officer.username
    db.session.commit()
    page.login(username, factories.DEFAULT_PASSWORD)
    page.goto(f"/jobs/{job_id}")
    assert page.page.get_attribute("#job-status", "hx-trigger") == "every 1s"
    assert page.page.get_attribute("#job-status progress", "value") == "33"
    page.screenshot("job-progress-running")
    g.sqlite_write = True  # write as a worker does (BEGIN IMMEDIATE)
    services.progress(job_id, 90, 120, "Đã in 90/120 giấy mời…")
    page.page.locator("#job-status progress[value='75']").wait_for()
    folder = Path(current_app.instance_path) / "jobs"
    folder.mkdir(parents=True, exist_ok=True)
    result = folder / f"browser-{job_id}.pdf"
    result.write_bytes(b"%PDF-1.4 browser test")
    services.finish(job_id, result, "giay-moi.pdf", "Đã in xong 120 giấy mời.")
    page.page.locator("#job-status a[href$='/download']").wait_for()
    assert page.page.get_attribute("#job-status", "hx-trigger") is None  # polling stopped
    page.screenshot("job-progress-done")
