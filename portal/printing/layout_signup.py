"""The sign-up sheet (signup_sheet.html) planned page by page like the sheets (layout.py): one block per person,
its height estimated from its longest values, so that a long sheet is laid out in chunks by the render pool
instead of as one long document in the web worker.

Its blocks differ only in their values and in the box ticked for sex: the renderer lays out one form per shape
of block (``block_form``: how many lines each value takes, and the tick), its values as hidden lines that hold
their places, plans the pages with the forms' heights, and draws each block over its form with its values
written in by drawn.py (``form_lines``). A 300-person sheet (106 pages) takes about a second instead of seven."""

from __future__ import annotations

from . import fonts
from .drawn import break_text
from .layout import _SAFETY, LANDSCAPE, PT, RULE_PT, Geometry, _line, first_page_top, tail_height

# The sign-up sheet (signup_sheet.html): one block per person, planned page by page as well, so that it is laid
# out in chunks by the render pool instead of as one long document in the web worker.

#: The block's columns, in % of the width (the template's <colgroup>).
SIGNUP_COLUMNS = (4.0, 22.0, 10.0, 10.0, 8.5, 8.5, 14.0, 12.0, 11.0)
#: The cells that print a value: (row, key, first column, columns spanned).
SIGNUP_VALUES = ((0, "name", 1, 1), (0, "birth", 2, 1), (0, "ethnicity", 4, 1), (0, "nationality", 5, 1),
                 (0, "cccd", 6, 1), (0, "bhxh_code", 7, 1), (0, "phone", 8, 1),
                 (1, "residence", 1, 2), (1, "contact", 3, 3), (1, "clinic", 6, 2))
SIGNUP_KEYS = ("row", "name", "birth", "sex", "ethnicity", "nationality", "cccd", "bhxh_code", "phone", "residence",
               "contact", "clinic")
#: The rows' least content heights, the cells' padding (0.6 + 1 mm) and rule, the gap under a block (the
#: template's CSS); a label takes one line of 7.5 pt in a wide cell, at most two in a narrow one; a value lines
#: of 11 pt.
SIGNUP_ROW_MM = (11.0, 11.0, 13.0)
SIGNUP_PAD_MM = 1.6 + RULE_PT * PT
SIGNUP_GAP_MM = 2.5
SIGNUP_LABEL_LINE_MM = 7.5 * 1.15 * PT
SIGNUP_WIDE_MM = 45.0
SIGNUP_VALUE_PT, SIGNUP_VALUE_LINE_MM = 11.0, 11.0 * 1.2 * PT
SIGNUP_CELL_INNER_MM = 2 * 1.2 + RULE_PT * PT
#: About how many blocks a page holds (a block is about 43 mm high).
SIGNUP_BLOCKS_A_PAGE = 3
#: Room kept free per page on each new plan when the layout gave another page count than planned.
SIGNUP_SLACK_MM = 8.0


def signup_block_height(person: dict, geometry: Geometry = LANDSCAPE) -> float:
    """The height of a person's block in mm, on the safe side (a long value wraps and its row grows)."""
    rows = list(SIGNUP_ROW_MM)
    for row, key, first, span in SIGNUP_VALUES:
        value = str(person.get(key) or "")
        if not value:
            continue
        inner = sum(SIGNUP_COLUMNS[first:first + span]) / 100 * geometry.width - SIGNUP_CELL_INNER_MM
        lines = fonts.wrap_lines(value, inner / _SAFETY, SIGNUP_VALUE_PT)
        label = SIGNUP_LABEL_LINE_MM * (1 if inner >= SIGNUP_WIDE_MM else 2)
        rows[row] = max(rows[row], label + lines * SIGNUP_VALUE_LINE_MM)
    return sum(rows) + len(rows) * SIGNUP_PAD_MM + RULE_PT * PT + SIGNUP_GAP_MM  # the rules: one per row and the top


def slot_width(first: int, span: int, geometry: Geometry = LANDSCAPE) -> float:
    """The width a value's lines are broken at in a cell of the block, when drawn.py writes them (mm; its widths
    are the font's own advances, so no room is kept for another layout's)."""
    return sum(SIGNUP_COLUMNS[first:first + span]) / 100 * geometry.width - SIGNUP_CELL_INNER_MM - 0.1


