"""XLSX exports: Vietnamese headers, date cells, ID numbers as text, formulas neutralised, scope, audit."""

from __future__ import annotations

import io
from datetime import date, timedelta

from openpyxl import load_workbook
from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.auth import roles
from portal.extensions import db
from portal.households import queries
from portal.i18n.formatting import local_today

from .. import factories as base
from .factories import make_person


def _sheet(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment;" in response.headers["Content-Disposition"]
    return load_workbook(io.BytesIO(response.data)).active


def _audit(action: str) -> AuditEntry:
    return db.session.scalar(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id.desc()))


def test_people_export(client, auth, world):
    make_person(world.own.hamlet, "Đào Văn Bình", cccd="001234567890", phone="0912345678",
                date_of_birth=date(1985, 7, 9), tags=["small_trader"])
    for name in ("=HYPERLINK(\"http://x\") Đào", "+Đào Cộng", "-Đào Trừ", "@Đào A"):
        make_person(world.own.hamlet2, name)  # names as a careless import could have written them
    make_person(world.near.hamlet, "Đào Văn Xa")
    make_person(world.own.hamlet, "Đào Văn Đóng", bhxh_tn_status="participating")
    auth.login(world.users[roles.LOCAL_OFFICER])
    response = client.get(f"/households/export.xlsx?commune={world.own.commune.id}&status=never")
    sheet = _sheet(response)
    rows = list(sheet.iter_rows())
    headers = [c.value for c in rows[0]]
    assert headers[:7] == ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Mã số BHXH", "Số điện thoại"]
    body = {r[1].value: r for r in rows[1:]}
    # Names that look like formulas come out exactly, as text cells that a spreadsheet will never run.
    assert set(body) == {"Đào Văn Bình", "=HYPERLINK(\"http://x\") Đào", "+Đào Cộng", "-Đào Trừ", "@Đào A",
                         world.own.person.full_name}
    binh = body["Đào Văn Bình"]
    assert binh[4].value == "001234567890" and binh[4].data_type == "s" and binh[4].number_format == "@"
    assert binh[6].value == "0912345678" and binh[6].data_type == "s"
    assert binh[2].value.date() == date(1985, 7, 9) and binh[2].number_format == "dd/mm/yyyy"
    assert binh[14].value == "Tiểu thương" or binh[14].value  # the group's label
    for name in ("=HYPERLINK(\"http://x\") Đào", "+Đào Cộng", "-Đào Trừ", "@Đào A"):
        assert body[name][1].data_type == "s" and body[name][1].quotePrefix
    assert not body["Đào Văn Bình"][1].quotePrefix
    assert all(c.data_type != "f" for r in rows for c in r)
    assert not any(str(c.value).startswith("'") for r in rows for c in r if c.value is not None)
    entry = _audit("export.households")
    assert entry.details == {"filter": {"commune_id": world.own.commune.id, "status": "never"}, "rows": 6}


