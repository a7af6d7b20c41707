"""The one import flow (portal/core/imports.py) on the household import: a file above the threshold is checked
by a job while the page polls, confirmed by a job that writes it in one transaction; the kept file belongs to
its uploader and page, and is deleted after a confirmation, a cancellation or its expiry."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from portal.audit.models import AuditEntry
from portal.core import imports
from portal.extensions import db
from portal.households.models import Person
from portal.jobs.models import Job
from portal.jobs.runner import run_job
from portal.storage import storage

HEADER = ["Họ và tên", "Ngày sinh", "Giới tính", "Thôn/Tổ", "Địa chỉ", "Quan hệ với chủ hộ"]


def _xlsx(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _people() -> int:
    return db.session.scalar(select(func.count()).select_from(Person))


def _kept(token: str | None = None) -> list[str]:
    """The stored files of one upload (file, report), or every kept file."""
    return [e.key for e in storage().list(imports.PREFIX) if token is None or token in e.key]


def _gone(world, token: str) -> bool:
    """Nothing of the upload is left: neither its file, its report nor its record."""
    user = world.users["local_officer"]
    return _kept(token) == [] and imports.load(user.id, f"households-{world.own.commune.id}") is None


@pytest.fixture
def queued(app, monkeypatch):
    """Every file goes to a job, and jobs wait in a list until the test runs them (as a worker would)."""
    monkeypatch.setitem(app.config, "IMPORT_INLINE_MAX_BYTES", 0)
    waiting: list[int] = []
    monkeypatch.setattr(imports._queue, "submit", waiting.append)
    return waiting


def _upload(client, world, rows):
    url = f"/households/import?commune={world.own.commune.id}"
    return client.post(url, data={"commune": str(world.own.commune.id), "file": (io.BytesIO(_xlsx(rows)), "ds.xlsx")},
                       content_type="multipart/form-data")


def _token(html: str) -> str:
    return re.search(r'name="upload" value="([0-9a-f]{32})"', html).group(1)


def _poll(client, world, token):
    return client.htmx_get(f"/households/import?commune={world.own.commune.id}&upload={token}", target="import-status")


def test_big_file_is_checked_by_a_job_then_written_by_a_job(client, auth, world, queued):
    officer = world.users["local_officer"]
    auth.login(officer)
    hamlet = world.own.hamlet.name
    response = _upload(client, world, [HEADER, ["Lò Văn Pọm", "05/03/1970", "Nam", hamlet, "Nhà 3", "Chủ hộ"],
                                       ["Lò Thị Dợ", "12/08/1975", "Nữ", hamlet, "Nhà 3", "Vợ"]])
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'data-state="checking"' in html and 'hx-trigger="every 1s"' in html
    token = _token(html)
    job = db.session.get(Job, queued[0])
    assert (job.kind, job.status, job.requested_by_id) == ("import_analysis", "queued", officer.id)
    assert "Lò Văn Pọm" not in html  # nothing analysed in the request
    still = _poll(client, world, token).get_data(as_text=True)
    assert "<html" not in still and 'data-state="checking"' in still
    back = client.get(f"/households/import?commune={world.own.commune.id}").get_data(as_text=True)
    assert 'data-state="checking"' in back  # coming back to the page finds the job's upload again

    run_job(queued[0])  # the worker
    ready = _poll(client, world, token)
    html = ready.get_data(as_text=True)
    assert ready.status_code == 200 and "<html" not in html and 'data-state="ready"' in html
    assert "hx-trigger" not in html and 'name="confirm"' in html and "Lò Văn Pọm" in html

    before = _people()
    confirmed = client.post(f"/households/import?commune={world.own.commune.id}&upload={token}",
                            data={"commune": str(world.own.commune.id), "upload": token, "confirm": "1"})
    assert confirmed.status_code == 200 and 'data-state="checking"' in confirmed.get_data(as_text=True)
    writing = db.session.get(Job, queued[1])
    assert writing.kind == "import_apply" and _people() == before  # nothing written in the request
    run_job(queued[1])
    assert _people() == before + 2
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "households.import"))
    assert entry.user_id == officer.id and entry.details["new"] == 2
    done = _poll(client, world, token)
    assert done.status_code == 204 and done.headers["HX-Redirect"].startswith("/households/")
    assert _gone(world, token)  # file, report and record deleted


def test_malformed_file_reports_row_and_column_and_writes_nothing(client, auth, world, queued):
    auth.login(world.users["local_officer"])
    hamlet = world.own.hamlet.name
    before = _people()
    token = _token(_upload(client, world, [HEADER, ["Lò Văn Pọm", "31/02/1970", "Nam", hamlet, "Nhà 3", "Chủ hộ"],
                                           ["Lò Thị Dợ", "12/08/1975", "Nữ", "Thôn Không Có", "", "Vợ"]])
                   .get_data(as_text=True))
    run_job(queued[0])
    report = _poll(client, world, token)
    html = report.get_data(as_text=True)
    assert report.status_code == 422 and 'data-state="refused"' in html
    assert 'row-number">2</td><td>B</td>' in html and 'row-number">3</td><td>D</td>' in html
    assert "ds.xlsx" in html and 'name="confirm"' not in html
    refused = client.post(f"/households/import?commune={world.own.commune.id}",
                          data={"commune": str(world.own.commune.id), "upload": token, "confirm": "1"})
    assert refused.status_code == 422 and len(queued) == 1 and _people() == before


def test_another_user_can_neither_see_nor_confirm_an_upload(client, auth, world, queued):
    auth.login(world.users["local_officer"])
    token = _token(_upload(client, world, [HEADER, ["Lò Văn Pọm", "05/03/1970", "Nam", world.own.hamlet.name,
                                                    "Nhà 3", "Chủ hộ"]]).get_data(as_text=True))
    run_job(queued[0])
    kept = _kept(token)
    auth.logout()
    auth.login(world.users["province_officer"])  # the same commune is in their territory
    seen = client.get(f"/households/import?commune={world.own.commune.id}&upload={token}")
    assert seen.status_code == 303 and "Lò Văn Pọm" not in seen.get_data(as_text=True)
    before = _people()
    confirmed = client.post(f"/households/import?commune={world.own.commune.id}",
                            data={"commune": str(world.own.commune.id), "upload": token, "confirm": "1"})
    assert confirmed.status_code == 303 and _people() == before and len(queued) == 1
    cancelled = client.post(f"/households/import?commune={world.own.commune.id}",
                            data={"commune": str(world.own.commune.id), "upload": token, "cancel": "1"})
    assert cancelled.status_code == 303 and _kept(token) == kept  # their cancel touches nothing of another's


def test_an_upload_belongs_to_its_page(client, auth, world, queued):
    auth.login(world.users["local_officer"])
    token = _token(_upload(client, world, [HEADER, ["Lò Văn Pọm", "05/03/1970", "Nam", world.own.hamlet.name,
                                                    "Nhà 3", "Chủ hộ"]]).get_data(as_text=True))
    run_job(queued[0])
    other = client.get(f"/households/import?commune={world.own.commune2.id}&upload={token}")
    assert other.status_code == 303 and "Lò Văn Pọm" not in other.get_data(as_text=True)


def test_cancel_deletes_the_kept_file(client, auth, world, queued):
    auth.login(world.users["local_officer"])
    token = _token(_upload(client, world, [HEADER, ["Lò Văn Pọm", "05/03/1970", "Nam", world.own.hamlet.name,
                                                    "Nhà 3", "Chủ hộ"]]).get_data(as_text=True))
    run_job(queued[0])
    assert any(key.endswith(f"{token}.bin") for key in _kept(token))
    response = client.post(f"/households/import?commune={world.own.commune.id}&upload={token}",
                           data={"commune": str(world.own.commune.id), "upload": token, "cancel": "1"})
    assert response.status_code == 303 and _gone(world, token)
    gone = client.post(f"/households/import?commune={world.own.commune.id}",
                       data={"commune": str(world.own.commune.id), "upload": token, "confirm": "1"})
    assert gone.status_code == 303 and len(queued) == 1


def test_expired_upload_is_deleted(client, auth, world, app, monkeypatch):
    auth.login(world.users["local_officer"])
    response = _upload(client, world, [HEADER, ["Lò Văn Pọm", "05/03/1970", "Nam", world.own.hamlet.name,
                                                "Nhà 3", "Chủ hộ"]])
    token = _token(response.get_data(as_text=True))
    assert response.status_code == 200 and _kept(token)
    monkeypatch.setattr(imports, "MAX_AGE", -1)
    gone = client.post(f"/households/import?commune={world.own.commune.id}",
                       data={"commune": str(world.own.commune.id), "confirm": "1"})
    assert gone.status_code == 303 and _gone(world, token)
    imports.sweep()  # and whatever anyone left
    assert _kept() == []


def test_a_report_not_signed_by_the_portal_is_never_read(client, auth, world):
    auth.login(world.users["local_officer"])
    token = _token(_upload(client, world, [HEADER, ["Lò Văn Pọm", "05/03/1970", "Nam", world.own.hamlet.name,
                                                    "Nhà 3", "Chủ hộ"]]).get_data(as_text=True))
    key = f"{imports.PREFIX}{token}.report"
    blob = storage().read(key)
    storage().put(key, b"\0" * 32 + blob[32:])
    response = client.get(f"/households/import?commune={world.own.commune.id}&upload={token}")
    assert response.status_code == 303


def test_small_file_is_checked_at_once_without_a_job(client, auth, world):
    auth.login(world.users["local_officer"])
    response = _upload(client, world, [HEADER, ["Lò Văn Pọm", "05/03/1970", "Nam", world.own.hamlet.name,
                                                "Nhà 3", "Chủ hộ"]])
    assert response.status_code == 200 and 'data-state="ready"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Job).where(Job.kind.like("import%"))) == 0
