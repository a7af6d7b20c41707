"""Nothing clipped: every document kind of an event with long and odd names and long addresses prints each of
them whole (read back with pdftotext), and short lists are not split by a page's foot.

The suite prints a crowd of 48 invitees (every document runs over several pages); a review of the pages by eye
(``DOCS_PNG=<folder>``, PNG pages written there) prints the 300-invitee event."""

from __future__ import annotations

import os
import subprocess
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from portal.extensions import db
from portal.i18n.formatting import local_today
from portal.printing import layout, renderer

from .helpers import pdf_pages, to_png

#: What these tests check (printing) is the same on both databases: they run once per ``make test`` (tests/README.md,
#: "Run once").
pytestmark = pytest.mark.once

ODD = ["Ksor H'Ben", "Nguyễn Thị Phương Thảo Huyền Trang", "Tôn Nữ Hoàng Bảo Ngọc Thiên Hương Phương Thảo Nguyên",
       "Rơ Châm H'Lan", "Lò Thị Ỷ", "Hoàng Thị Xuân Mai Phương Quỳnh Như Ý"]
#: Invitees on the event: the 300 of the review, or enough for several pages of every document.
CROWD = 300 if os.environ.get("DOCS_PNG") else 48
#: 120 characters.
LONG_ADDRESS = ("Số nhà 1234, ngõ 56/78, đường Hoàng Liên Sơn kéo dài đến tận chân núi Phan Xi Păng, khu tái định "
                "cư mới Bắc Sa Pa")[:120]


def _text(data: bytes) -> str:
    """The PDF's text (pdftotext in drawing order: a sheet's column comes as one block), with its lines and
    spaces joined: a wrapped text reads whole again."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(data)
        fh.flush()
        out = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", fh.name, "-"], capture_output=True, check=True)  # noqa: S603,S607
    return " ".join(out.stdout.decode().split())


def _look(data: bytes, name: str) -> None:
    """PNG pages for looking at them when DOCS_PNG names a folder."""
    if os.environ.get("DOCS_PNG"):
        to_png(data, Path(os.environ["DOCS_PNG"]), name)


@pytest.fixture
def crowd(world):
    """``CROWD`` invited households on the world's event (the odd names among them, every tenth with the long
    address), all on the world's visit list for its agent, and the odd names due to pay."""
    from portal.households.models import Household, Person
    from portal.households.services import household_match_key
    from portal.i18n.collation import collation_key, text_collation_key
    from portal.results.models import Invitation
    from portal.results.services import new_token
    from portal.visits.models import VisitAssignment, VisitList

    own = world.own
    now = datetime.now(UTC)
    names = [*ODD, *(f"Nguyễn Văn Số {n:03d}" for n in range(CROWD - len(ODD)))]
    rows = []
    for n, name in enumerate(names):
        address = LONG_ADDRESS if n < len(ODD) or n % 10 == 0 else f"Nhà {n}"
        rows.append({"hamlet_id": own.hamlet.id, "commune_id": own.hamlet.commune_id, "head_name": name,
                     "address": address, "poverty_status": "none", "match_key": household_match_key(name, address),
                     "sort_key": collation_key(name), "address_key": text_collation_key(address), "version": 1,
                     "phone": "0912345678", "created_at": now, "updated_at": now})
    ids = [r.id for r in db.session.execute(insert(Household).returning(Household.id), rows)]
    db.session.execute(insert(Invitation), [
        {"event_id": own.event.id, "household_id": i, "agent_id": own.agent.id, "token": new_token(),
         "expected_attendees": 1, "created_at": now} for i in ids])
    visit_list = db.session.scalar(select(VisitList).where(VisitList.event_id == own.event.id))
    if visit_list is not None:
        db.session.execute(insert(VisitAssignment), [
            {"visit_list_id": visit_list.id, "household_id": i, "hamlet_id": own.hamlet.id,
             "commune_id": own.hamlet.commune_id, "row_number": 2 + n, "walk_key": f"zz{n:04d}",
             "agent_id": own.agent.id, "version": 1} for n, i in enumerate(ids)])
    for i, name in zip(ids[:len(ODD)], ODD, strict=True):
        person = Person(relation_to_head="head", household_id=i, hamlet_id=own.hamlet.id,
                        commune_id=own.hamlet.commune_id, bhxh_tn_status="participating",
                        paid_until=local_today() + timedelta(days=3), phone="0912345678")
        person.set_name(name)
        db.session.add(person)
    db.session.commit()
    return world


def _whole(text: str, *, address: bool = True) -> None:
    for name in ODD:
        assert name in text or name.upper() in text, name
    if address:
        assert LONG_ADDRESS in text, "the long address is cut"


def test_event_documents_print_long_names_and_addresses_whole(client, auth, crowd):
    event = crowd.own.event
    auth.login(crowd.users["local_officer"])
    for kind, url, address in (("attendance", f"/events/{event.id}/print/attendance.pdf", False),
                               ("visits", f"/events/{event.id}/print/visits.pdf", True),
                               ("visits_agent", f"/events/{event.id}/print/visits.pdf?agent={crowd.own.agent.id}",
                                True),
                               ("signup", f"/events/{event.id}/print/signup-sheet.pdf", True)):
        response = client.get(url)
        assert response.status_code == 200, kind
        _look(response.data, kind)
        _whole(_text(response.data), address=address)


