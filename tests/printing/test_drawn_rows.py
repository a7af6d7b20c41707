"""The rows of planned grids written into the PDF (portal/printing/drawn.py) rather than laid out by WeasyPrint:
the same pages as WeasyPrint draws, the text kept, WeasyPrint again for a letter the documents' font lacks; and a
report's figures on one line, at one size."""

from __future__ import annotations

import io
import sys
from datetime import date

import pytest
from PIL import Image, ImageChops
from pypdf import PdfReader

from portal.printing import drawn, fonts, layout, layout_report, renderer
from portal.printing.layout import CELL_PAD_MM, PT

from .helpers import pdf_pages, to_png

#: What these tests check (printing) is the same on both databases: they run once per ``make test`` (tests/README.md,
#: "Run once").
pytestmark = pytest.mark.once

RENDERER = sys.modules["portal.printing.renderer"]
LONG_ADDRESS = ("Nhà số 1234, ngõ 56 ngách 78 hẻm 90, đường Nguyễn Thị Minh Khai kéo dài qua cầu Bến Lức, khu tái "
                "định cư số 3 phía sau chợ đầu mối nông sản")
NAMES = ("Lê Văn An", "Nguyễn Thị Phương Thảo Nguyên Hạnh Phúc", "Ksor H'Ben", "Đỗ Văn Ánh")


def _sheet(names=NAMES) -> dict:
    rows = []
    for i in range(30):
        address = LONG_ADDRESS if i % 7 == 3 else "Thôn Bản Pho, xã Nậm Khắt Mường Khương" if i % 3 == 0 else "Nhà 9"
        rows.append([str(i + 1), names[i % len(names)], address, "0912345678" if i % 2 else "",
                     f"{i * 1234:,}".replace(",", ".")])
    return {"title": "Danh sách", "subtitle": "Hội nghị thôn Bản Pho", "facts": [],
            "issuer_name": "BHXH cơ sở Nghĩa Lộ", "issuer_superior": "BHXH tỉnh Lào Cai", "place": "Lào Cai",
            "date": date(2027, 5, 3), "landscape": False, "signatures": ["Người lập", "Thủ trưởng đơn vị"],
            "note": None, "blank_rows": 3, "rows": rows,
            "columns": [{"label": "STT", "width": 10, "align": "center"}, {"label": "Họ và tên", "width": 40},
                        {"label": "Địa chỉ", "width": 35}, {"label": "Điện thoại", "width": 18},
                        {"label": "Số tiền", "width": 16, "align": "num"}]}


def _written(pdf: bytes) -> bool:
    """Whether rows were written by drawn.py (its fonts are on the pages)."""
    return any("/GdR" in (page["/Resources"].get("/Font") or {}) for page in PdfReader(io.BytesIO(pdf)).pages)


def _difference(first: Image.Image, second: Image.Image) -> float:
    """The share of pixels that differ between two pictures of a page."""
    diff = ImageChops.difference(first.convert("L"), second.convert("L")).point(lambda v: 255 if v > 48 else 0)
    return sum(diff.histogram()[255:]) / (diff.width * diff.height)


def _flat(pages: list[str]) -> str:
    return " ".join(" ".join(pages).split())


@pytest.fixture
def here(monkeypatch):
    """The renderer, laying out in this process (the render processes run the same functions)."""
    r = renderer()
    monkeypatch.setattr(r, "processes", 1)
    return r


def test_written_rows_look_like_rows_laid_out_by_weasyprint(app, here, tmp_path, monkeypatch):
    """One-line texts, texts on two small lines, a text in a row six rows high, figures right-aligned, numbers
    centred: the pages are those WeasyPrint lays out, and their text is the same."""
    context = _sheet()
    ours = here.render_pdf("sheet.html", context, use_cache=False)
    monkeypatch.setattr(RENDERER, "DRAWN_BODIES", set())
    theirs = here.render_pdf("sheet.html", context, use_cache=False)
    assert _written(ours) and not _written(theirs)
    mine, other = to_png(ours, tmp_path, "ours", dpi=50), to_png(theirs, tmp_path, "theirs", dpi=50)
    assert len(mine) == len(other) == 2
    for n, (a, b) in enumerate(zip(mine, other, strict=True)):
        assert _difference(Image.open(a), Image.open(b)) < 0.006, f"page {n + 1} differs"
    text, expected = _flat(pdf_pages(ours)), _flat(pdf_pages(theirs))
    for row in context["rows"]:
        for cell in row:
            assert cell in text and cell in expected, cell
    assert text.count(LONG_ADDRESS) == expected.count(LONG_ADDRESS) == 4


