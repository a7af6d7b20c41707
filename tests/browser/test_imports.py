"""An import page end to end in a browser: a file above the threshold is checked by a job while the page polls,
the report replaces the progress by itself, and the confirmation is written by a job before the page moves on."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from portal.auth import roles
from portal.core import imports
from portal.extensions import db
from portal.jobs import runner

from .. import factories


@pytest.fixture
def queued(app, monkeypatch):
    """Files go to jobs, which wait until the test runs them (as a worker would, later)."""
    monkeypatch.setitem(app.config, "IMPORT_INLINE_MAX_BYTES", 0)
    waiting: list[int] = []
    monkeypatch.setattr(imports._queue, "submit", waiting.append)
    return waiting


def run_job(job_id: int) -> None:
    """What a worker does, from a fresh transaction (the job was queued by the server's own connection)."""
    db.session.rollback()
    runner.run_job(job_id)


def _file(tmp_path, hamlet: str):
    wb = Workbook()
    for row in (["Họ và tên", "Ngày sinh", "Giới tính", "Thôn/Tổ", "Địa chỉ", "Quan hệ với chủ hộ"],
                ["Lò Văn Pọm", "05/03/1970", "Nam", hamlet, "Nhà 3", "Chủ hộ"],
                ["Lò Thị Dợ", "12/08/1975", "Nữ", hamlet, "Nhà 3", "Vợ"]):
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    path = tmp_path / "danh-sach.xlsx"
    path.write_bytes(buffer.getvalue())
    return path


def test_household_import_waits_for_its_job_then_confirms(page, world, queued, tmp_path):
    officer = world.users[roles.LOCAL_OFFICER]
    page.login(officer.username, factories.DEFAULT_PASSWORD)
    p = page.page
    page.goto(f"/households/import?commune={world.own.commune.id}")
    p.set_input_files("form.import-upload input[type=file]", str(_file(tmp_path, world.own.hamlet.name)))
    p.click("form.import-upload button[type=submit]")
    p.locator('#import-status[data-state="checking"]').wait_for()
    assert "danh-sach.xlsx" in p.inner_text("#import-status")
    page.screenshot("import-checking")

    run_job(queued[0])  # the worker checks the file; the page's next poll shows the report
    p.locator('#import-status[data-state="ready"]').wait_for()
    assert "Mới: 2" in p.inner_text(".import-counts")
    page.screenshot("import-report")
    p.set_viewport_size({"width": 360, "height": 740})
    page.screenshot("import-report-phone")
    p.set_viewport_size({"width": 1280, "height": 800})

    p.click("form.import-confirm button[name=confirm]")
    p.locator('#import-status[data-state="checking"]').wait_for()
    run_job(queued[1])  # the worker writes it; the page's next poll moves on to the list
    p.wait_for_url("**/households/?commune=*", wait_until="commit")
    p.locator(".flash").first.wait_for()
    assert "Đã lưu 2 người." in p.inner_text("main")
    assert "Lò Thị Dợ" in p.inner_text("#results")


def test_cancel_from_the_report(page, world, queued, tmp_path):
    officer = world.users[roles.LOCAL_OFFICER]
    page.login(officer.username, factories.DEFAULT_PASSWORD)
    p = page.page
    page.goto(f"/households/import?commune={world.own.commune.id}")
    p.set_input_files("form.import-upload input[type=file]", str(_file(tmp_path, world.own.hamlet.name)))
    p.click("form.import-upload button[type=submit]")
    p.locator('#import-status[data-state="checking"]').wait_for()
    run_job(queued[0])
    p.locator('#import-status[data-state="ready"]').wait_for()
    p.click("form.import-confirm + form.import-cancel button[name=cancel]")
    p.wait_for_url(f"**/households/import?commune={world.own.commune.id}", wait_until="commit")
    p.locator(".flash").first.wait_for()
    assert p.locator("#import-status[data-state]").count() == 0
