"""Long lists laid out before WeasyPrint sees them: fixed-height rows, pages planned in Python.

WeasyPrint spends most of a long list's time in table layout and in drawing one bordered box per cell. A sheet
(``sheet.html``) is therefore planned here: every row is 9 mm high, a text too wide for its column is set a
size or two smaller (or on two or three short lines) instead of wrapping, so the number of rows on a page is
known in advance. Each page becomes its own block with the column header repeated and its number
(from page 2) written in, the grid is one background tile, and each column of a page is one block of text,
one line per row (a column whose texts all fit one line is set at one size, on the block). Pages can then be
rendered separately (in several processes) and joined.

A report's tables (``report_table.html``, layout_report.py) are planned the same way, one after the other:
each under its title (and bar chart), its header with its group headings on every page it spans, its total row
on its last page, then its note; a text that does not fit a row on two lines makes its row taller. The sign-up
sheet's blocks are planned in layout_signup.py.

Figures read alike: the columns of single words (numbers, years, phones, codes, dates) are set at one size, 10 pt
at the least when a column can be widened for it by a few mm of the text columns; a report's figures are never
wrapped, their columns as wide as they need (``_figure_widths``).

Since every line's place, size and breaks are decided here, the rows of a sheet or a report's table need not
be laid out by WeasyPrint at all: drawn.py writes them into the PDF around the page WeasyPrint laid out.

The estimate of the first page's heading block errs on the safe side; the renderer checks the page count it
gets and plans again with more room if a heading was taller than expected.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from flask_babel import force_locale, gettext

from . import fonts
from .text import DOCUMENT_LOCALE

PT = 25.4 / 72  # mm per point
ROW_MM = 9.0
CELL_PAD_MM = 1.5
BASE_PT = 13.0
LINE = 1.3  # line-height of body text
RULE_PT = 0.6
#: (class, font size in pt, lines) from the normal size down: a size or three smaller on one line, then two
#: lines at 10.5 or 9 pt, then three lines at 7.5 pt (beyond that, a taller row: see ``fit_rows``).
FITS = (("", 13.0, 1), ("f12", 12.0, 1), ("f11", 11.0, 1), ("f10", 10.0, 1), ("w2", 10.5, 2), ("w2s", 9.0, 2),
        ("w3", 7.5, 3))
_SAFETY = 1.03  # widths are measured without kerning
#: A single word too wide at 10 pt, on one line still.
SINGLE_WORD = (("f9", 9.0), ("f8", 8.0))


@dataclass(frozen=True)
class Geometry:
    """The printable area of a page (A4 minus the margins of print.css), in mm."""

    width: float
    height: float


PORTRAIT = Geometry(165.0, 257.0)
LANDSCAPE = Geometry(252.0, 170.0)


def _line(pt: float) -> float:
    return pt * LINE * PT


def _wraps(text: str, inner_mm: float, size: float, lines: int, style: str = "regular") -> bool:
    """Whether a text wraps at spaces into at most ``lines`` lines of ``inner_mm`` (every word fitting one)."""
    widest = max((fonts.metrics(style).em(word) for word in text.split()), default=0.0) * PT * _SAFETY
    return widest * size <= inner_mm and fonts.wrap_lines(text, inner_mm / _SAFETY, size, style) <= lines


def fit(text: str, inner_mm: float, style: str = "regular", fits: tuple = FITS) -> str:
    """The class that makes a text fit a column of ``inner_mm`` on one row ("" when it fits as it is). A single
    word (a phone number, a code) is not wrapped: it is set smaller on one line, down to 8 pt. ``style`` is the
    face it is set in ("bold" for a total row); ``fits`` the sizes tried, from the largest (a report stops
    before three lines at 7.5 pt: its rows grow instead)."""
    m = fonts.metrics(style)
    width = m.em(text) * PT * _SAFETY
    single = len(text.split()) == 1
    for name, size, lines in fits:
        if lines == 1 and width * size <= inner_mm:
            return name
        if lines > 1 and not single and _wraps(text, inner_mm, size, lines, style):
            return name
    for name, size in SINGLE_WORD:
        if single and width * size <= inner_mm:
            return name
    return fits[-1][0]  # beyond three small lines: fit_rows makes the row taller


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
    with force_locale(DOCUMENT_LOCALE):
        nation_name = gettext("Socialist Republic of Vietnam").upper()
    nation = _line(12) * fonts.wrap_lines(nation_name, 0.58 * w - 2, 12, "bold") \
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


def _rules(width: float, height: float, segments: list[tuple[float, float, float, float]], *,
           square: bool = False) -> str:
    """Straight rules (x1, y1, x2, y2 in mm) as an SVG data: URI: one path rather than an element per rule, so
    that drawing it sets the stroke once (WeasyPrint resolves the style of every SVG element it draws)."""
    d = "".join(f"M{a:.3f} {b:.3f}L{c:.3f} {e:.3f}" for a, b, c, e in segments)
    cap = ' stroke-linecap="square"' if square else ""
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.3f}mm" height="{height:.3f}mm" '
           f'viewBox="0 0 {width:.3f} {height:.3f}"><path d="{d}" fill="none" stroke="#000" '
           f'stroke-width="{RULE_PT * PT:.3f}"{cap}/></svg>')
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _tile(widths: list[float], height: float, *, top: bool = False) -> str:
    """An SVG tile with the column rules of one row (and its bottom rule) as a data: URI."""
    total = sum(widths)
    half = RULE_PT * PT / 2
    xs, x = [], 0.0
    for w in widths:
        xs.append(x)
        x += w
    xs.append(total)
    segments = [(min(max(x, half), total - half), 0.0, min(max(x, half), total - half), height) for x in xs]
    segments.append((0.0, height - half, total, height - half))
    if top:
        segments.append((0.0, half, total, half))
    return _rules(total, height, segments)


#: A list of at most this many rows is never split by the page's foot: it moves whole to the next page.
SHORT_LIST = 15
#: The tallest row, in rows of ``ROW_MM``: a text that does not fit one row even small and on three lines takes
#: rows of 10.5 pt lines (four lines in two rows, six in three...) instead of being cut off.
TALLEST = 8
TALL_PT, TALL_LINE_MM = 10.5, 4.3
#: The classes of a grid's lines, as the CSS of _macros.html (``grid_css``) sets them and drawn.py draws them:
#: a size on one line (vertically centred in its row); or a block of wrapped lines (its size, line height and top
#: padding in mm, rows high, and whether a word longer than a line is broken anywhere rather than cut off).
GRID_CLASSES: dict[str, dict] = {
    **{name: {"size": size} for name, size in (("f12", 12.0), ("f11", 11.0), ("f10", 10.0), ("f9", 9.0),
                                                ("f8", 8.0))},
    "w2": {"size": 10.5, "line": 4.3, "pad": 0.2, "lines": 2},
    "w2s": {"size": 9.0, "line": 4.1, "pad": 0.4, "lines": 2},
    "w3": {"size": 7.5, "line": 2.9, "pad": 0.15, "lines": 3},
    **{f"t{n}": {"size": TALL_PT, "line": TALL_LINE_MM, "pad": 0.2, "lines": int((n * ROW_MM - 0.4) // TALL_LINE_MM),
                 "rows": n, "anywhere": True} for n in range(2, TALLEST + 1)},
}


def _take(heights: list[int], start: int, capacity: int) -> int:
    """How many rows from ``start`` fill at most ``capacity`` rows' height."""
    used = taken = 0
    for h in heights[start:]:
        if used + h > capacity:
            break
        used += h
        taken += 1
    return taken


