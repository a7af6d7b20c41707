"""D05-TS and D03-TS lists from confirmed sign-ups: the rows, what blocks them, the spreadsheet and the PDF."""

from __future__ import annotations

import io
from datetime import date, datetime

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from sqlalchemy import func, select

from portal.audit.models import AuditEntry
from portal.declarations.codes import D03_COLUMNS, D05_COLUMNS
from portal.declarations.xlsx import FIRST_DATA_ROW, HEADER_ROW, NUMBER_ROW
from portal.extensions import db
from portal.households.models import Household
from portal.policy.services import seed_shipped
from portal.results import services
from portal.results.models import SignUp

from .. import factories


def _confirmed(world):
    seed_shipped()
    db.session.commit()
    own = world.own
    event = own.event
    factories.make_facility(own.province, code="15001", commune=own.commune)
    factories.under_way(event)
    user = world.users["local_officer"]
    people = []
    for n, (code, poverty) in enumerate((("0101234567", "none"), ("0107654321", "near_poor"))):
        _h, person = factories.make_household(own.hamlet, f"Người Khai {n}", address=f"Nhà {n + 20}",
                                              bhxh_code=code, date_of_birth=date(1980 + n, 1, 2), sex="female",
                                              poverty_status=poverty)
        people.append(person)
    people[1].birth_year_only = True
    people[1].cccd = "001080012345"
    db.session.commit()
    _h, incomplete = factories.make_household(own.hamlet, "Người Thiếu Tin", address="Nhà 30", sex="male")
    for person in (*people, incomplete):
        services.record_signup(person, scheme="bhxh_tn", kind="new", signed_on=date(2026, 5, 10), user=user,
                               event=event, income=1_500_000, mode="every_3_months", months=3, agent_id=own.agent.id,
                               from_month=date(2026, 6, 1))
    services.record_signup(people[0], scheme="bhyt_hgd", kind="new", signed_on=date(2026, 5, 10), user=user,
                           event=event, member_order=2, months=12, receipt_number="0012345",
                           receipt_date=date(2026, 5, 10))
    services.confirm_results(event, user)
    db.session.commit()
    return event, people, incomplete


def _export(client, event, form, file_format="xlsx", **extra):
    return client.post("/declarations/export", data={"form": form, "event": str(event.id), "format": file_format,
                                                     **extra})


def test_missing_data_blocks_the_export_and_is_listed_with_a_link_to_fix_it(client, auth, world):
    event, _people, incomplete = _confirmed(world)
    auth.login(world.users["local_officer"])
    html = client.get(f"/declarations/?form=d05&event={event.id}").get_data(as_text=True)
    assert incomplete.full_name in html and f"/people/{incomplete.id}/edit" in html
    assert "mã số BHXH hoặc số CCCD" in html and "ngày sinh" in html
    response = _export(client, event, "d05")
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(SignUp).where(SignUp.export_batch_id.is_not(None))) == 0


def test_an_agent_is_sent_to_the_person_page_they_may_open(client, auth, world):
    event, _people, incomplete = _confirmed(world)
    auth.login(world.users["agent"])
    html = client.get(f"/declarations/?form=d05&event={event.id}").get_data(as_text=True)
    assert f"/people/{incomplete.id}\"" in html and f"/people/{incomplete.id}/edit" not in html


