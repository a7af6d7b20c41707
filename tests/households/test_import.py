"""Importing a messy real-world file of people and households."""

from __future__ import annotations

import io
import unicodedata

from openpyxl import Workbook
from sqlalchemy import func, select

from portal.extensions import db
from portal.households.models import Household, Person


def _xlsx(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _people() -> int:
    return db.session.scalar(select(func.count()).select_from(Person))


HEADER = ["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD/CMND", "Số điện thoại", "Thôn/Tổ", "Địa chỉ",
          "Quan hệ với chủ hộ", "Ghi chú riêng"]


def test_messy_file_gives_an_exact_report_and_writes_nothing(client, auth, world):
    auth.login(world.users["local_officer"])
    hamlet = world.own.hamlet.name
    data = _xlsx([
        ["DANH SÁCH HỘ GIA ĐÌNH RÀ SOÁT"], ["Xã Nghĩa Lộ Một, năm 2026"], [],
        HEADER,
        [unicodedata.normalize("NFD", "Lò Văn Pọm"), "05/03/1970", "Nam", 1234567890, "+84 912 000 111", hamlet,
         "Nhà 3", "Chủ hộ", "x"],
        ["Lò Thị Dợ", 29285, "Nữ", "", "", hamlet, "Nhà 3", "Vợ", ""],
        ["Lò Văn Sai", "31/02/1990", "Nam", "", "", hamlet, "Nhà 3", "Con", ""],
        ["Lò Văn Cũ", "01/01/1985", "Nam", "123456789", "", hamlet, "Nhà 4", "Chủ hộ", ""],
        ["Lò Thị Dợ", 29285, "Nữ", "", "", hamlet, "Nhà 3", "Vợ", ""],
        ["Lò Văn Lạ", "01/01/1990", "Nam", "", "", "Thôn Không Có", "Nhà 9", "Chủ hộ", ""],
        ["=1+1", "01/01/1990", "Nam", "", "", hamlet, "Nhà 9", "Chủ hộ", ""],
    ])
    before = _people()
    response = client.post(f"/households/import?commune={world.own.commune.id}", data={
        "commune": str(world.own.commune.id), "file": (io.BytesIO(data), "ra-soat.xlsx")},
        content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    for row, column in (("7", "B"), ("8", "D"), ("9", "A"), ("10", "F"), ("11", "A")):
        assert f'row-number">{row}</td><td>{column}</td>' in html, (row, column)
    assert "Ghi chú riêng" in html  # an unused column is named
    assert _people() == before


def test_clean_file_imports_once_and_reimport_changes_nothing(client, auth, world, runner):
    auth.login(world.users["local_officer"])
    hamlet = world.own.hamlet.name
    rows = [HEADER,
            ["Lò Văn Pọm", "05/03/1970", "Nam", 1234567890, "+84 912 000 111", hamlet, "Nhà 3", "Chủ hộ", ""],
            ["Lò Thị Dợ", 29285, "Nữ", "", "", hamlet, "", "Vợ", ""],
            ["Lò Văn Páo", "12/08/2001", "Nam", "", "", hamlet, "", "Con", ""]]
    data = _xlsx(rows)
    url = f"/households/import?commune={world.own.commune.id}"
    form = {"commune": str(world.own.commune.id), "file": (io.BytesIO(data), "ra-soat.xlsx")}
    assert client.post(url, data=form, content_type="multipart/form-data").status_code == 200
    before = _people()
    assert client.post(url, data={"commune": str(world.own.commune.id), "confirm": "1"}).status_code == 303
    assert _people() == before + 3
    head = db.session.scalar(select(Person).where(Person.cccd == "001234567890"))
    assert head.phone == "0912000111" and head.full_name == "Lò Văn Pọm"
    household = db.session.get(Household, head.household_id)
    members = db.session.scalar(select(func.count()).select_from(Person).where(Person.household_id == household.id))
    assert members == 3 and household.head_name == "Lò Văn Pọm"
    again = client.post(url, data={"commune": str(world.own.commune.id), "file": (io.BytesIO(data), "ra-soat.xlsx")},
                        content_type="multipart/form-data")
    assert "Tệp không có gì mới" in again.get_data(as_text=True) or "Nothing new" in again.get_data(as_text=True)
    assert _people() == before + 3


def test_cli_dry_run_and_rejection(runner, world, tmp_path):
    hamlet = world.own.hamlet.name
    good = tmp_path / "good.xlsx"
    good.write_bytes(_xlsx([HEADER, ["Hà Văn Mới", "01/02/1988", "Nam", "", "", hamlet, "Nhà 50", "Chủ hộ", ""]]))
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(_xlsx([HEADER, ["Hà Văn Sai", "1988", "Nam", "", "", hamlet, "Nhà 51", "Chủ hộ", ""]]))
    before = _people()
    dry = runner.invoke(args=["households", "import", str(good), "--commune", world.own.commune.code, "--dry-run"])
    assert dry.exit_code == 0 and "mới 1" in dry.output and _people() == before
    rejected = runner.invoke(args=["households", "import", str(bad), "--commune", world.own.commune.code])
    assert rejected.exit_code == 1 and "dòng 2, cột B" in rejected.output
    real = runner.invoke(args=["households", "import", str(good), "--commune", world.own.commune.code])
    assert real.exit_code == 0 and _people() == before + 1


def test_import_outside_scope_is_hidden(client, auth, world):
    auth.login(world.users["local_officer"])
    assert client.get(f"/households/import?commune={world.near.commune.id}").status_code == 404