def plan(count: int | list[int], first: int, per_page: int, tail_rows: int) -> list[tuple[int, int]]:
    """Row ranges per page for ``count`` rows one high (or rows of these heights, in rows of ``ROW_MM``).
    Page one holds ``first`` rows' height, the others ``per_page``; the last page keeps ``tail_rows`` rows'
    height free for the note and signatures. When they do not fit under the last rows, they go to a new page
    that takes up to three rows with it (never none, if there are rows to take).

    A list never starts with a lone row at the foot of the first page, and a list of up to ``SHORT_LIST`` rows
    that would be split (by the page's foot, or by the signatures that need the next page) moves whole to the
    next page when it fits there: the first page then holds the heading only."""
    heights = [1] * count if isinstance(count, int) else [max(1, h) for h in count]
    n = len(heights)
    per_page = max(1, per_page, max(heights, default=1))
    ranges: list[tuple[int, int]] = []
    start, capacity = 0, max(0, first)
    short = n <= SHORT_LIST and sum(heights) + tail_rows <= per_page
    while True:
        taken = _take(heights, start, capacity)
        if start == 0 and ranges == [] and taken < n and (taken < 2 or short):
            taken = 0  # the list starts on the next page rather than a row or two at this one's foot
        if start + taken >= n:
            break
        ranges.append((start, start + taken))
        start += taken
        capacity = per_page
    rest = sum(heights[start:])
    if rest <= capacity - tail_rows:
        ranges.append((start, n))
        return ranges
    if short and start == 0 and not ranges:
        return [(0, 0), (0, n)]
    carried, room = 0, max(0, per_page - tail_rows)
    while carried < min(3, n - start - 1) and heights[n - carried - 1] <= room:
        room -= heights[n - carried - 1]
        carried += 1
    ranges.append((start, n - carried))
    ranges.append((n - carried, n))
    return ranges


