"""A long commune report: its tables planned page by page like the sheets (portal/printing/layout.py), the
header and its group headings on every page, the total row once at the foot of each table, long commune names
in taller rows rather than cut off."""

from __future__ import annotations

import re

import pytest

from portal.extensions import db
from portal.geo.models import Commune
from portal.printing import layout_report
from portal.printing.renderer import PAGED
from portal.reports.labels import METRIC_SHORT_VI

from ..printing.helpers import pdf_pages
from . import scenario

#: What these tests check (printing) is the same on both databases: they run once per ``make test`` (tests/README.md,
#: "Run once").
pytestmark = pytest.mark.once

LONG = "Xã Nậm Khắt Mường Khương Sín Chải Tả Van Chư Đồng Tâm Thượng Hạ Số"


@pytest.fixture
def may(world):
    return scenario.build(world)


@pytest.fixture
def planned(monkeypatch):
    """The plans the renderer makes of report_table.html, attempt by attempt."""
    plans: list[tuple[int, dict]] = []
    _key, paginate = PAGED["report_table.html"]

    def recording(context, *, first_slack_rows=0):
        result = paginate(context, first_slack_rows=first_slack_rows)
        plans.append((first_slack_rows, result))
        return result

    monkeypatch.setitem(PAGED, "report_table.html", ("pages", recording))
    return plans


def _communes(world, count: int) -> list[str]:
    names = [f"{LONG} {i}" if i % 5 == 0 else f"Xã Phong Niên {i:03d}" for i in range(count)]
    for i, name in enumerate(names):
        commune = Commune(code=f"{70000 + i:05d}", province_id=world.own.commune.province_id, division_type="xã",
                          office_id=world.own.office.id)
        commune.set_name(name)
        db.session.add(commune)
    db.session.commit()
    return names


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_a_long_commune_report_in_planned_pages(client, auth, world, may, planned):
    names = _communes(world, 150)
    auth.login(world.users["province_officer"])
    response = client.get(f"/reports/campaigns/{may.campaign.id}/communes.pdf")
    assert response.status_code == 200
    pages = pdf_pages(response.data)
    assert [slack for slack, _plan in planned] == [0]  # laid out as planned, at the first attempt
    plan = planned[0][1]
    assert len(pages) == len(plan["pages"]) >= 15
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in pages[0].upper() and "NGƯỜI LẬP BIỂU" in pages[-1]
    assert all(str(n) in pages[n - 1].split("\n")[0:3] or str(n) in pages[n - 1] for n in range(2, len(pages) + 1))
    by_table: dict[int, list[int]] = {}
    for number, page in enumerate(plan["pages"]):
        for part in page["parts"]:
            if part["rows"] and part["table"] < 2:
                by_table.setdefault(part["table"], []).append(number)
                # the header with its group headings on every page the table's rows are on
                text = _flat(pages[number])
                assert "STT" in text and ("Chỉ tiêu" in text or "Năm nay" in text), number
                assert all(_flat(str(METRIC_SHORT_VI[m])) in text for m in ("new_bhxh_tn", "renewals")), number
    assert len(by_table[0]) >= 7 and len(by_table[1]) >= 7  # both tables span many pages
    for table in (0, 1):  # the total row once, on the table's last page
        parts = [part for page in plan["pages"] for part in page["parts"] if part["table"] == table]
        assert [any(text == "Tổng cộng" for text, _fit in part["columns"][1]) for part in parts] \
            == [False] * (len(parts) - 1) + [True]
    ends = {by_table[0][-1], by_table[1][-1]}
    totals = {n for n, text in enumerate(pages) if "Tổng cộng" in text}
    assert ends <= totals <= ends | {len(pages) - 1}  # and the activities' own total on the last page
    assert "\n".join(pages).count("Tổng cộng") == 3
    first, last = by_table[0][0], by_table[0][-1]
    flat = _flat("\n".join(pages[first:last + 1]))
    for name in names:  # every commune printed whole, long names in taller rows
        assert _flat(name) in flat, name
    heights = {fit for page in plan["pages"] for part in page["parts"] for cells in part["columns"][1:2]
               for text, fit in cells if text.startswith(LONG)}
    assert heights and heights <= {"w2", "w2s"} | {f"t{n}" for n in range(2, 9)} and heights & {"t2", "t3"}
    assert any(part["tall"] for page in plan["pages"] for part in page["parts"])  # rows two or three high


