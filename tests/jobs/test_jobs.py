"""Background print jobs: the job page and its polling, downloads, scope, failures; the local pool and RQ."""

from __future__ import annotations

import hashlib
import io
import os
import time
import uuid
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.extensions import db
from portal.jobs import services
from portal.jobs.models import Job

from .. import factories
from ..printing.helpers import invite_many, seed_policy

REDIS_URL = "redis://127.0.0.1:6379/12"  # a database of its own; the queue name is unique per test too


def _start(client, event) -> int:
    response = client.post(f"/events/{event.id}/print/invitations-job")
    assert response.status_code == 303 and "/jobs/" in response.headers["Location"]
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def _wait(job_id: int, seconds: float = 240) -> Job:
    """Until a job stops (the worker is another process; this is no timing assertion)."""
    deadline = time.monotonic() + seconds
    while True:
        db.session.rollback()
        job = db.session.get(Job, job_id)
        if job.finished or time.monotonic() > deadline:
            return job
        time.sleep(0.5)


def _pages(data: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]


def test_all_invitations_job_page_and_audited_download(client, auth, world, app):
    invite_many(world.own.event, world.own.hamlet, ["Lê Văn An", "Đỗ Thị Ánh", "Trần Thị Bình"], world.own.agent)
    officer = world.users["local_officer"]
    auth.login(officer)
    job_id = _start(client, world.own.event)  # runs inline under TESTING
    job = db.session.get(Job, job_id)
    assert (job.status, job.progress_done, job.progress_total, job.requested_by_id) == ("done", 4, 4, officer.id)
    assert job.result_path.startswith("jobs/") and job.result_name.endswith(".pdf")
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "hx-trigger" not in page and f"/jobs/{job_id}/download" in page
    with client.get(f"/jobs/{job_id}/download") as response:
        assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
        data = response.data
    assert hashlib.sha256(data).hexdigest() == job.result_sha256 and len(data) == job.result_size
    pages = _pages(data)
    assert len(pages) == 4 and all("GIẤY MỜI" in p.upper() for p in pages)
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"job.create", "print.invitations", "job.download"} <= actions


def test_progress_polls_until_the_job_stops(client, auth, world):
    officer = world.users["local_officer"]
    job = Job(kind="invitations", status="running", backend="local", params={}, event_id=world.own.event.id,
              requested_by_id=officer.id, progress_done=30, progress_total=120, message="Đã in 30/120 giấy mời…")
    db.session.add(job)
    db.session.commit()
    auth.login(officer)
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert 'hx-trigger="every 1s"' in page and 'id="job-status"' in page and 'value="25"' in page
    fragment = client.htmx_get(f"/jobs/{job.id}", target="job-status").get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="job-status"') and "<html" not in fragment
    services.fail(job.id, "Hết dung lượng đĩa.")
    fragment = client.htmx_get(f"/jobs/{job.id}", target="job-status").get_data(as_text=True)
    assert "hx-trigger" not in fragment and "Hết dung lượng đĩa." in fragment and 'role="alert"' in fragment
    assert client.get(f"/jobs/{job.id}/download").status_code == 404


def test_failure_reason_and_a_lost_worker(client, auth, world):
    officer = world.users["local_officer"]
    empty = factories.make_event(world.own.commune, world.own.office, title="Hội nghị chưa mời ai")
    job = services.create("invitations", user=officer, event=empty, params={"base_url": "http://x/"})
    db.session.commit()
    services.enqueue(job)
    job = _wait(job.id, 5)
    assert job.status == "failed" and "Chưa có hộ nào được mời" in job.message
    lost = Job(kind="invitations", status="running", backend="local", params={}, event_id=world.own.event.id,
               requested_by_id=officer.id, progress_total=10, message="Đang xử lý…")
    db.session.add(lost)
    db.session.flush()
    lost.started_at = lost.created_at = lost.created_at - services.STALE_AFTER * 2
    db.session.commit()
    auth.login(officer)
    page = client.get(f"/jobs/{lost.id}").get_data(as_text=True)
    assert "bị gián đoạn" in page and "hx-trigger" not in page


def test_scope_of_a_job(client, auth, world):
    job = Job(kind="invitations", status="done", backend="local", params={}, event_id=world.own.event.id,
              requested_by_id=world.users["local_officer"].id, progress_total=1, progress_done=1)
    db.session.add(job)
    db.session.commit()
    near_officer = factories.make_user("local_officer", office_id=world.near.office.id)
    auth.login(near_officer)
    assert client.get(f"/jobs/{job.id}").status_code == 404
    auth.logout()
    auth.login(world.users["province_officer"])  # officers of the territory see it
    assert client.get(f"/jobs/{job.id}").status_code == 200
    auth.logout()
    auth.login(world.users["viewer"])
    assert client.get(f"/jobs/{job.id}").status_code == 403


