"""Long lists laid out before WeasyPrint sees them: fixed-height rows, pages planned in Python.

WeasyPrint spends most of a long list's time in table layout and in drawing one bordered box per cell. A sheet
(``sheet.html``) is therefore planned here: every row is 9 mm high, a text too wide for its column is set a
size or two smaller (or on two or three short lines) instead of wrapping, so the number of rows on a page is
known in advance. Each page becomes its own block with the column header repeated and its number
(from page 2) written in, the grid is one background tile, and each column of a page is one block of text,
one line per row. Pages can then be rendered separately (in several processes) and joined.

The estimate of the first page's heading block errs on the safe side; the renderer checks the page count it
gets and plans again with more room if a heading was taller than expected.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from . import fonts

PT = 25.4 / 72  # mm per point
ROW_MM = 9.0
CELL_PAD_MM = 1.5
BASE_PT = 13.0
LINE = 1.3  # line-height of body text
RULE_PT = 0.6
#: (class, font size in pt, lines) from the normal size down: a size or three smaller on one line, then two
#: lines at 10.5 or 9 pt, then three lines at 7.5 pt (clipped beyond that).
FITS = (("", 13.0, 1), ("f12", 12.0, 1), ("f11", 11.0, 1), ("f10", 10.0, 1), ("w2", 10.5, 2), ("w2s", 9.0, 2),
        ("w3", 7.5, 3))
_SAFETY = 1.03  # widths are measured without kerning


@dataclass(frozen=True)
class Geometry:
    """The printable area of a page (A4 minus the margins of print.css), in mm."""

    width: float
    height: float


PORTRAIT = Geometry(165.0, 257.0)
LANDSCAPE = Geometry(252.0, 170.0)


def _line(pt: float) -> float:
    return pt * LINE * PT


def fit(text: str, inner_mm: float) -> str:
    """The class that makes a text fit a column of ``inner_mm`` on one row ("" when it fits as it is)."""
    m = fonts.metrics("regular")
    width = m.em(text) * PT * _SAFETY
    for name, size, lines in FITS:
        if lines == 1 and width * size <= inner_mm:
            return name
        if lines > 1 and fonts.wrap_lines(text, inner_mm / _SAFETY, size) <= lines:
            return name
    return FITS[-1][0]  # clipped at three lines


def header_size(label: str, inner_mm: float) -> float:
    """The size of a column heading: 13 pt unless one of its words is wider than the column."""
    bold = fonts.metrics("bold")
    widest = max((bold.em(word) for word in label.split()), default=0.0) * PT * _SAFETY
    for size in (BASE_PT, 11.0, 10.0, 9.0):
        if widest * size <= inner_mm:
            return size
    return 8.0


def _header_lines(label: str, inner_mm: float) -> int:
    size = header_size(label, inner_mm)
    return int(-(-fonts.wrap_lines(label, inner_mm, size, "bold") * _line(size) // _line(BASE_PT)))


def first_page_top(context: dict, geometry: Geometry) -> float:
    """A generous estimate of the height of the heading block above the first page's list, in mm."""
    w = geometry.width
    left = 0.42 * w - 2
    issuer = 0.0
    if context.get("issuer_superior"):
        issuer += fonts.wrap_lines(context["issuer_superior"].upper(), left, 12) * _line(12)
    issuer += fonts.wrap_lines(str(context.get("issuer_name", "")).upper(), left, 12, "bold") * _line(12)
    issuer += 1.5
    nation = _line(12) * fonts.wrap_lines("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 0.58 * w - 2, 12, "bold") \
        + _line(13) + 1.5
    height = max(issuer, nation) + 3  # state header and its margin
    height += _line(BASE_PT) + 6  # place and date, then the title's top margin
    height += fonts.wrap_lines(str(context.get("title", "")).upper(), w, 14, "bold") * _line(14) + 1
    if context.get("subtitle"):
        height += fonts.wrap_lines(context["subtitle"], w, BASE_PT, "bold") * _line(BASE_PT) + 4
    facts = context.get("facts") or []
    for label, value in facts:
        height += fonts.wrap_lines(f"{label}: {value}", w, BASE_PT) * _line(BASE_PT) + 1
    if facts:
        height += 3
    return height + 2  # slack


def tail_height(context: dict, geometry: Geometry) -> float:
    """Height of what follows the list on the last page: the note and the signatures."""
    height = 0.0
    if context.get("note"):
        height += fonts.wrap_lines(context["note"], geometry.width, 11, "italic") * _line(11) + 2 * 11 * PT
    signatures = context.get("signatures")
    if signatures:
        role_lines = max(fonts.wrap_lines(str(r).upper(), 0.45 * geometry.width, BASE_PT, "bold")
                         for r in signatures)
        height += 10 + role_lines * _line(BASE_PT) + _line(11) + 22 + _line(BASE_PT)
    return height + 2 if height else 0.0


def _tile(widths: list[float], height: float, *, top: bool = False) -> str:
    """An SVG tile with the column rules of one row (and its bottom rule) as a data: URI."""
    total = sum(widths)
    stroke = RULE_PT * PT
    xs, x = [], 0.0
    for w in widths:
        xs.append(x)
        x += w
    xs.append(total)
    half = stroke / 2
    lines = [f'<line x1="{min(max(x, half), total - half):.3f}" y1="0" x2="{min(max(x, half), total - half):.3f}" '
             f'y2="{height:.3f}"/>' for x in xs]
    lines.append(f'<line x1="0" y1="{height - half:.3f}" x2="{total:.3f}" y2="{height - half:.3f}"/>')
    if top:
        lines.append(f'<line x1="0" y1="{half:.3f}" x2="{total:.3f}" y2="{half:.3f}"/>')
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{total:.3f}mm" height="{height:.3f}mm" '
           f'viewBox="0 0 {total:.3f} {height:.3f}"><g stroke="#000" stroke-width="{stroke:.3f}">'
           + "".join(lines) + "</g></svg>")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def plan(count: int, first: int, per_page: int, tail_rows: int) -> list[tuple[int, int]]:
    """Row ranges per page. Page one holds ``first`` rows, the others ``per_page``; the last page keeps
    ``tail_rows`` rows' height free for the note and signatures. When they do not fit under the last rows,
    they go to a new page that takes up to three rows with it (never none, if there are rows to take)."""
    first = max(1, first)
    per_page = max(1, per_page)
    ranges: list[tuple[int, int]] = []
    start, capacity = 0, first
    while count - start > capacity:
        ranges.append((start, start + capacity))
        start += capacity
        capacity = per_page
    rest = count - start
    if rest <= capacity - tail_rows:
        ranges.append((start, count))
        return ranges
    carried = min(3, max(0, per_page - tail_rows), rest - 1 if rest > 1 else 0)
    ranges.append((start, count - carried))
    ranges.append((count - carried, count))
    return ranges


