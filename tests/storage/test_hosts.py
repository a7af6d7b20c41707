"""Several hosts that share only PostgreSQL (and Redis): three apps on the suite's database, each with an
instance folder of its own and ``STORAGE = "database"``. What one host keeps, the others serve."""

from __future__ import annotations

import hashlib
import io
import os
import uuid
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from portal.extensions import db
from portal.households.models import Person
from portal.jobs.models import Job
from portal.results.models import Evidence

from ..conftest import TEST_DATABASE_URL, AuthActions, PortalClient, make_test_app
from ..printing.helpers import invite_many

pytestmark = [pytest.mark.real_commits,  # other connections, processes and app instances read what is written
              pytest.mark.skipif(not TEST_DATABASE_URL, reason="the shared store is PostgreSQL's "
                                                               "(TEST_DATABASE_URL)")]
REDIS_URL = "redis://127.0.0.1:6379/5"
SESSION_COOKIE = "portal_session"


@pytest.fixture
def hosts(app, database_url, tmp_path):
    """Web hosts "a" and "b" and worker host "c": apps on the same database with instance folders of their own."""
    previous = os.environ.get("PORTAL_INSTANCE_PATH")
    made = {}
    for name in ("a", "b", "c"):
        host = make_test_app(database_url, str(tmp_path / f"host-{name}"), STORAGE="database")
        host.test_client_class = PortalClient
        made[name] = host
    if previous:
        os.environ["PORTAL_INSTANCE_PATH"] = previous
    yield made
    for host in made.values():
        with host.app_context():
            db.engine.dispose()


def _same_session(source: PortalClient, target: PortalClient) -> None:
    """The balancer sends the browser's next request to another host: the same cookie arrives there."""
    target.set_cookie(SESSION_COOKIE, source.get_cookie(SESSION_COOKIE).value)


def _files_in(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()
                  and p.name != "config.py")


def test_evidence_uploaded_on_one_host_is_served_by_another(hosts, world, tmp_path):
    a, b = hosts["a"].test_client(), hosts["b"].test_client()
    AuthActions(a).login(world.users["local_officer"])
    scan = b"%PDF-1.4 signed attendance sheet " + os.urandom(64)
    event = world.own.event
    response = a.post(f"/events/{event.id}/results/evidence", content_type="multipart/form-data",
                      data={"kind": "attendance", "file": (io.BytesIO(scan), "danh-sach.pdf")})
    assert response.status_code == 303
    evidence = db.session.scalar(select(Evidence).where(Evidence.original_name == "danh-sach.pdf",
                                                        Evidence.uploaded_by_id.is_not(None)))
    _same_session(a, b)
    response = b.get(f"/events/{event.id}/evidence/{evidence.id}")
    assert response.status_code == 200 and response.data == scan
    assert response.headers["Content-Length"] == str(len(scan))
    assert "attachment" in response.headers["Content-Disposition"]
    # Neither host kept it in its own folder.
    assert not [f for f in _files_in(tmp_path) if "evidence" in f]


@pytest.fixture
def rq_queue():
    """A fresh RQ queue on Redis database 5, removed afterwards."""
    redis = pytest.importorskip("redis")
    rq = pytest.importorskip("rq")
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail("Redis is not running on 127.0.0.1:6379; the RQ tests are required under CI=true")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    queue = rq.Queue(f"portal-hosts-{uuid.uuid4().hex[:8]}", connection=connection)
    yield queue
    queue.delete(delete_jobs=True)
    connection.close()


def test_a_print_job_started_on_one_host_run_by_a_worker_and_downloaded_from_the_first(hosts, world, rq_queue):
    from rq import SimpleWorker

    for host in hosts.values():
        host.config.update(JOBS_RUNNER="rq", REDIS_URL=REDIS_URL, RQ_QUEUE=rq_queue.name, PRINT_PROCESSES=1)
    invite_many(world.own.event, world.own.hamlet, ["Lê Văn An", "Hà Thị Mai", "Đỗ Thị Ánh"], world.own.agent)
    a, b = hosts["a"].test_client(), hosts["b"].test_client()
    AuthActions(a).login(world.users["local_officer"])
    response = a.post(f"/events/{world.own.event.id}/print/invitations-job")
    assert response.status_code == 303
    job_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    assert rq_queue.count == 1
    # The worker host takes it from the queue and runs it in its own app.
    with hosts["c"].app_context():
        SimpleWorker([rq_queue], connection=rq_queue.connection).work(burst=True)
    db.session.rollback()
    job = db.session.get(Job, job_id)
    assert job.status == "done", job.message
    # Progress on the other web host, the file from the first.
    _same_session(a, b)
    assert f"/jobs/{job_id}/download" in b.get(f"/jobs/{job_id}").get_data(as_text=True)
    response = a.get(f"/jobs/{job_id}/download")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert hashlib.sha256(response.data).hexdigest() == job.result_sha256 and len(response.data) == job.result_size
    # The worker made it in its scratch folder and left nothing behind there.
    assert not [p for p in (Path(hosts["c"].instance_path) / "tmp").rglob("*") if p.is_file()]


def _xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_import_previewed_on_one_host_is_confirmed_on_another(hosts, world):
    a, b = hosts["a"].test_client(), hosts["b"].test_client()
    AuthActions(a).login(world.users["local_officer"])
    commune = world.own.commune
    data = _xlsx([["Họ và tên", "Ngày sinh", "Giới tính", "Thôn/Tổ", "Quan hệ với chủ hộ"],
                  ["Lò Văn Pọm", "05/03/1970", "Nam", world.own.hamlet.name, "Chủ hộ"],
                  ["Lò Thị Dợ", "01/01/1975", "Nữ", world.own.hamlet.name, "Vợ"]])
    url = f"/households/import?commune={commune.id}"
    preview = a.post(url, data={"commune": str(commune.id), "file": (io.BytesIO(data), "ra-soat.xlsx")},
                     content_type="multipart/form-data")
    assert preview.status_code == 200 and 'name="confirm"' in preview.get_data(as_text=True)
    before = db.session.scalar(select(func.count()).select_from(Person))
    _same_session(a, b)
    assert b.post(url, data={"commune": str(commune.id), "confirm": "1"}).status_code == 303
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Person)) == before + 2


def test_the_pdf_cache_is_shared(hosts, world):
    from portal.printing import renderer

    officer = world.users["local_officer"]
    a, b = hosts["a"].test_client(), hosts["b"].test_client()
    AuthActions(a).login(officer)
    first = a.get(f"/events/{world.own.event.id}/print/attendance.pdf")
    assert first.status_code == 200
    with hosts["b"].app_context():
        cached = [e.key for e in renderer().cache.list()]
    assert len(cached) == 1  # host b sees what host a rendered
    _same_session(a, b)
    assert b.get(f"/events/{world.own.event.id}/print/attendance.pdf").data == first.data


def test_a_database_store_refuses_sqlite(tmp_path):
    from portal.storage import StorageMisconfigured

    with pytest.raises(StorageMisconfigured, match="PostgreSQL"):
        make_test_app(f"sqlite:///{tmp_path}/x.sqlite3", str(tmp_path / "i"), STORAGE="database")
    with pytest.raises(StorageMisconfigured, match="one of"):
        make_test_app(f"sqlite:///{tmp_path}/x.sqlite3", str(tmp_path / "i"), STORAGE="nfs")
