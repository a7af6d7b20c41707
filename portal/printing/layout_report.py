"""Report tables (report_table.html) planned page by page like the sheets (layout.py)."""

from __future__ import annotations

from . import fonts
from .layout import (
    _SAFETY,
    BASE_PT,
    CELL_PAD_MM,
    FITS,
    LANDSCAPE,
    PORTRAIT,
    PT,
    ROW_MM,
    RULE_PT,
    Geometry,
    _figure_widths,
    _fitted_rows,
    _line,
    _offsets,
    _page_columns,
    _page_grid,
    _rules,
    _tile,
    first_page_top,
    header_size,
    plan,
    tail_height,
)

# Report tables (``report_table.html``): several tables one after the other, each under its numbered title (and
# bar chart), its header (group headings over their columns) repeated on every page it spans, its total row on
# its last page followed by its note; the signatures after the last table. Rows are the sheets' rows (above).

REPORT_PT = 11.0  #: notes and bar labels
REPORT_FITS = FITS[:-1]  #: no three lines at 7.5 pt in a report: a longer text makes its row taller
BAR_LABEL_MM = 70.0
def _header_boxes(columns: list[dict], groups: list[dict] | None, widths: list[float]) -> tuple[list[dict], float]:
    """The boxes of a table's header, placed in mm (label, left, top, width, height, font size, top padding):
    each column's heading and, over grouped columns, their group's heading (a column without a group spans
    both levels); and the header's height."""
    offsets = _offsets(widths)

    def measure(label: str, width: float) -> tuple[float, float]:
        size = header_size(label, width - 2 * CELL_PAD_MM)
        return size, fonts.wrap_lines(label, (width - 2 * CELL_PAD_MM) / _SAFETY, size, "bold") * _line(size)

    cols = [measure(c["label"], w) for c, w in zip(columns, widths, strict=True)]
    grouped = [c for c, column in enumerate(columns) if column.get("grouped")]
    if grouped:  # the headings under the groups at one size, the smallest any of them needs
        size = min(cols[c][0] for c in grouped)
        cols = [(size, fonts.wrap_lines(column["label"], (w - 2 * CELL_PAD_MM) / _SAFETY, size, "bold")
                 * _line(size)) if c in grouped else cols[c]
                for c, (column, w) in enumerate(zip(columns, widths, strict=True))]
    spans: list[tuple[dict, int, int]] = []  # (group, first column, last column + 1)
    index = 0
    for group in groups or []:
        spans.append((group, index, index + group["span"]))
        index += group["span"]
    tops = {(a, b): measure(g["label"], sum(widths[a:b])) for g, a, b in spans if g["grouped"]}
    if tops:
        top = max(h for _s, h in tops.values()) + 2
        bottom = max([h + 2 for c, (_s, h) in zip(columns, cols, strict=True) if c.get("grouped")] + [0.0])
        single = max([h + 2 for c, (_s, h) in zip(columns, cols, strict=True) if not c.get("grouped")] + [0.0])
        bottom = max(bottom, single - top) + 0.5
    else:
        top, bottom = 0.0, max(h for _s, h in cols) + 2 + 0.5
    height = round(top + bottom, 2)
    boxes = []

    def box(label: str, a: int, b: int, y: float, h: float, size: float, text_h: float) -> None:
        boxes.append({"label": label, "left": offsets[a], "top": round(y, 2),
                      "width": round(sum(widths[a:b]), 3), "height": round(h, 2), "size": size,
                      "pad": round(max(0.0, (h - text_h) / 2), 2)})

    for c, column in enumerate(columns):
        size, text_h = cols[c]
        if column.get("grouped") and tops:
            box(column["label"], c, c + 1, top, bottom, size, text_h)
        else:
            box(column["label"], c, c + 1, 0.0, height, size, text_h)
    for (a, b), (size, text_h) in tops.items():
        label = next(g["label"] for g, x, y in spans if (x, y) == (a, b))
        box(label, a, b, 0.0, top, size, text_h)
    return boxes, height


