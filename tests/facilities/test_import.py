"""Importing the facilities list: every problem reported by row and column before anything is written, then
all rows or none."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from portal.audit.models import AuditEntry
from portal.extensions import db
from portal.facilities.models import Facility

from .. import factories


def _xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Facility))


def _upload(client, data: bytes, name: str = "co-so-kcb.xlsx"):
    return client.post("/facilities/import", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


HEADER = ["Mã tỉnh", "Mã cơ sở KCB", "Tên cơ sở KCB", "Tuyến", "Mã xã"]


def test_the_report_names_each_bad_row_and_nothing_is_written(client, auth, world):
    auth.login(world.users["province_officer"])
    before = _count()
    data = _xlsx([
        ["DANH MỤC CƠ SỞ KHÁM BỆNH, CHỮA BỆNH BAN ĐẦU"], [],
        HEADER,
        ["15", "15101", "Trạm Y tế xã Nghĩa Lộ Một", "Tuyến xã", world.own.commune.code],  # row 4: fine
        ["15", "151", "Trạm Y tế xã Bảo Yên", "Xã", None],  # 5: the code is not five characters
        ["99", "99001", "Bệnh viện không có tỉnh", "Tỉnh", None],  # 6: no such province
        ["15", "15101", "Trạm Y tế trùng mã", "Xã", None],  # 7: same code as row 4
        ["19", "19001", "Bệnh viện Thái Nguyên", "Tỉnh", None],  # 8: a province outside the officer's area
        ["15", "15102", "Bệnh viện lạ", "Tuyến vũ trụ", None],  # 9: no such level
        ["15", "15103", "Trạm Y tế xã Đại Từ", "Xã", world.far.commune.code],  # 10: another province's commune
        ["15", "15104", "", "Huyện", None],  # 11: no name
    ])
    response = _upload(client, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    for row, words in (("5", "không phải mã cơ sở KCB"), ("6", "“99”"), ("7", "dòng 4"),
                       ("8", "ngoài địa bàn"), ("9", "Tuyến vũ trụ"), ("10", "không phải xã, phường"),
                       ("11", "Tên cơ sở KCB đang để trống")):
        assert f'row-number">{row}<' in html and words in html, row
    assert 'row-number">4<' not in html
    assert _count() == before
    # Nothing was kept for a confirmation either.
    assert client.post("/facilities/import", data={"confirm": "1"}).status_code == 303
    assert _count() == before


def test_preview_then_confirm_writes_new_and_changed_rows(client, auth, world):
    hospital = factories.make_facility(world.own.province, "Bệnh viện Đa khoa Nghĩa Lộ", code="15001",
                                       level="district")
    same = factories.make_facility(world.own.province, "Trạm Y tế xã Nghĩa Lộ Hai", code="15102",
                                   commune=world.own.commune2)
    auth.login(world.users["admin"])
    before = _count()
    data = _xlsx([
        HEADER + ["Đang hoạt động"],
        [15, 15101, "Trạm Y tế xã Nghĩa Lộ Một", "Xã", "Xã Nghĩa Lộ Một", "Có"],  # numbers, a commune by name
        ["15", "15001", "Bệnh viện Đa khoa khu vực Nghĩa Lộ", "Tuyến huyện", None, "Có"],  # renamed
        ["15", "15102", same.name, "Xã", world.own.commune2.code, "Có"],  # unchanged
        ["19", "01A23", "Phòng khám Đa khoa Thái Nguyên", "Khác", None, "Không"],  # closed, another province
        ["15", 1001, "Bệnh viện cũ", None, None, None],  # the leading zero the spreadsheet dropped
    ])
    response = _upload(client, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    assert "Trạm Y tế xã Nghĩa Lộ Một" in html and _count() == before
    assert client.post("/facilities/import", data={"confirm": "1"}).status_code == 303
    assert _count() == before + 3
    station = db.session.scalar(select(Facility).where(Facility.code == "15101"))
    assert (station.level, station.commune_id, station.active) == ("commune", world.own.commune.id, True)
    db.session.refresh(hospital)
    assert hospital.name == "Bệnh viện Đa khoa khu vực Nghĩa Lộ" and hospital.level == "district"
    clinic = db.session.scalar(select(Facility).where(Facility.code == "01A23"))
    assert clinic.province_id == world.far.province.id and not clinic.active and clinic.level == "other"
    assert db.session.scalar(select(Facility.level).where(Facility.code == "01001")) == "other"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "facility.import"))
    assert entry.details["new"] == 3 and entry.details["updated"] == 1 and entry.details["unchanged"] == 1
    # The same file again changes nothing.
    again = _upload(client, data)
    assert again.status_code == 200 and "Tệp không có gì mới" in again.get_data(as_text=True)


def test_a_file_without_the_columns_is_refused(client, auth, world):
    auth.login(world.users["admin"])
    response = _upload(client, _xlsx([["Họ tên", "Số điện thoại"], ["Nguyễn Văn A", "0912345678"]]))
    assert response.status_code == 422 and "Mã tỉnh" in response.get_data(as_text=True)


def test_the_template_has_the_columns_the_import_reads(client, auth, world):
    auth.login(world.users["province_officer"])
    response = client.get("/facilities/template.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == ["Mã tỉnh", "Mã cơ sở KCB", "Tên cơ sở KCB"]
    assert sheet["B2"].value == "15123" and sheet["B2"].data_type == "s"
