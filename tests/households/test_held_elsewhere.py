"""Identity numbers held outside the caller's territory: one answer ("held elsewhere: ask the province office"),
the same status code as any other refusal, audited, and limited per user so the registry cannot be probed."""

from __future__ import annotations

import io

from openpyxl import Workbook
from sqlalchemy import func, select

from portal.audit.models import AuditEntry
from portal.auth import roles, throttle
from portal.extensions import db
from portal.households.models import Household, Person

from .factories import make_person

HX = {"HX-Request": "true"}
ELSEWHERE = "hãy hỏi BHXH tỉnh"


def _new_household(world, **over) -> dict:
    data = {"commune_id": str(world.own.commune.id), "hamlet_id": str(world.own.hamlet2.id),
            "head_name": "Lường Văn Mới", "address": "Nhà 8", "phone": "", "poverty_status": "none", "notes": "",
            "sex": "male", "date_of_birth": "05/03/1980", "cccd": "", "bhxh_code": "", "ethnicity": "Thái"}
    data.update(over)
    return data


def _entries(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def _error(html: str, field: str) -> str:
    """The text of a field's message (empty when there is none)."""
    start = html.find(f'id="{field}-error"')
    if start < 0:
        return ""
    start = html.find(">", start) + 1
    return html[start:html.find("</", start)].strip()


def test_the_inline_check_and_the_save_answer_held_elsewhere_the_same_way(app, client, auth, world):
    outside = make_person(world.near.hamlet, "Quàng Thị Xa", cccd="001099700001")
    inside = make_person(world.own.hamlet, "Quàng Thị Gần", cccd="001099700002")
    auth.login(world.users[roles.LOCAL_OFFICER])
    answers = {}
    for name, cccd in (("outside", "001099700001"), ("inside", "001099700002"), ("nobody", "001099700003")):
        inline = client.post("/households/new", data=_new_household(world, cccd=cccd, _check="cccd"), headers=HX)
        answers[name] = (inline.status_code, _error(inline.get_data(as_text=True), "cccd"))
    assert answers["outside"][0] == answers["inside"][0] == answers["nobody"][0] == 200
    assert ELSEWHERE in answers["outside"][1] and outside.full_name not in answers["outside"][1]
    assert ELSEWHERE not in answers["inside"][1] and answers["inside"][1]
    assert answers["nobody"][1] == ""
    saved = client.post("/households/new", data=_new_household(world, cccd="001099700001"))
    taken = client.post("/households/new", data=_new_household(world, cccd=inside.cccd))
    assert saved.status_code == taken.status_code == 422
    assert ELSEWHERE in _error(saved.get_data(as_text=True), "cccd")
    assert db.session.scalar(select(func.count()).select_from(Household).where(
        Household.head_name == "Lường Văn Mới")) == 0
    entries = _entries("person.identity_elsewhere")
    assert [e.object_id for e in entries] == [outside.id, outside.id]
    assert all(e.outcome == "denied" and "001099700001" not in str(e.details) for e in entries)


def test_answers_held_elsewhere_are_limited_per_user(app, client, auth, world):
    free = throttle.HELD_ELSEWHERE.free
    for i in range(free + 1):
        make_person(world.near.hamlet, "Người Xa", cccd=f"0010998{i:05d}")
    officer = world.users[roles.LOCAL_OFFICER]
    auth.login(officer)
    for i in range(free + 1):
        inline = client.post("/households/new", data=_new_household(world, cccd=f"0010998{i:05d}",
                                                                     _check="cccd"), headers=HX)
        assert ELSEWHERE in _error(inline.get_data(as_text=True), "cccd")
    assert throttle.held_elsewhere_wait(officer.id) > 0
    # Now any number waits, held or not: the answer no longer tells them apart.
    for cccd in ("001099800000", "001099899999"):
        inline = client.post("/households/new", data=_new_household(world, cccd=cccd, _check="cccd"), headers=HX)
        assert inline.status_code == 200 and "phút" in _error(inline.get_data(as_text=True), "cccd")
    assert _entries("identity.check_throttled")
    # Another officer is not held up.
    auth.logout()
    auth.login(world.users[roles.PROVINCE_OFFICER])
    assert throttle.held_elsewhere_wait(world.users[roles.PROVINCE_OFFICER].id) == 0


def _xlsx(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _import(client, world, rows):
    data = {"commune": str(world.own.commune.id), "file": (io.BytesIO(_xlsx(rows)), "ds.xlsx")}
    return client.post(f"/households/import?commune={world.own.commune.id}", data=data,
                       content_type="multipart/form-data")


def test_the_import_report_says_only_held_elsewhere_and_a_file_full_of_them_is_refused(app, client, auth, world):
    free = throttle.HELD_ELSEWHERE.free
    names = [f"Người Ngoài {a}{b}" for a in "ABCDEFGH" for b in "ABCDEFGH"]
    holders = [make_person(world.near.hamlet, names[i], cccd=f"0010997{i:05d}") for i in range(free + 2)]
    auth.login(world.users[roles.LOCAL_OFFICER])
    header = ["Họ và tên", "Số CCCD", "Thôn/Tổ", "Địa chỉ"]
    one = _import(client, world, [header, [holders[0].full_name, holders[0].cccd, world.own.hamlet.name, ""]])
    html = one.get_data(as_text=True)
    assert one.status_code == 422 and ELSEWHERE in html and 'row-number">2</td><td>B</td>' in html
    entry = _entries("households.import_elsewhere")[-1]
    assert entry.object_id == holders[0].id and holders[0].cccd not in str(entry.details)
    people = db.session.scalar(select(func.count()).select_from(Person))
    many = _import(client, world, [header] + [[p.full_name, p.cccd, world.own.hamlet.name, ""] for p in holders[1:]])
    html = many.get_data(as_text=True)
    assert many.status_code == 422 and f"Hơn {free} số" in html
    assert 'row-number">' not in html  # no row is named
    assert db.session.scalar(select(func.count()).select_from(Person)) == people
    assert _entries("households.import_elsewhere")[-1].details["count"] == free + 1