def value_lines(person: dict, geometry: Geometry = LANDSCAPE) -> dict[str, list[str]]:
    """Each value of a person's block broken into the lines it is printed on (drawn.py: a word longer than its
    cell is broken anywhere, as the template's ``overflow-wrap: anywhere`` does)."""
    return {key: break_text(str(person.get(key) or ""), slot_width(first, span, geometry), SIGNUP_VALUE_PT)
            for _row, key, first, span in SIGNUP_VALUES if person.get(key)}


def block_form(person: dict, lines: dict[str, list[str]]) -> tuple:
    """What a block's form depends on (drawn.py writes the rest into it): how many lines each value takes
    (``lines``: value_lines), and the box ticked for sex. Blocks with the same form share one laid-out form."""
    return (*(len(lines.get(key, [])) for _row, key, _first, _span in SIGNUP_VALUES), person.get("sex") or "")


def form_placeholder(shape: tuple) -> dict:
    """A block that lays out as the form of ``shape`` (block_form): each value as that many hidden lines."""
    person = {**dict.fromkeys(SIGNUP_KEYS, ""), "row": "0", "sex": shape[-1]}
    for (_row, key, _first, _span), count in zip(SIGNUP_VALUES, shape[:-1], strict=True):
        person[key] = "\n".join(["0"] * count)
    return person


#: The row number of a block: bold, centred in its cell.
SIGNUP_ROW_PT = 12.0


def form_lines(person: dict, lines: dict[str, list[str]], slots: dict[str, list[float]]) -> list[tuple]:
    """What drawn.py writes into a block's form (see drawn.draw_lines): the row number centred in its cell, and
    each value's lines from the top-left corner of its place (``slots``: stamp.lay_out_forms)."""
    x, y, width, height = slots["row"]
    out = [(person["row"], "bold", SIGNUP_ROW_PT, x, y, height, width)]
    for key, pieces in lines.items():
        left, top, _width, _height = slots[key]
        out += [(piece, "regular", SIGNUP_VALUE_PT, left, top + k * SIGNUP_VALUE_LINE_MM, SIGNUP_VALUE_LINE_MM, 0)
                for k, piece in enumerate(pieces)]
    return out


def _legend_height(context: dict, geometry: Geometry) -> float:
    return sum(fonts.wrap_lines(f"{label}: {text}", geometry.width, 11) * _line(11) + 1
               for label, text in context.get("legend") or [])


def signup_blocks(context: dict) -> list[dict]:
    """The blocks of a sign-up sheet: the invited people, then the blank numbered blocks."""
    blanks = [{**dict.fromkeys(SIGNUP_KEYS, ""), "row": str(n)} for n in context.get("blanks") or []]
    return [*(context.get("people") or []), *blanks]


def paginate_signup(context: dict, *, first_slack_rows: int = 0) -> dict:
    """The context of ``signup_sheet.html`` with its pages planned: ``pages`` of blocks (the invited people,
    then the blank numbered blocks), the heading on the first, the note and signatures on the last (which
    takes the last block with it when they do not fit under it). With ``block_heights`` in the context (the
    blocks' heights as laid out, gap included), the pages are planned with those."""
    geometry = LANDSCAPE
    blocks = signup_blocks(context)
    heights = context.get("block_heights") or [signup_block_height(b, geometry) for b in blocks]
    slack = first_slack_rows * SIGNUP_SLACK_MM
    capacity = geometry.height - first_page_top(context, geometry) - _legend_height(context, geometry) - slack
    pages: list[list[int]] = [[]]
    used = 0.0
    for index, height in enumerate(heights):
        if used + height - SIGNUP_GAP_MM > capacity and pages[-1]:  # no gap needed under a page's last block
            pages.append([])
            used, capacity = 0.0, geometry.height - slack
        pages[-1].append(index)
        used += height
    if used + tail_height(context, geometry) > capacity:
        carried = pages[-1][-1:] if len(pages[-1]) > 1 else []
        if carried:
            pages[-1] = pages[-1][:-1]
        pages.append(carried)
    out = dict(context)
    total = len(pages)
    out["pages"] = [{"number": n, "total": total, "first": n == 1, "last": n == total,
                     "blocks": [blocks[i] for i in page]} for n, page in enumerate(pages, start=1)]
    return out