def paginate_sheet(context: dict, *, first_slack_rows: int = 0) -> dict:
    """The context of ``sheet.html`` with its pages planned (see the module docstring)."""
    geometry = LANDSCAPE if context.get("landscape") else PORTRAIT
    columns = context["columns"]
    total = sum(float(c["width"]) for c in columns) or 1.0
    scale = geometry.width / total
    widths = [float(c["width"]) * scale for c in columns]
    inner = [w - 2 * CELL_PAD_MM for w in widths]
    header_lines = max(_header_lines(c["label"], i) for c, i in zip(columns, inner, strict=True))
    header_height = round(header_lines * _line(BASE_PT) + 2 + 0.5, 1)
    body = [[str(v) if v is not None else "" for v in row] for row in context.get("rows") or []]
    blank = int(context.get("blank_rows") or 0)
    count = len(body) + blank
    usable = geometry.height - header_height - 0.5
    per_page = int(usable // ROW_MM)
    top = first_page_top(context, geometry)
    first = int((usable - top) // ROW_MM) - first_slack_rows
    tail_rows = int(-(-tail_height(context, geometry) // ROW_MM))
    ranges = plan(max(count, 1), first, per_page, tail_rows) if count else [(0, 0)]
    pages = []
    number_total = len(ranges)
    for n, (start, end) in enumerate(ranges, start=1):
        cols: list[list[tuple[str, str]]] = [[] for _ in columns]
        for index in range(start, end):
            if index < len(body):
                cells = body[index]
            else:
                cells = [str(index + 1)] + [""] * (len(columns) - 1)
            for c, text in enumerate(cells[:len(columns)]):
                cols[c].append((text, fit(text, inner[c]) if text else ""))
        for c in cols:  # trailing empty lines print nothing
            while c and not c[-1][0]:
                c.pop()
        pages.append({"number": n, "total": number_total, "first": n == 1, "last": n == number_total,
                      "rows": end - start,
                      "columns": [[(t or "\u00a0", f) for t, f in c] for c in cols]})
    out = dict(context)
    offsets, x = [], 0.0
    for w in widths:
        offsets.append(round(x, 3))
        x += w
    out.update({
        "pages": pages,
        "grid": {"width": round(geometry.width, 3), "widths": [round(w, 3) for w in widths], "offsets": offsets,
                 "row": ROW_MM, "header_height": header_height,
                 "header_pad": [round((header_height - 2 - _header_lines(c["label"], i) * _line(BASE_PT)) / 2
                                      + 1, 2) for c, i in zip(columns, inner, strict=True)],
                 "header_sizes": [header_size(c["label"], i) for c, i in zip(columns, inner, strict=True)],
                 "row_tile": _tile(widths, ROW_MM), "header_tile": _tile(widths, header_height, top=True),
                 "heights": sorted({p["rows"] for p in pages})},
    })
    return out