def test_campaign_leaflets_for_every_event(client, auth, world):
    seed_policy()
    campaign = world.campaign_own
    for event, audience in ((world.own.event, "ethnic"), (world.near.event, None)):
        event.campaign_id = campaign.id
        event.leaflet_audience = audience
    db.session.commit()
    auth.login(world.users["local_officer"])
    detail = client.get(f"/campaigns/{campaign.id}").get_data(as_text=True)
    assert f"/campaigns/{campaign.id}/print/leaflets-job" in detail
    response = client.post(f"/campaigns/{campaign.id}/print/leaflets-job")
    job = db.session.get(Job, int(response.headers["Location"].rsplit("/", 1)[1]))
    assert job.status == "done" and job.params["event_ids"] == [world.own.event.id]  # only the officer's events
    with client.get(f"/jobs/{job.id}/download") as download:
        pages = _pages(download.data)
    assert len(pages) == 1 and "già có lương hưu" in pages[0]  # the variant chosen for that event
    auth.logout()
    auth.login(world.users["province_officer"])
    job_id = int(client.post(f"/campaigns/{campaign.id}/print/leaflets-job").headers["Location"].rsplit("/", 1)[1])
    assert db.session.get(Job, job_id).progress_total == 2


@pytest.mark.real_commits  # the worker processes read the job from the database
def test_local_process_pool(client, auth, world, app):
    invite_many(world.own.event, world.own.hamlet, [f"Nguyễn Văn {n}" for n in range(12)], world.own.agent)
    app.config.update(JOBS_RUNNER="local", JOBS_PER_CHUNK=5)
    try:
        auth.login(world.users["local_officer"])
        job_id = _start(client, world.own.event)
        job = _wait(job_id)
        assert job.status == "done", job.message
        assert job.backend == "local" and job.progress_done == 13 and job.started_at is not None
        with client.get(f"/jobs/{job_id}/download") as response:
            assert len(_pages(response.data)) == 13
    finally:
        app.config.pop("JOBS_RUNNER")
        app.config.pop("JOBS_PER_CHUNK")
        runner = app.extensions.pop("portal_jobs_local", None)
        if runner is not None:
            runner.shutdown()


@pytest.fixture
def rq_queue(app):
    """A fresh RQ queue on a Redis database of the tests, removed afterwards."""
    redis = pytest.importorskip("redis")
    rq = pytest.importorskip("rq")
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail("Redis is not running on 127.0.0.1:6379; the RQ tests are required under CI=true")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    name = f"portal-test-{uuid.uuid4().hex[:8]}"
    app.config.update(JOBS_RUNNER="rq", REDIS_URL=REDIS_URL, RQ_QUEUE=name)
    queue = rq.Queue(name, connection=connection)
    yield queue
    queue.delete(delete_jobs=True)
    for key in ("JOBS_RUNNER", "REDIS_URL", "RQ_QUEUE"):
        app.config.pop(key, None)
    app.extensions.pop("portal_jobs_rq", None)
    connection.close()


def test_rq_queue_and_worker(client, auth, world, rq_queue):
    from rq import SimpleWorker

    invite_many(world.own.event, world.own.hamlet, ["Lê Văn An", "Hà Thị Mai"], world.own.agent)
    auth.login(world.users["local_officer"])
    job_id = _start(client, world.own.event)
    job = db.session.get(Job, job_id)
    assert (job.backend, job.status) == ("rq", "queued") and rq_queue.count == 1
    waiting = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert 'hx-trigger="every 1s"' in waiting
    SimpleWorker([rq_queue], connection=rq_queue.connection).work(burst=True)
    job = _wait(job_id, 5)
    assert job.status == "done" and job.progress_done == 3 and rq_queue.count == 0
    assert Path(job.result_path).suffix == ".pdf"


def test_worker_command(runner, app):
    app.config.pop("REDIS_URL", None)
    result = runner.invoke(args=["worker", "--burst"])
    assert result.exit_code != 0 and "REDIS_URL is not set" in result.output


def test_job_messages_come_from_the_catalogue_in_the_askers_language(world):
    from flask_babel import force_locale

    officer = world.users["local_officer"]
    with force_locale("en"):
        english = services.create("invitations", user=officer, event=world.own.event, params={})
    vietnamese = services.create("invitations", user=officer, event=world.own.event, params={})
    assert (english.message, vietnamese.message) == ("Waiting for its turn…", "Đang chờ đến lượt xử lý…")
    db.session.rollback()
