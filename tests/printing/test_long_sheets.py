"""Long lists: pages planned in Python, laid out in the render processes, joined; what each page must carry."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import pytest

from portal.i18n.collation import collation_key
from portal.printing import layout, layout_signup, renderer

from .helpers import invite_many, pdf_pages

#: What these tests check (printing) is the same on both databases: they run once per ``make test`` (tests/README.md,
#: "Run once").
pytestmark = pytest.mark.once

GIVEN = ["An", "Ánh", "Bình", "Cường", "Dũng", "Đạt", "Hà", "Hương", "Lan", "Long", "Mai", "Ngọc", "Thảo", "Yến"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"]


def _names(n: int) -> list[str]:
    return [f"{FAMILY[i % len(FAMILY)]} Thị {GIVEN[i % len(GIVEN)]} {chr(65 + i // 26)}{chr(65 + i % 26)}"
            for i in range(n)]


@pytest.fixture
def parallel(app):
    """Lay out anything of two pages or more in the render processes."""
    r = renderer()
    before = r.parallel_min_pages
    r.parallel_min_pages = 2
    yield r
    r.parallel_min_pages = before


def test_a_long_attendance_sheet_in_parallel_chunks(client, auth, world, parallel):
    names = [unicodedata.normalize("NFD", n) for n in _names(130)]
    invite_many(world.own.event, world.own.hamlet, names, world.own.agent)
    auth.login(world.users["local_officer"])
    response = client.get(f"/events/{world.own.event.id}/print/attendance.pdf")
    assert response.status_code == 200
    pages = pdf_pages(response.data)
    total = len(pages)
    assert total >= 6
    rows = []
    for number, text in enumerate(pages, start=1):
        assert "STT" in text and "Họ và tên" in text and "Ký tên" in text, number  # the header on every page
        # Decree 30: the page number alone (centred in the top margin), from page 2; rows on page 1 are 1-19.
        lines = [line.strip() for line in text.split("\n")]
        assert number == 1 or str(number) in lines, number
        assert "Trang" not in text
        # Invited after row 1 was printed (by the world), rows 2-131 are marked "*" as late invitees.
        rows += [int(m) for m in re.findall(r"^(\d+)\*?(?:\s|$)", text, re.M) if int(m) <= 151]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in pages[0].upper() and "NGƯỜI LẬP DANH SÁCH" in pages[-1]
    # Every row once, in order: 131 invited (the world's household first), then 20 blank rows.
    assert sorted(set(rows)) == list(range(1, 152))
    joined = "\n".join(pages)
    assert unicodedata.normalize("NFD", "Ánh") not in joined and "Trần Thị Ánh AB" in joined
    printed = [n for n in (unicodedata.normalize("NFC", x) for x in names) if n in joined]
    assert len(printed) == 130
    order = sorted(printed, key=lambda n: joined.index(n))
    assert order == sorted(printed, key=collation_key)  # given name first, Vietnamese letters and tones


def test_a_long_signup_sheet_is_planned_page_by_page_and_laid_out_in_chunks(client, auth, world, parallel):
    """The sign-up sheet (a block per person) is planned like the sheets: the render processes lay out its pages
    in chunks, the page count is the planned one, every block is there once, numbered pages from page 2."""
    invite_many(world.own.event, world.own.hamlet, _names(24), world.own.agent)
    auth.login(world.users["local_officer"])
    parallel.last_cpu = 0.0
    response = client.get(f"/events/{world.own.event.id}/print/signup-sheet.pdf")
    assert response.status_code == 200
    assert parallel.last_cpu > 0  # laid out by the render processes, not in the web worker
    pages = pdf_pages(response.data)
    with client.application.test_request_context():
        from portal.printing import documents

        context = documents.signup_sheet(world.own.event)
    planned = layout_signup.paginate_signup(context)
    assert len(pages) == len(planned["pages"]) >= 6
    assert sum(len(p["blocks"]) for p in planned["pages"]) == 25 + 15  # the world's household, 24, 15 blank
    # three blocks a page; the last page takes a block with the signatures
    assert all(len(p["blocks"]) == 3 for p in planned["pages"][1:-2]) and planned["pages"][-1]["blocks"]
    for number, text in enumerate(pages, start=1):
        lines = [line.strip() for line in text.split("\n")]
        assert number == 1 or str(number) in lines, number
        assert "Họ và tên" in text or number == len(pages)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in pages[0].upper() and "VssID" in pages[-1]
    joined = " ".join(" ".join(pages).split())
    assert all(name.upper() in joined for name in _names(24))


def test_a_long_value_makes_a_signup_block_taller():
    person = {"row": "1", "name": "LÊ VĂN AN", "residence": "Thôn Khe Cam"}
    long = {**person, "residence": "Số nhà 1234 ngõ Hoàng Liên Sơn kéo dài đến tận chân núi Phan Xi Păng " * 3}
    assert layout_signup.signup_block_height(long) > layout_signup.signup_block_height(person) == layout_signup.signup_block_height({})
    context = {"title": "Phiếu", "facts": [], "legend": [], "signatures": ["A", "B"], "note": "Ghi chú.",
               "people": [long] * 7, "blanks": ["8", "9"]}
    planned = layout_signup.paginate_signup(context)
    assert [b["row"] for p in planned["pages"] for b in p["blocks"]] == ["1"] * 7 + ["8", "9"]
    assert planned["pages"][0]["first"] and planned["pages"][-1]["last"] and planned["pages"][-1]["blocks"]


def test_the_same_inputs_give_the_cached_document(client, auth, world):
    auth.login(world.users["local_officer"])
    url = f"/events/{world.own.event.id}/print/attendance.pdf"
    first = client.get(url).data
    assert client.get(url).data == first
    invite_many(world.own.event, world.own.hamlet, ["Lê Văn Bình"], world.own.agent)
    assert client.get(url).data != first


def _sheet(rows: list[list[str]], **extra) -> dict:
    context = dict(title="Danh sách ký tên", subtitle="Hội nghị", issuer_superior="Bảo hiểm xã hội tỉnh Lào Cai",
                   issuer_name="Bảo hiểm xã hội cơ sở Nghĩa Lộ", place="Nghĩa Lộ", date=date(2026, 5, 5),
                   facts=[["Địa điểm", "Nhà văn hóa"]],
                   columns=[{"label": "STT", "width": 12, "align": "center"}, {"label": "Họ và tên", "width": 52},
                            {"label": "Năm sinh", "width": 18, "align": "center"}, {"label": "Thôn/Tổ", "width": 34},
                            {"label": "Ký tên", "width": 44}],
                   rows=rows, blank_rows=0, signatures=["Người lập", "Đại diện"], note=None, landscape=False)
    context.update(extra)
    return context


def test_long_names_shrink_instead_of_wrapping(app):
    long_name = "Tôn Nữ Hoàng Bảo Ngọc Thiên Hương Phương Thảo Nguyên"
    rows = [[str(i + 1), long_name if i % 3 == 0 else "Lê Văn An", "1970", "Thôn Khe Cam", ""] for i in range(60)]
    planned = layout.paginate_sheet(_sheet(rows))
    fits = {f for page in planned["pages"] for text, f in page["columns"][1] if text == long_name}
    assert fits and "" not in fits
    pdf = renderer().render_pdf("sheet.html", _sheet(rows), use_cache=False)
    pages = pdf_pages(pdf)
    assert len(pages) == len(planned["pages"])  # nothing wrapped onto a page of its own
    assert [p["rows"] for p in planned["pages"][1:-1]] == [26] * (len(planned["pages"]) - 2)


def test_landscape_sheets_and_plans():
    assert layout.plan(5, 18, 26, 6) == [(0, 5)]
    assert layout.plan(40, 18, 26, 6) == [(0, 18), (18, 37), (37, 40)]  # the signatures take three rows along
    assert layout.plan(1, 1, 26, 6) == [(0, 0), (0, 1)]  # never a lone row under the heading
    assert layout.fit("Lê Văn An", 40) == "" and layout.fit("Lê Văn An " * 6, 40) in ("w2", "w2s", "w3")


def test_the_documents_font_has_vietnamese_letters():
    from portal.printing import fonts

    info = fonts.coverage()
    assert info["file"] and "LiberationSerif" in info["file"]
    if not info["vietnamese"]:
        pytest.skip("fonts-liberation2 is not installed: Vietnamese letters come from DejaVu Serif")
    assert fonts.metrics().covers("Nguyễn Thị Ánh Hồng Đức Phượng Ữ")


def test_a_rows_figures_are_set_at_one_size():
    """Year, phone, code and date columns (single words on one line) at one size, the smallest any needs; a
    column too narrow for them at 10 pt is widened at the text columns' expense (a few mm), and when it cannot
    be, keeps its own smaller size rather than pulling the others down with it."""
    rows = [[str(i + 1), "Lê Văn An", "1985", "0988492559", "1569138412", "24/12/2026"] for i in range(30)]
    columns = [{"label": "STT", "width": 10, "align": "center"}, {"label": "Họ và tên", "width": 40},
               {"label": "Năm sinh", "width": 14, "align": "center"}, {"label": "Điện thoại", "width": 20},
               {"label": "Mã số BHXH", "width": 20}, {"label": "Đóng đến", "width": 18, "align": "center"}]
    sizes = layout.paginate_sheet(_sheet(rows, columns=columns))["grid"]["sizes"]
    assert sizes[1] == "" and len({sizes[c] for c in (0, 2, 3, 4, 5)}) == 1 and sizes[0] != ""
    cramped = [*columns[:3], {"label": "Điện thoại", "width": 13}, *columns[4:]]
    grid = layout.paginate_sheet(_sheet(rows, columns=cramped))["grid"]
    assert len({grid["sizes"][c] for c in (0, 2, 3, 4, 5)}) == 1 and grid["sizes"][3] in ("f10", "f11", "f12", "")
    assert grid["widths"][3] > 13 * layout.PORTRAIT.width / sum(c["width"] for c in cramped)
    hopeless = [columns[0], {"label": "Họ và tên", "width": 12}, columns[2], {"label": "Điện thoại", "width": 6},
                *columns[4:]]
    sizes = layout.paginate_sheet(_sheet(rows, columns=hopeless))["grid"]["sizes"]
    assert sizes[0] == sizes[2] == sizes[4] == sizes[5] in ("", "f12", "f11", "f10")