def test_report_header_groups_and_bold_rows_are_planned():
    context = {"title": "Báo cáo", "subtitle": None, "facts": [], "issuer_name": "BHXH cơ sở Nghĩa Lộ",
               "issuer_superior": "BHXH tỉnh Lào Cai", "place": "Lào Cai", "date": None, "landscape": True,
               "signatures": ["Người lập biểu", "Thủ trưởng đơn vị"],
               "tables": [{"title": "Kết quả", "note": "Ghi chú.", "bars": None,
                           "groups": [{"label": "STT", "span": 1, "grouped": False},
                                      {"label": "Xã", "span": 1, "grouped": False},
                                      {"label": "BHXH tự nguyện mới", "span": 2, "grouped": True}],
                           "columns": [{"label": "STT", "mm": 9, "align": "num", "grouped": False},
                                       {"label": "Xã", "mm": 38, "align": "left", "grouped": False},
                                       {"label": "Chỉ tiêu", "mm": 14, "align": "num", "grouped": True},
                                       {"label": "Thực hiện", "mm": 14, "align": "num", "grouped": True}],
                           "rows": [{"cells": [str(i + 1), f"Xã {i}", "10", "5"], "bold": i == 3}
                                    for i in range(60)],
                           "total": ["", "Tổng cộng", "600", "300"]}]}
    plan = layout_report.paginate_report(context)
    boxes = plan["grids"][0]["header"]
    group = next(b for b in boxes if b["label"] == "BHXH tự nguyện mới")
    below = [b for b in boxes if b["label"] in ("Chỉ tiêu", "Thực hiện")]
    stt = next(b for b in boxes if b["label"] == "STT")
    assert group["top"] == 0 and all(b["top"] == group["height"] for b in below)
    assert stt["height"] == plan["grids"][0]["header_height"]  # an ungrouped column spans both levels
    assert group["width"] == pytest.approx(sum(b["width"] for b in below), abs=0.01)
    parts = [part for page in plan["pages"] for part in page["parts"]]
    assert sum(part["rows"] for part in parts) == 61 and parts[-1]["note"] == "Ghi chú."
    assert all(part["header"] for part in parts if part["rows"])
    lines = [line for part in parts for line in part["columns"][1]]
    assert ("Xã 3", "b") in lines and ("Tổng cộng", "b") in lines and ("Xã 4", "") in lines


def test_a_note_longer_than_a_page_is_planned_over_the_pages_it_takes(app, planned):
    """A table's note of several pages (the list of communes beyond their plan in a province's report) is cut
    at line ends into the pages it takes: laid out as planned at the first attempt, each page with its own
    number, the note whole and in order, the signatures after it."""
    from datetime import date

    from portal.printing import renderer

    words = [f"Xã Phong Niên {i:03d} (BHXH TN mới +{i % 40});" for i in range(700)]
    table = {"title": "Kết quả", "note": "Vượt kế hoạch: " + " ".join(words), "groups": None, "bars": None,
             "total": ["Tổng cộng", "5"],
             "columns": [{"label": "Xã", "mm": 60, "align": "left", "grouped": False},
                         {"label": "Số người", "mm": 30, "align": "num", "grouped": False}],
             "rows": [{"cells": [f"Xã số {i}", str(i)], "bold": False} for i in range(30)]}
    context = {"title": "Báo cáo", "subtitle": None, "facts": [], "issuer_name": "BHXH cơ sở Nghĩa Lộ",
               "issuer_superior": "BHXH tỉnh Lào Cai", "place": "Lào Cai", "date": date(2027, 5, 31),
               "landscape": True, "signatures": ["Người lập biểu", "Thủ trưởng đơn vị"], "tables": [table]}
    pages = pdf_pages(renderer().render_pdf("report_table.html", context, use_cache=False))
    assert [slack for slack, _plan in planned] == [0]
    plan = planned[0][1]
    assert len(pages) == len(plan["pages"]) >= 5
    notes = [part["note"] for page in plan["pages"] for part in page["parts"] if part["note"]]
    assert len(notes) >= 3 and " ".join(notes) == table["note"]
    for number in range(2, len(pages) + 1):  # numbered 2, 3, ... (never one number over several pages)
        assert str(number) in [line.strip() for line in pages[number - 1].split("\n")], number
    for number, page in enumerate(plan["pages"]):  # each piece of the note on the page planned for it
        for part in page["parts"]:
            if part["note"]:
                assert set(part["note"].split()) <= set(pages[number].split()), number
    assert "NGƯỜI LẬP BIỂU" in pages[-1] and "Phong Niên 699" in " ".join(pages[-2:])
