"""Spreadsheets and printed reports: content, number formats, formula safety, audit entries."""

from __future__ import annotations

import io
import os

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.extensions import db
from portal.reports.exports import Column, Report, Table, workbook

from . import scenario


@pytest.fixture
def may(world):
    return scenario.build(world)


def _rows(sheet):
    """Data rows keyed by the second cell, below the header row (the row starting with STT)."""
    values = list(sheet.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(values) if row[0] == "STT") + 1
    return values[start - 1], {row[1]: row for row in values[start:] if row and row[1]}


def _pdf_text(data: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    if os.environ.get("PORTAL_REPORT_PDFS"):  # keep the documents to look at them as pictures
        with open(os.path.join(os.environ["PORTAL_REPORT_PDFS"], f"{abs(hash(text))}.pdf"), "wb") as fh:
            fh.write(data)
    return text


def _audits(action):
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def test_commune_report_xlsx(client, auth, world, may):
    auth.login(world.users["province_officer"])
    response = client.get(f"/reports/campaigns/{may.campaign.id}/communes.xlsx")
    assert response.headers["Content-Disposition"].endswith('.xlsx"')
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Kết quả so với chỉ tiêu", "So với cùng kỳ năm trước", "Hoạt động theo hình thức"]
    header, rows = _rows(book["Kết quả so với chỉ tiêu"])
    assert header[:5] == ("STT", "Xã, phường", "BHXH TN mới: chỉ tiêu", "BHXH TN mới: thực hiện",
                          "BHXH TN mới: % kế hoạch")
    c1 = rows[world.own.commune.name]
    assert c1[:5] == (4, world.own.commune.name, 6, 2, pytest.approx(0.3333, abs=1e-4))  # offices, communes by name
    assert rows[f"Cộng {world.own.office.name}"][2:5] == (10, 2, 0.2)  # subtotal of the office's communes
    assert rows["Tổng cộng"][3] == 3  # both offices
    sheet = book["Kết quả so với chỉ tiêu"]
    total_row = next(r for r in sheet.iter_rows() if r[1].value == "Tổng cộng")
    assert total_row[4].number_format == "0.0%" and total_row[3].number_format == "#,##0"
    assert total_row[1].font.bold
    _header, compare = _rows(book["So với cùng kỳ năm trước"])
    # C1: 2 new BHXH TN this May against 4 last May (-50%); attendees 4 against 2 (+100%).
    assert compare[world.own.commune.name][2:5] == (2, 4, -0.5)
    assert compare[world.own.commune.name][-3:] == (4, 2, 1.0)
    assert len(_audits("export.campaign_report")) == 1


def test_local_officer_report_has_only_their_communes(client, auth, world, may):
    auth.login(world.users["local_officer"])
    book = load_workbook(io.BytesIO(client.get(f"/reports/campaigns/{may.campaign.id}/communes.xlsx").data))
    _header, rows = _rows(book.worksheets[0])
    assert world.own.commune.name in rows and world.near.commune.name not in rows
    assert not any(str(name).startswith("Cộng ") for name in rows)  # one office: no subtotals


def test_commune_report_pdf(client, auth, world, may):
    auth.login(world.users["province_officer"])
    response = client.get(f"/reports/campaigns/{may.campaign.id}/communes.pdf")
    assert response.mimetype == "application/pdf"
    text = _pdf_text(response.data)
    assert "theo xã, phường".upper() in text.upper() and world.own.commune.name in text
    assert "So với cùng kỳ năm trước" in text and "33,3%" in text
    assert len(_audits("print.campaign_report")) == 1


def test_dashboard_and_funnel_exports(client, auth, world, may):
    auth.login(world.users["province_officer"])
    office = world.own.office.id
    book = load_workbook(io.BytesIO(client.get(
        f"/reports/campaigns/{may.campaign.id}/progress.xlsx?level=agent&office={office}").data))
    _header, rows = _rows(book.worksheets[0])
    assert rows[world.own.agent.full_name][2:5] == (5, 2, 0.4)
    book = load_workbook(io.BytesIO(client.get(f"/reports/campaigns/{may.campaign.id}/funnel.xlsx").data))
    assert book.sheetnames == ["Theo cơ quan BHXH", "Nhóm đối tượng tiềm năng", "Loại tờ rơi"]
    header, rows = _rows(book.worksheets[0])
    assert header[2:5] == ("Trong danh sách", "Đã thăm: số hộ", "Đã thăm: %")
    assert rows[world.own.office.name][2:11] == (8, 5, 0.625, 4, 0.8, 2, 0.5, 2, 1.0)
    assert rows[world.own.office.name][-1] == 2  # the walk-in and h9, outside the steps
    assert rows["Tổng cộng"][2] == 9
    _header, groups = _rows(book["Nhóm đối tượng tiềm năng"])
    assert list(groups)[:3] == ["Tiểu thương", "Hộ kinh doanh", "Hộ cận nghèo"]
    text = _pdf_text(client.get(f"/reports/campaigns/{may.campaign.id}/funnel.pdf").data)
    assert "KẾT QUẢ TỪNG BƯỚC VẬN ĐỘNG" in text.upper() and "Tiểu thương" in text and "33,3%" in text
    text = _pdf_text(client.get(f"/reports/campaigns/{may.campaign.id}/progress.pdf").data)
    assert world.near.office.name in text and "Tổng cộng" in text
    text = _pdf_text(client.get(f"/reports/events/{may.e1.id}/funnel.pdf").data)
    assert may.a2.full_name in text and "Đô thị, thu nhập ổn định" in text
    book = load_workbook(io.BytesIO(client.get(f"/reports/events/{may.e1.id}/funnel.xlsx").data))
    _header, rows = _rows(book["Theo đại lý thu"])
    assert rows[may.a2.full_name][2] == 2
    assert len(_audits("export.report")) == 3 and len(_audits("print.report")) == 3


def test_workbook_never_writes_a_formula():
    report = Report("=1+1", "@sum", "x", [Table("Bảng", [Column("STT"), Column("Tên", "text")],
                                                  [[1, "=HYPERLINK(\"http://x\")"], [2, "+84 912"]])])
    sheet = load_workbook(io.BytesIO(workbook(report))).active
    cells = {c.value: c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    # The values exactly as given, in string cells (never formulas), with the quote prefix style.
    for value in ("=1+1", "@sum", "=HYPERLINK(\"http://x\")", "+84 912"):
        assert cells[value].data_type == "s" and cells[value].quotePrefix
    assert cells["Tên"].data_type == "s" and not cells["Tên"].quotePrefix
    assert not any(v.startswith("'") for v in cells)