def fit_rows(text: str, inner_mm: float, style: str = "regular", fits: tuple = FITS) -> tuple[str, int]:
    """The class that fits a text in a column of ``inner_mm`` and the rows' height it needs: one row (see
    ``fit``), or as many rows as its 10.5 pt lines need, up to ``TALLEST``."""
    name = fit(text, inner_mm, style, fits)
    if name != fits[-1][0] or _wraps(text, inner_mm, fits[-1][1], fits[-1][2], style):
        return name, 1
    lines = fonts.wrap_lines(text, inner_mm / _SAFETY, TALL_PT, style)
    for rows in range(2, TALLEST + 1):
        if lines <= int((rows * ROW_MM - 0.4) // TALL_LINE_MM):
            return f"t{rows}", rows
    return f"t{TALLEST}", TALLEST


def _taller(text: str, inner_mm: float, rows: int, style: str = "regular", fits: tuple = FITS
            ) -> tuple[str, int]:
    """A wrapped text in a row ``rows`` high: its lines at 10.5 pt when they fit, else as it was."""
    if fonts.wrap_lines(text, inner_mm / _SAFETY, TALL_PT, style) <= int((rows * ROW_MM - 0.4) // TALL_LINE_MM):
        return f"t{rows}", rows
    return fit(text, inner_mm, style, fits), 1


def _page_grid(widths: list[float], heights: list[int]) -> str:
    """The rules of one page's rows when some are taller than one row (an SVG as a data: URI)."""
    total = sum(widths)
    half = RULE_PT * PT / 2
    height = sum(heights) * ROW_MM
    xs, x = [0.0], 0.0
    for w in widths:
        x += w
        xs.append(x)
    segments = [(min(max(x, half), total - half), 0.0, min(max(x, half), total - half), height) for x in xs]
    y = 0.0
    for h in heights:
        y += h * ROW_MM
        segments.append((0.0, y - half, total, y - half))
    return _rules(total, height, segments)


#: One-line sizes from the largest down: a column whose texts all fit one line is set at one size, the size its
#: widest text needs (a class on the column's block rather than on each of its lines: fewer boxes to lay out).
ONE_LINE = ("", "f12", "f11", "f10", "f9", "f8")


def _fitted_rows(rows: list[list[str]], inner: list[float], bold: set[int] = frozenset(), fits: tuple = FITS
                 ) -> tuple[list[list[tuple[str, str, int]]], list[int], list[str]]:
    """Each row's cells as (text, class, rows high), each row's height in rows of ``ROW_MM``, and each column's
    class: a text too wide for its column is set smaller or wrapped (``fit_rows``), and the other wrapped texts
    of a taller row take its 10.5 pt lines; a column of one-line texts is set at one size (``ONE_LINE``). The
    rows of ``bold`` are measured and set in bold (class ``b``)."""
    cells_of: list[list[tuple[str, str, int]]] = []
    for index, cells in enumerate(rows):
        style = "bold" if index in bold else "regular"
        cells_of.append([(text, *fit_rows(text, inner[c], style, fits)) if text else ("", "", 1)
                         for c, text in enumerate(cells[:len(inner)])])
    heights = [max((h for _t, _f, h in cells), default=1) for cells in cells_of]
    for index, cells in enumerate(cells_of):  # in a taller row, small wrapped texts take its 10.5 pt lines
        if heights[index] > 1:
            style = "bold" if index in bold else "regular"
            cells_of[index] = [(t, *_taller(t, inner[c], heights[index], style, fits)) if f in ("w2s", "w3")
                               else (t, f, h) for c, (t, f, h) in enumerate(cells)]
    column_fits = []
    for c in range(len(inner)):
        fits = {cells[c][1] for cells in cells_of if c < len(cells) and cells[c][0]}
        column_fits.append(max(fits, key=ONE_LINE.index) if fits and fits <= set(ONE_LINE) else None)
    cells_of = [[(t, "" if column_fits[c] is not None else f, h) for c, (t, f, h) in enumerate(cells)]
                for cells in cells_of]
    for index in bold:
        if index < len(cells_of):
            cells_of[index] = [(t, f"{f} b".strip() if t else f, h) for t, f, h in cells_of[index]]
    return cells_of, heights, [f or "" for f in column_fits]


def _figures_at_one_size(singles: list[int], cells_of: list[list[tuple[str, str, int]]], sizes: list[str]
                         ) -> list[str]:
    """The columns of single words (``singles``: numbers, years, phones, codes, dates) that are set at one size
    on one line, all at the smallest size any of them needs (10 pt at the least), so that a row's figures read
    alike."""
    def uniform(c: int) -> bool:
        return all(set(cells[c][1].split()) <= {"b"} for cells in cells_of if c < len(cells))

    # a column cramped below 10 pt keeps its own size: the others do not shrink with it
    figures = [c for c in singles if uniform(c) and ONE_LINE.index(sizes[c]) <= ONE_LINE.index("f10")]
    if len(figures) < 2:
        return sizes
    smallest = max((sizes[c] for c in figures), key=ONE_LINE.index)
    return [smallest if c in figures else size for c, size in enumerate(sizes)]


#: The sizes a table's figures may take, from the largest: every figure of a table is set at one size, on one
#: line (a figure is never wrapped nor cut), in columns as wide as that needs.
FIGURE_SIZES = (("", 13.0), ("f12", 12.0), ("f11", 11.0), ("f10", 10.0), ("f9", 9.0))
#: At most, a sheet's text columns give up this share of their width to its columns of single words.
SHEET_YIELD = 0.12
#: The size a text column's texts should still fit on one line at, when the figures leave it the room.
TEXT_COMFORT_PT = 12.0
#: At most, a text column gives up this share of its width to the figures (its texts then wrap on two lines).
TEXT_YIELD = 0.4
#: A figure column's heading keeps its words whole at this size at least.
HEADING_PT = 11.0


def _figure_widths(columns: list[dict], widths: list[float], body: list[list[str]], bold: set[int], *,
                   figures: list[int] | None = None, sizes: tuple = FIGURE_SIZES, give: float = TEXT_YIELD,
                   narrower: bool = True) -> tuple[list[float], str | None]:
    """The table's widths sized to its figures: each figure column widened to what its widest figure (and its
    heading's longest word) needs at the largest size of ``FIGURE_SIZES`` that leaves the text columns their
    texts on one line (``TEXT_COMFORT_PT``), or else their width less ``TEXT_YIELD``; figure columns are made
    narrower than drawn, down to that need, only when the text columns need the room. The text columns share the
    rest in their proportions. Returns the widths and the class of the figures' size (the widths as they were
    and None when a figure does not fit even at the smallest size: rows then grow as for a long text)."""
    if figures is None:
        figures = [c for c, column in enumerate(columns) if column.get("align") == "num"]
    texts = [c for c in range(len(columns)) if c not in figures]
    if not figures or not texts:
        return widths, None
    regular, heavy = fonts.metrics("regular"), fonts.metrics("bold")

    def widest(c: int) -> float:
        return max([(heavy if r in bold else regular).em(row[c]) for r, row in enumerate(body) if c < len(row)]
                   + [0.0])

    ems = {c: widest(c) for c in range(len(columns))}
    heading = {c: max((heavy.em(word) for word in str(columns[c]["label"]).split()), default=0.0) * HEADING_PT * PT
               * _SAFETY + 2 * CELL_PAD_MM + 0.05 for c in figures}
    total, text_width = sum(widths), sum(widths[c] for c in texts)
    comfort = sum(min(widths[c], ems[c] * TEXT_COMFORT_PT * PT * _SAFETY + 2 * CELL_PAD_MM) for c in texts)
    for floor in (comfort, text_width * (1 - give)):
        for name, size in sizes:
            fit = {c: max(heading[c], ems[c] * size * PT * _SAFETY + 2 * CELL_PAD_MM + 0.01) for c in figures}
            for shrink in (False, True) if narrower else (False,):  # a figure column narrower than drawn only
                need = fit if shrink else {c: max(widths[c], n) for c, n in fit.items()}  # when the texts need it
                room = total - sum(need.values())
                if room >= floor:
                    break
            if room >= floor:
                out = list(widths)
                for c in figures:
                    out[c] = need[c]
                # what the texts give comes first from the room their texts leave on one line (a column for
                # handwriting, a short name in a wide column), else from every text column in proportion
                extra = text_width - room
                spare = {c: min(widths[c] * give, max(0.0, widths[c] - ems[c] * BASE_PT * PT * _SAFETY
                                                      - 2 * CELL_PAD_MM)) for c in texts}
                for c in texts:
                    if 0 < extra <= sum(spare.values()):
                        out[c] = widths[c] - extra * spare[c] / sum(spare.values())
                    else:
                        out[c] = room * widths[c] / text_width
                return out, name
    return widths, None


def _page_columns(cells_of: list[list[tuple[str, str, int]]], heights: list[int], start: int, end: int,
                  count: int) -> list[list[tuple[str, str]]]:
    """The rows ``start``-``end`` of a page as one block of lines per column (a taller row's text followed by
    empty lines, trailing empty lines dropped)."""
    cols: list[list[tuple[str, str]]] = [[] for _ in range(count)]
    for index in range(start, end):
        for c, (text, fitted, rows) in enumerate(cells_of[index]):
            cols[c].append((text, fitted))
            cols[c].extend([("", "")] * (heights[index] - rows))  # the rest of a taller row
    for c in cols:  # trailing empty lines print nothing
        while c and not c[-1][0]:
            c.pop()
    return [[(t or "\u00a0", f) for t, f in c] for c in cols]


def _offsets(widths: list[float]) -> list[float]:
    offsets, x = [], 0.0
    for w in widths:
        offsets.append(round(x, 3))
        x += w
    return offsets


def paginate_sheet(context: dict, *, first_slack_rows: int = 0) -> dict:
    """The context of ``sheet.html`` with its pages planned (see the module docstring)."""
    geometry = LANDSCAPE if context.get("landscape") else PORTRAIT
    columns = context["columns"]
    total = sum(float(c["width"]) for c in columns) or 1.0
    scale = geometry.width / total
    widths = [float(c["width"]) * scale for c in columns]
    rows = [[str(v) if v is not None else "" for v in row] for row in context.get("rows") or []]
    # a column of single words (a phone, a code, a date) too narrow for them at 10 pt is widened for them, at
    # the expense of the text columns (a few mm at most: they wrap or shrink instead)
    singles = [c for c in range(len(columns)) if any(c < len(r) and r[c] for r in rows)
               and all(c >= len(r) or len(r[c].split()) <= 1 for r in rows)]
    widths, _size = _figure_widths(columns, widths, rows, set(), figures=singles, sizes=(("f10", 10.0),),
                                   give=SHEET_YIELD, narrower=False)
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
    body += [[str(index + 1)] + [""] * (len(columns) - 1) for index in range(len(body), count)]
    cells_of, heights, sizes = _fitted_rows(body, inner)
    sizes = _figures_at_one_size(singles, cells_of, sizes)
    ranges = plan(heights, first, per_page, tail_rows) if count else [(0, 0)]
    pages = []
    number_total = len(ranges)
    for n, (start, end) in enumerate(ranges, start=1):
        units = sum(heights[start:end])
        pages.append({"number": n, "total": number_total, "first": n == 1, "last": n == number_total,
                      "rows": end - start, "units": units,
                      "tall": _page_grid(widths, heights[start:end]) if units > end - start else None,
                      "columns": _page_columns(cells_of, heights, start, end, len(columns))})
    out = dict(context)
    out.update({
        "pages": pages,
        "grid": {"width": round(geometry.width, 3), "widths": [round(w, 3) for w in widths],
                 "offsets": _offsets(widths), "aligns": [c.get("align") or "" for c in columns], "sizes": sizes,
                 "row": ROW_MM, "header_height": header_height,
                 "header_pad": [round((header_height - 2 - _header_lines(c["label"], i) * _line(BASE_PT)) / 2
                                      + 1, 2) for c, i in zip(columns, inner, strict=True)],
                 "header_sizes": [header_size(c["label"], i) for c, i in zip(columns, inner, strict=True)],
                 "row_tile": _tile(widths, ROW_MM), "header_tile": _tile(widths, header_height, top=True)},
    })
    return out