def _sheet(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return load_workbook(io.BytesIO(response.data)).active


def _check_layout(ws, columns, rows: int):
    """The heading block, the header rows, the column numbers, each column's cell type and the totals row."""
    assert ws["A1"].value and ws["A2"].value  # the agency above its office
    assert any("Mẫu D0" in str(c.value) for c in ws[1] if c.value)
    assert any("595/QĐ-BHXH" in str(c.value) for c in ws[2] if c.value)
    assert ws["A3"].value.startswith("Đơn vị (đại lý thu):")
    assert ws["A6"].value.startswith("DANH SÁCH NGƯỜI CHỈ THAM GIA")
    assert ws["A7"].value.startswith("Kỳ kê khai:")
    for index, column in enumerate(columns, start=1):
        top, sub = ws.cell(HEADER_ROW, index), ws.cell(HEADER_ROW + 1, index)
        if column.group:
            assert sub.value == column.label
        else:
            assert top.value == column.label
        assert ws.cell(NUMBER_ROW, index).value == index
    merged = {str(r) for r in ws.merged_cells.ranges}
    groups = {c.group for c in columns if c.group}
    for group in groups:
        indexes = [i for i, c in enumerate(columns, start=1) if c.group == group]
        span = f"{get_column_letter(indexes[0])}{HEADER_ROW}:{get_column_letter(indexes[-1])}{HEADER_ROW}"
        assert span in merged and ws.cell(HEADER_ROW, indexes[0]).value == group
    for r in range(FIRST_DATA_ROW, FIRST_DATA_ROW + rows):
        for index, column in enumerate(columns, start=1):
            cell = ws.cell(r, index)
            value = cell.value
            if column.kind in ("money", "int", "percent"):
                assert isinstance(value, int | float), (column.key, value)
                assert cell.data_type == "n"
            elif column.kind in ("date", "month"):
                assert isinstance(value, datetime) or (value is None and not column.mandatory), (column.key, value)
            elif column.kind == "birth":
                assert isinstance(value, datetime) or (isinstance(value, str) and len(value) == 4)
            else:
                assert value is None or isinstance(value, str), (column.key, value)
                assert not (isinstance(value, str) and value.startswith("'"))
            if column.mandatory:
                assert value not in (None, ""), (column.key, r)
            if column.key in ("bhxh_code", "cccd") and value:
                assert cell.number_format == "@" and value.isdigit()
        assert ws.cell(r, 1).value == r - FIRST_DATA_ROW + 1
    totals = FIRST_DATA_ROW + rows
    assert ws.cell(totals, 1).value == "Tổng cộng"
    for index, column in enumerate(columns, start=1):
        if column.summed:
            expected = sum(ws.cell(r, index).value or 0 for r in range(FIRST_DATA_ROW, totals))
            assert ws.cell(totals, index).value == expected
    texts = [str(c.value) for row in ws.iter_rows(min_row=totals + 1) for c in row if c.value]
    assert "NGƯỜI LẬP BIỂU" in texts and "THỦ TRƯỞNG ĐƠN VỊ" in texts
    assert any(", ngày " in t for t in texts)
    for index, column in enumerate(columns, start=1):
        assert ws.column_dimensions[get_column_letter(index)].width == column.width


def test_d05_spreadsheet_has_the_official_layout_typed_cells_and_totals(client, auth, world):
    event, people, incomplete = _confirmed(world)
    incomplete.bhxh_code = "0109999999"
    incomplete.date_of_birth = date(1990, 3, 4)
    db.session.commit()
    auth.login(world.users["local_officer"])
    ws = _sheet(_export(client, event, "d05"))
    _check_layout(ws, D05_COLUMNS, 3)
    keys = [c.key for c in D05_COLUMNS]
    rows = [[ws.cell(r, i + 1).value for i in range(len(keys))] for r in range(FIRST_DATA_ROW, FIRST_DATA_ROW + 3)]
    by_code = {r[keys.index("bhxh_code")]: r for r in rows}
    near_poor = by_code["0107654321"]
    assert near_poor[keys.index("birth")] == "1981"  # the year alone, as recorded
    assert near_poor[keys.index("cccd")] == "001080012345"  # the leading zeros kept
    assert near_poor[keys.index("support_code")] == "CN" and near_poor[keys.index("support_rate")] == 40
    assert by_code["0101234567"][keys.index("support_code")] == "K"
    assert near_poor[keys.index("mode")] == "3" and near_poor[keys.index("plan")] == "TM"
    assert near_poor[keys.index("from_month")] == datetime(2026, 6, 1)
    assert near_poor[keys.index("name")] == people[1].full_name.upper()
    bhxh_net = db.session.scalar(select(func.sum(SignUp.net)).where(SignUp.event_id == event.id,
                                                                     SignUp.scheme == "bhxh_tn"))
    assert ws.cell(FIRST_DATA_ROW + 3, keys.index("net") + 1).value == bhxh_net
    assert services.totals(event.id).bhxh_tn_new == 3
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "export.declaration")) is not None
    again = client.get(f"/declarations/?form=d05&event={event.id}").get_data(as_text=True)
    assert "0109999999" not in again
    assert "0109999999" in client.get(f"/declarations/?form=d05&event={event.id}&all=1").get_data(as_text=True)


def test_d03_carries_the_clinic_the_card_period_and_the_receipt(client, auth, world):
    event, people, _incomplete = _confirmed(world)
    auth.login(world.users["local_officer"])
    ws = _sheet(_export(client, event, "d03"))
    _check_layout(ws, D03_COLUMNS, 1)
    row = {c.key: ws.cell(FIRST_DATA_ROW, i + 1).value for i, c in enumerate(D03_COLUMNS)}
    assert row["clinic_province"] == "15" and row["clinic_code"] == "15001"
    assert row["order"] == 2 and row["months"] == 12 and row["sex"] == "Nữ"
    assert row["start"] == datetime(2026, 6, 9) and row["end"] == datetime(2027, 6, 8)  # 30 days after paying
    assert row["receipt_number"] == "0012345" and row["receipt_date"] == datetime(2026, 5, 10)
    assert row["net"] == db.session.scalar(select(SignUp.net).where(SignUp.scheme == "bhyt_hgd"))
    assert row["plan"] == "TM"


def test_d03_without_a_clinic_is_blocked(client, auth, world):
    event, people, _incomplete = _confirmed(world)
    db.session.execute(SignUp.__table__.update().values(facility_id=None))
    db.session.commit()
    auth.login(world.users["local_officer"])
    html = client.get(f"/declarations/?form=d03&event={event.id}").get_data(as_text=True)
    assert "nơi đăng ký KCB ban đầu" in html and _export(client, event, "d03").status_code == 422


def test_the_pdf_is_a_landscape_list_with_every_column(client, auth, world):
    from pypdf import PdfReader

    event, people, _incomplete = _confirmed(world)
    long_address = "Số nhà 1234 ngõ Hoàng Liên Sơn kéo dài đến tận chân núi Phan Xi Păng và khu tái định cư mới"
    household = db.session.get(Household, people[0].household_id)
    household.address = long_address
    db.session.commit()
    auth.login(world.users["local_officer"])
    response = _export(client, event, "d03", "pdf", all="1")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.data))
    page = reader.pages[0]
    assert page.mediabox.width > page.mediabox.height
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    for words in ("Mẫu D03-TS", "DANH SÁCH NGƯỜI CHỈ THAM GIA BẢO HIỂM Y TẾ", "Mã cơ sở KCB", "Tổng cộng",
                  "NGƯỜI LẬP BIỂU", "15001", "0101234567"):
        assert words in text, words
    assert all(word in text for word in long_address.split())  # wrapped over several lines, nothing cut


def test_the_preview_leaves_one_audit_entry_with_its_filter_and_no_numbers(client, auth, world):
    event, people, _incomplete = _confirmed(world)
    auth.login(world.users["local_officer"])
    client.get(f"/declarations/?form=d05&event={event.id}")
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "view.declarations_preview")).all()
    assert len(entries) == 1
    assert entries[0].details["filter"]["event_id"] == event.id and entries[0].details["blocked"] == 1
    assert all(p.bhxh_code not in str(entries[0].details) for p in people)