def _boxes_tile(boxes: list[dict], width: float, height: float) -> str:
    """The rules around the header's boxes (an SVG as a data: URI)."""
    half = RULE_PT * PT / 2

    def x(v: float) -> float:
        return min(max(v, half), width - half)

    def y(v: float) -> float:
        return min(max(v, half), height - half)

    edges = set()
    for b in boxes:
        x0, x1, y0, y1 = x(b["left"]), x(b["left"] + b["width"]), y(b["top"]), y(b["top"] + b["height"])
        edges |= {(x0, y0, x1, y0), (x0, y1, x1, y1), (x0, y0, x0, y1), (x1, y0, x1, y1)}
    return _rules(width, height, sorted(edges), square=True)


def _lead_height(title: str, bars: list[dict] | None, geometry: Geometry) -> float:
    """Height of a table's title (13 pt bold, 5 mm above, 2 mm below) and bar chart (3 mm below)."""
    height = fonts.wrap_lines(title, geometry.width, BASE_PT, "bold") * _line(BASE_PT) + 7
    for bar in bars or []:
        height += max(fonts.wrap_lines(bar["label"], BAR_LABEL_MM / _SAFETY, REPORT_PT) * _line(REPORT_PT), 4.0) + 1.2
    return height + (3 if bars else 0) + 1


def _note_lines(note: str, width: float) -> list[str]:
    """A note broken into lines as wrap_lines breaks it (narrowed by the safety margin: the text laid out
    takes these lines or fewer)."""
    return fonts.break_lines(note, width / _SAFETY, REPORT_PT, "italic")[0]