def test_export_never_takes_numbers_from_the_url(client, auth, world):
    person = make_person(world.own.hamlet, "Lý Văn Số", cccd="001234567890")
    auth.login(world.users[roles.LOCAL_OFFICER])
    sheet = _sheet(client.get("/households/export.xlsx?q=001234567890"))
    names = [r[1] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert person.full_name in names and len(names) > 1  # the digits were ignored: the whole area came out
    assert "001234567890" not in str(_audit("export.households").details)


def test_agent_exports_only_their_hamlets(client, auth, world):
    make_person(world.own.hamlet, "Vi Văn Gần")
    make_person(world.own.hamlet2, "Vi Văn Ngoài")
    auth.login(world.users[roles.AGENT])
    names = {r[1] for r in _sheet(client.get("/households/export.xlsx?q=vi+van")).iter_rows(min_row=2,
                                                                                          values_only=True)}
    assert names == {"Vi Văn Gần"}


def test_too_big_an_export_is_refused(client, auth, world, monkeypatch):
    monkeypatch.setattr(queries, "EXPORT_MAX", 1)
    make_person(world.own.hamlet, "Kim Văn Một")
    make_person(world.own.hamlet, "Kim Văn Hai")
    auth.login(world.users[roles.LOCAL_OFFICER])
    response = client.get("/households/export.xlsx?q=kim")
    assert response.status_code == 303 and response.headers["Location"] == "/households/?q=kim"
    assert _audit("export.households") is None


def test_due_list_export_per_agent(client, auth, world):
    today = local_today()
    second = base.make_agent(world.own.office, communes=[world.own.commune], hamlets=[world.own.hamlet],
                             name="Bế Văn Hai")
    make_person(world.own.hamlet, "Ma Văn Đóng", bhxh_tn_status="participating", bhxh_code="0012345678",
                paid_until=today + timedelta(days=5))
    make_person(world.own.hamlet2, "Ma Thị Đóng", bhxh_tn_status="participating",
                paid_until=today + timedelta(days=25))
    auth.login(world.users[roles.LOCAL_OFFICER])
    sheet = _sheet(client.get("/households/due.xlsx?kind=paid_until&days=30&group=agent"))
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("STT", "Đại lý thu", "Họ và tên")
    body = [(r[1], r[2]) for r in rows[1:]]
    assert body == [("Bế Văn Hai", "Ma Văn Đóng"), (world.own.agent.full_name, "Ma Văn Đóng"),
                    ("Chưa có đại lý", "Ma Thị Đóng")]
    first = list(sheet.iter_rows(min_row=2, max_row=2))[0]
    assert first[5].value == "0012345678" and first[5].data_type == "s"
    assert first[13].value.date() == today + timedelta(days=5) and first[13].number_format == "dd/mm/yyyy"
    assert rows[1][15] == f"Bế Văn Hai, {world.own.agent.full_name}"
    entry = _audit("export.due_list")
    assert entry.details["rows"] == 3 and entry.details["filter"]["kind"] == "paid_until"
    assert entry.details["filter"]["group"] == "agent"
    assert second.id


def test_due_list_export_per_hamlet_has_one_hamlet_column(client, auth, world):
    today = local_today()
    make_person(world.own.hamlet, "Mè Thị Hộ", bhxh_tn_status="participating", paid_until=today + timedelta(days=3))
    auth.login(world.users[roles.LOCAL_OFFICER])
    rows = list(_sheet(client.get("/households/due.xlsx?kind=paid_until&days=30")).iter_rows(values_only=True))
    assert rows[0].count("Thôn/Tổ") == 1 and rows[0][:2] == ("STT", "Họ và tên")
    assert rows[1][1] == "Mè Thị Hộ" and rows[1][rows[0].index("Thôn/Tổ")] == world.own.hamlet.name
    assert rows[1][rows[0].index("Xã, phường")] == world.own.commune.name


def test_due_export_falls_back_on_the_household_phone(client, auth, world):
    from portal.households.models import Household

    today = local_today()
    person = make_person(world.own.hamlet, "Mè Văn Số", bhxh_tn_status="participating",
                         paid_until=today + timedelta(days=3))
    db.session.get(Household, person.household_id).phone = "0987654321"
    person.phone = None
    db.session.commit()
    auth.login(world.users[roles.LOCAL_OFFICER])
    rows = list(_sheet(client.get("/households/due.xlsx?kind=paid_until&days=30")).iter_rows(values_only=True))
    assert rows[1][rows[0].index("Số điện thoại")] == "0987654321"


def test_due_export_for_an_agent(client, auth, world):
    today = local_today()
    make_person(world.own.hamlet, "Cầm Văn Một", bhyt_expires_on=today + timedelta(days=3))
    make_person(world.own.hamlet2, "Cầm Văn Hai", bhyt_expires_on=today + timedelta(days=3))
    auth.login(world.users[roles.AGENT])
    sheet = _sheet(client.get("/households/due.xlsx?kind=bhyt_expiring&days=30"))
    assert [r[1] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["Cầm Văn Một"]
    assert _audit("export.due_list").details["rows"] == 1