def test_invitations_print_long_names_and_addresses_whole(client, auth, crowd):
    from portal.printing import documents

    context = documents.invitations(crowd.own.event, "http://portal.test/")
    letters = context["letters"]
    context["letters"] = ([letter for letter in letters if letter["head"] in ODD]
                          + [letter for letter in letters if letter["address"] == LONG_ADDRESS][:6])
    data = renderer().render_pdf("invitations.html", context, use_cache=False)
    _look(data, "invitations")
    _whole(_text(data))


def test_retention_documents_print_long_names_and_addresses_whole(client, auth, crowd):
    auth.login(crowd.users["local_officer"])
    due = client.get("/households/due.pdf?kind=paid_until")
    assert due.status_code == 200
    _look(due.data, "due")
    _whole(_text(due.data))
    slips = client.get(f"/retention/slips.pdf?agent={crowd.own.agent.id}")
    assert slips.status_code == 200
    _look(slips.data, "slips")
    _whole(_text(slips.data))


def _sheet(rows: int, note: str | None = "Ghi chú.") -> dict:
    return {"title": "Danh sách", "subtitle": "", "issuer_superior": "BHXH tỉnh", "issuer_name": "BHXH huyện",
            "place": "Lộ", "date": local_today(), "facts": [["Thời gian", "Sáng nay"]] * 25,
            "columns": [{"label": "STT", "width": 12}, {"label": "Họ và tên", "width": 60},
                        {"label": "Địa chỉ", "width": 60}],
            "rows": [[str(i + 1), f"Lê Văn {i}", "Nhà 1"] for i in range(rows)], "blank_rows": 0,
            "signatures": ["Người lập", "Thủ trưởng"], "note": note, "landscape": False}


def test_short_lists_move_whole_and_long_lists_leave_no_lone_row():
    assert layout.plan(5, 3, 26, 6) == [(0, 0), (0, 5)]  # 2+3 before: now whole on the next page
    assert layout.plan(5, 8, 26, 6) == [(0, 0), (0, 5)]  # the rows fit, the signatures would not
    assert layout.plan(5, 11, 26, 6) == [(0, 5)]
    assert layout.plan(40, 1, 26, 6) == [(0, 0), (0, 26), (26, 40)]  # no lone row under the heading
    assert layout.plan([1, 3, 1], 30, 26, 6) == [(0, 3)]
    assert layout.plan([2] * 20, 18, 26, 6) == [(0, 9), (9, 17), (17, 20)]  # in rows two high


def test_a_short_sheet_is_not_split_by_the_page_foot(app):
    """25 lines of facts leave room for three rows under the heading (2+3 before): the five go to page two."""
    assert [p["rows"] for p in layout.paginate_sheet(_sheet(5))["pages"]] == [0, 5]
    pages = pdf_pages(renderer().render_pdf("sheet.html", _sheet(5), use_cache=False))
    assert len(pages) == 2 and all(f"Lê Văn {i}" in pages[1] for i in range(5)) and "Lê Văn" not in pages[0]


def test_a_text_too_long_for_three_small_lines_makes_its_row_taller(app):
    rows = [[str(i + 1), "Lê Văn An", LONG_ADDRESS if i % 4 == 0 else "Nhà 1"] for i in range(40)]
    context = {**_sheet(0), "rows": rows, "columns": [{"label": "STT", "width": 12},
                                                      {"label": "Họ và tên", "width": 80},
                                                      {"label": "Địa chỉ", "width": 20}]}
    planned = layout.paginate_sheet(context)
    uniform = layout.paginate_sheet({**context, "rows": [[r[0], r[1], "Nhà 1"] for r in rows]})
    full = int((layout.PORTRAIT.height - planned["grid"]["header_height"] - 0.5) // layout.ROW_MM)
    assert any(p["tall"] for p in planned["pages"]) and all(p["units"] <= full for p in planned["pages"])
    assert len(planned["pages"]) > len(uniform["pages"])
    data = renderer().render_pdf("sheet.html", context, use_cache=False)
    _look(data, "tall_rows")
    assert _text(data).count(LONG_ADDRESS) == 10


def test_a_short_report_table_is_never_split_by_the_page_foot(app):
    """Whatever the height above it, a five-row table of a report is on one page (it moved whole when it would
    have been split 2+3 or 4+1)."""
    table = {"title": "Kết quả", "note": None, "groups": None, "bars": None, "total": None,
             "columns": [{"label": "Xã", "mm": 60, "align": "left", "grouped": False},
                         {"label": "Số người", "mm": 30, "align": "num", "grouped": False}],
             "rows": [{"cells": [f"Xã số {i}", str(i)], "bold": False} for i in range(5)]}
    spots = set()
    for facts in range(10, 26):  # with the signatures under it, or without them
        context = {**_sheet(0), "facts": [["Ghi chú", "Một dòng"]] * facts, "tables": [table]}
        pages = pdf_pages(renderer().render_pdf("report_table.html", context, use_cache=False))
        holding = {n for n, text in enumerate(pages) for i in range(5) if f"Xã số {i}" in text}
        assert len(holding) == 1, (facts, holding)
        spots |= holding
    assert spots == {0, 1}  # the heights tried put the table on page one, then on page two