def test_report_rows_are_written_in_the_render_processes(app, monkeypatch):
    """A report long enough for the render processes: its rows written there, every figure printed."""
    r = renderer()
    monkeypatch.setattr(r, "parallel_min_pages", 2)
    table = {"title": "Kết quả", "note": "Ghi chú.", "groups": None, "bars": None, "total": ["", "Tổng cộng", "4.950"],
             "columns": [{"label": "STT", "mm": 9, "align": "num", "grouped": False},
                         {"label": "Xã, phường", "mm": 60, "align": "left", "grouped": False},
                         {"label": "Số người", "mm": 30, "align": "num", "grouped": False}],
             "rows": [{"cells": [str(i + 1), f"Xã Phong Niên {i:03d}", str(i * 10)], "bold": False}
                      for i in range(100)]}
    context = {**_sheet(), "tables": [table], "landscape": True}
    pdf = r.render_pdf("report_table.html", context, use_cache=False)
    assert _written(pdf)
    text = _flat(pdf_pages(pdf))
    assert all(f"Xã Phong Niên {i:03d}" in text for i in range(100))
    assert "Tổng cộng" in text and " 4.950" in text


@pytest.mark.parametrize("name", ["Vương 王 An", "Ma Văn n\u0304ô"], ids=["beyond the font", "a lone mark"])
def test_a_letter_the_font_lacks_is_laid_out_by_weasyprint(app, here, name):
    """A letter the documents' font does not have (WeasyPrint finds it another font), or a combining mark that
    needs placing over its letter: the rows are laid out by WeasyPrint, and printed whole."""
    context = _sheet([name, *NAMES])
    assert not drawn.drawable(drawn.bodies_of(RENDERER.paginate_sheet(context)))
    pdf = here.render_pdf("sheet.html", context, use_cache=False)
    assert not _written(pdf)
    pages = pdf_pages(pdf)
    assert len(pages) == len(RENDERER.paginate_sheet(context)["pages"])
    if "\u0304" in name:  # (pypdf reads the text of a page with a CJK fallback font letter by letter)
        text = _flat(pages)
        assert all(n in text for n in NAMES) and "Ma Văn" in text


def test_a_report_sets_its_figures_on_one_line_at_one_size(app):
    """Percentages over 1.000 % and six-figure totals: each figure column as wide as its figures need, every
    figure at the same size and on one line (no row grows for a figure), the names on one line."""
    columns = [{"label": "STT", "mm": 9, "align": "num", "grouped": False},
               {"label": "Xã, phường", "mm": 38, "align": "left", "grouped": False}]
    groups = [{"label": "STT", "span": 1, "grouped": False}, {"label": "Xã, phường", "span": 1, "grouped": False}]
    for metric in ("BHXH TN mới", "BHYT HGĐ mới", "Tái tục", "Hội nghị", "Người dự"):
        groups.append({"label": metric, "span": 3, "grouped": True})
        columns += [{"label": label, "mm": 14, "align": "num", "grouped": True}
                    for label in ("Chỉ tiêu", "Thực hiện", "% kế hoạch")]
    rows = [{"cells": [str(i + 1), f"Xã Thử Nghiệm {i}", *(["30", "344", "1.146,7%"] * 5)], "bold": i == 9}
            for i in range(40)]
    table = {"title": "Kết quả so với chỉ tiêu", "note": None, "bars": None, "groups": groups, "columns": columns,
             "rows": rows, "total": ["", "Tổng cộng", *(["1.200", "13.760", "1.146,7%"] * 5)]}
    plan = layout_report.paginate_report({**_sheet(), "landscape": True, "tables": [table]})
    grid = plan["grids"][0]
    figures = [grid["sizes"][c] for c, column in enumerate(columns) if column["align"] == "num"]
    assert len(set(figures)) == 1 and figures[0] in {name for name, _size in layout.FIGURE_SIZES}
    size = dict(layout.FIGURE_SIZES)[figures[0]]
    for c, column in enumerate(columns):  # each figure fits its column on one line
        if column["align"] == "num":
            widest = max(fonts.metrics("bold").em(row[c]) for row in [r["cells"] for r in rows] + [table["total"]])
            assert widest * size * PT <= grid["widths"][c] - 2 * CELL_PAD_MM, column["label"]
    parts = [part for page in plan["pages"] for part in page["parts"]]
    assert sum(part["rows"] for part in parts) == sum(part["units"] for part in parts) == 41  # every row one high
    assert grid["widths"][4] > 14 * 252 / sum(c["mm"] for c in columns)  # the percentages' column widened
    assert sum(grid["widths"]) == pytest.approx(252, abs=0.01)
    names = {fit for part in parts for text, fit in part["columns"][1] if text.startswith("Xã")}
    assert names <= {"", "b"}  # on one line, at the column's size