def _note_chunks(lines: list[str], room: float, full: float, last_room: float) -> list[tuple[bool, str]]:
    """A long note cut at line ends into the pages it takes: (on a new page, text) for each piece; ``room`` is
    what is left under the table's last rows, ``last_room`` what the last piece must leave free (the
    signatures). A page takes a piece of at least three lines (or the whole rest)."""
    line, margins = _line(REPORT_PT), 2 * REPORT_PT * PT + 1
    chunks: list[tuple[bool, str]] = []
    start, new_page = 0, False
    while start < len(lines):
        fits = max(0, int((room - margins) // line))
        rest = len(lines) - start
        if fits >= rest and (rest * line + margins + last_room <= room):
            chunks.append((new_page, " ".join(lines[start:])))
            break
        take = min(fits, rest - 1 if fits >= rest else fits)  # the signatures keep a line of the note with them
        if take >= min(3, rest):
            chunks.append((new_page, " ".join(lines[start:start + take])))
            start += take
        room, new_page = full, True
    return chunks


def paginate_report(context: dict, *, first_slack_rows: int = 0) -> dict:
    """The context of ``report_table.html`` with its pages planned: ``pages`` (each with its ``parts``: a
    table's rows on that page, with its title and bars where it starts and its note where it ends) and
    ``grids`` (each table's columns and header). A second attempt (``first_slack_rows``) plans every page
    that many rows shorter."""
    geometry = LANDSCAPE if context.get("landscape") else PORTRAIT
    full = geometry.height - first_slack_rows * ROW_MM
    tables = context.get("tables") or []
    pages: list[list[dict]] = [[]]
    room = full - first_page_top(context, geometry)
    grids = []
    for t, table in enumerate(tables):
        columns = table["columns"]
        total = sum(float(c["mm"]) for c in columns) or 1.0
        body = [[str(v) for v in row["cells"]] for row in table["rows"]]
        bold = {n for n, row in enumerate(table["rows"]) if row.get("bold")}
        if table.get("total"):
            bold.add(len(body))
            body.append([str(v) for v in table["total"]])
        widths, figure_size = _figure_widths(columns, [float(c["mm"]) * geometry.width / total for c in columns],
                                             body, bold)
        boxes, head = _header_boxes(columns, table.get("groups"), widths)
        grid = {"width": round(geometry.width, 3), "widths": [round(w, 3) for w in widths],
                "offsets": _offsets(widths), "row_tile": _tile(widths, ROW_MM),
                "aligns": ["num" if c.get("align") == "num" else "center" if c.get("align") == "center" else ""
                           for c in columns],
                "header": boxes, "header_height": head, "header_tile": _boxes_tile(boxes, geometry.width, head)}
        grids.append(grid)
        cells_of, heights, sizes = _fitted_rows(body, [w - 2 * CELL_PAD_MM for w in widths], bold, REPORT_FITS)
        if figure_size is not None:  # every figure at the one size its columns were widened for
            sizes = [figure_size if c.get("align") == "num" else s for c, s in zip(columns, sizes, strict=True)]
        grid["sizes"] = sizes
        title = f"{t + 1}. {table['title']}"
        lead = _lead_height(title, table.get("bars"), geometry)
        last = t == len(tables) - 1
        note_h = tail_height({"note": table.get("note")}, geometry)
        long_note = None
        if table.get("note") and note_h + head + 0.5 + ROW_MM > full:
            # a note that no page holds under the header and the last rows: cut into the pages it takes (below)
            long_note, note_h = table["note"], 0.0
            table = {**table, "note": None}
        tail = tail_height({"note": table.get("note"),
                            "signatures": context.get("signatures") if last and not long_note else None}, geometry)
        per_page = int((full - head - 0.5) // ROW_MM)
        tail_rows = int(-(-tail // ROW_MM))
        if not body:
            if lead + head + 0.5 + tail > room and (pages[-1] or t == 0):
                pages.append([])
                room = full
            ranges = [(0, 0)]
        else:
            ranges = plan(heights, int((room - lead - head - 0.5) // ROW_MM), per_page, tail_rows)
            if ranges[0] == (0, 0):  # the table starts on the next page, its title with it (or a bar chart
                if table.get("bars") and lead <= room:  # that fits stays here, under its title)
                    pages[-1].append({"table": t, "number": t + 1, "title": table["title"], "bars": table["bars"],
                                      "header": False, "rows": 0, "units": 0, "tall": None, "columns": [],
                                      "note": None})
                    lead, table = 0.0, {**table, "title": None, "bars": None}
                if pages[-1] or t == 0:
                    pages.append([])
                room = full
                first = int((room - lead - head - 0.5) // ROW_MM)
                ranges = plan(heights, first, per_page, tail_rows)
                if ranges[0] == (0, 0):  # a short table under a tall title: every page as high as the first
                    ranges = plan(heights, first, max(1, first), tail_rows)
                ranges = [r for n, r in enumerate(ranges) if n or r != (0, 0)] or [(0, 0)]
        for k, (start, end) in enumerate(ranges):
            if k:
                pages.append([])
            units = sum(heights[start:end])
            pages[-1].append({"table": t, "number": t + 1, "title": table["title"] if k == 0 else None,
                              "bars": table.get("bars") if k == 0 else None, "header": end > start or not body,
                              "rows": end - start, "units": units,
                              "tall": _page_grid(widths, heights[start:end]) if units > end - start else None,
                              "columns": _page_columns(cells_of, heights, start, end, len(columns)),
                              "note": table.get("note") if k == len(ranges) - 1 else None})
        start, end = ranges[-1]
        used = (lead if len(ranges) == 1 else 0.0) + note_h + sum(heights[start:end]) * ROW_MM
        used += head + 0.5 if end > start or not body else 0.0
        room = (room if len(ranges) == 1 else full) - used
        if long_note:
            signatures = tail_height({"signatures": context.get("signatures")}, geometry) if last else 0.0
            for new_page, text in _note_chunks(_note_lines(long_note, geometry.width), room, full, signatures):
                if new_page:
                    pages.append([])
                    room = full
                pages[-1].append({"table": t, "number": t + 1, "title": None, "bars": None, "header": False,
                                  "rows": 0, "units": 0, "tall": None, "columns": [], "note": text})
                room -= fonts.wrap_lines(text, geometry.width, REPORT_PT, "italic") * _line(REPORT_PT) \
                    + 2 * REPORT_PT * PT + 1
            if last and room < signatures:
                pages.append([])
    count = len(pages)
    out = dict(context)
    out.update({"pages": [{"number": n, "total": count, "first": n == 1, "last": n == count, "parts": parts}
                          for n, parts in enumerate(pages, start=1)],
                "grids": grids, "row": ROW_MM})
    return out