def _signup(names=NAMES) -> dict:
    people = [{"row": str(i + 1) + ("*" if i == 2 else ""), "name": name.upper(), "birth": "03/10/1981",
               "sex": ("male", "female", "")[i % 3], "ethnicity": "Tày", "nationality": "Việt Nam",
               "cccd": "đã có (…7694)", "bhxh_code": "", "phone": "đã có (…6894)",
               "residence": LONG_ADDRESS if i == 1 else "Nhà 9, Bản Làng Mới, Xã Mù Cang Chải", "contact": "",
               "clinic": "Trạm Y tế xã Chế Tạo (mã 15104)"} for i, name in enumerate(names)]
    return {**_sheet(), "landscape": True, "people": people, "blanks": ["5", "6"], "note": "Ghi chú.",
            "facts": [["Thời gian", "14:00 – 16:30, ngày 03/05/2027"]], "legend": [["Phương thức đóng", "1 = Hằng tháng"]]}


def test_signup_blocks_drawn_over_forms_look_like_blocks_laid_out_whole(app, here, tmp_path, monkeypatch):
    """The sign-up sheet's blocks: a form per shape of block (a long address, each box ticked for sex), the
    values written in: the pages look like the blocks laid out whole by WeasyPrint, with the same text."""
    context = _signup()
    ours = here.render_pdf("signup_sheet.html", context, use_cache=False)
    monkeypatch.setattr(RENDERER, "FORM_BLOCKS", set())
    theirs = here.render_pdf("signup_sheet.html", context, use_cache=False)
    reader = PdfReader(io.BytesIO(ours))
    forms = {x.idnum for page in reader.pages for x in page["/Resources"]["/XObject"].values()
             if x.get_object().get("/Subtype") == "/Form"}
    assert _written(ours) and not _written(theirs) and len(forms) == 4  # two shapes x three ticks, four used
    mine, other = to_png(ours, tmp_path, "ours", dpi=50), to_png(theirs, tmp_path, "theirs", dpi=50)
    assert len(mine) == len(other) == 3
    for n, (a, b) in enumerate(zip(mine, other, strict=True)):
        assert _difference(Image.open(a), Image.open(b)) < 0.01, f"page {n + 1} differs"
    text, expected = _flat(pdf_pages(ours)), _flat(pdf_pages(theirs))
    for value in ("LÊ VĂN AN", "KSOR H'BEN", "3*", "03/10/1981", "đã có (…7694)", "Trạm Y tế xã Chế Tạo (mã 15104)",
                  "☒ Nam", "☒ Nữ", "Họ và tên", "Ghi chú."):
        assert value in text and value in expected, value
    assert all(word in text for word in LONG_ADDRESS.split())


def test_a_signup_value_beyond_the_font_lays_the_blocks_out_whole(app, here):
    pdf = here.render_pdf("signup_sheet.html", _signup(["Vương 王 An", *NAMES[1:]]), use_cache=False)
    assert not _written(pdf)
    assert len(pdf_pages(pdf)) == len(RENDERER.paginate_signup(_signup())["pages"])


def test_a_line_break_in_a_value_is_a_space_on_its_line(app, here):
    context = _sheet()
    context["rows"][0][2] = "Nhà 9\nBản Pho\txã Nậm Khắt"
    pdf = here.render_pdf("sheet.html", context, use_cache=False)
    assert _written(pdf) and "Nhà 9 Bản Pho xã Nậm Khắt" in _flat(pdf_pages(pdf))
