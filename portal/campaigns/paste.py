"""Rows pasted from Excel into the targets grid: read, matched to the grid's rows, checked cell by cell.

Excel copies a block of cells as tab-separated lines. Each line starts with the subject's code or name
(optionally both: code, then name, as in the export), followed by the metric columns in grid order. An empty
cell keeps the current target. A first line of column headings is skipped.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from flask_babel import gettext as _

from ..core.tabular import column_letter
from ..i18n.collation import fold_diacritics
from .counts import BadCount, code_key, parse_count
from .labels import METRIC_SHORT
from .models import METRICS
from .queries import GridRow
from .xlsx import HEADERS

MAX_LINES = 2000


def _is_number(text: str) -> bool:
    try:
        parse_count(text)
    except BadCount:
        return False
    return text.strip() != ""


@dataclass
class PastedLine:
    """One pasted line: the subject it names, the values it gives, and what is wrong with it."""

    number: int
    label: str
    subject: GridRow | None = None
    values: dict[str, int] = field(default_factory=dict)
    #: (column, reason)
    errors: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class PastePreview:
    """Every pasted line, the changes they make, and their errors (nothing applies while any is left)."""

    lines: list[PastedLine] = field(default_factory=list)
    header_skipped: bool = False

    @property
    def errors(self) -> list[tuple[int, str, str]]:
        return [(line.number, column, reason) for line in self.lines for column, reason in line.errors]

    @property
    def changes(self) -> list[tuple[int, str, int]]:
        return [(line.subject.subject_id, m, v) for line in self.lines if line.subject is not None
                for m, v in line.values.items() if v != line.subject.values[m]]


def _name_key(text: str) -> str:
    return " ".join(fold_diacritics(text).lower().split())


def _is_heading(cells: list[str], headings: set[str]) -> bool:
    """A line of column headings: no numbers, and at least one cell that names a column of the grid."""
    return not any(_is_number(c) for c in cells[1:]) and any(_name_key(c) in headings for c in cells if c)


def parse(text: str, rows: list[GridRow], metric_labels: dict, metrics: tuple[str, ...] = METRICS
          ) -> PastePreview:
    """Read pasted text against the grid's rows, whose columns are ``metrics`` (the grid's, in its order)."""
    headings = {_name_key(str(h)) for h in (*HEADERS.values(), *metric_labels.values(), *METRIC_SHORT.values(),
                                            "Mã số", "Tên", "Code", "Name")}
    by_code = {code_key(r.code): r for r in rows}
    by_name: dict[str, list[GridRow]] = {}
    for row in rows:
        by_name.setdefault(_name_key(row.name), []).append(row)
    preview = PastePreview()
    seen: dict[int, int] = {}
    text = unicodedata.normalize("NFC", text or "").replace("\r\n", "\n").replace("\r", "\n")
    first = True
    for number, line in enumerate(text.split("\n"), start=1):
        cells = [" ".join(c.replace("\u00a0", " ").split()) for c in line.split("\t")]
        if not any(cells):
            continue
        if number > MAX_LINES:
            preview.lines.append(PastedLine(number, cells[0], errors=[
                ("", _("Paste at most %(n)d lines at a time.", n=MAX_LINES))]))
            break
        head = cells[0]
        subject = by_code.get(code_key(head)) if head else None
        named = by_name.get(_name_key(head), []) if head else []
        if subject is None and len(named) == 1:
            subject = named[0]
        if first and subject is None and _is_heading(cells, headings):
            preview.header_skipped = True  # column headings copied with the data
            first = False
            continue
        first = False
        entry = PastedLine(number, head)
        preview.lines.append(entry)
        if not head:
            entry.errors.append((column_letter(0), _("The name or code is missing.")))
            continue
        if subject is None:
            reason = (_("“%(name)s” names several rows here: use the code.", name=head) if len(named) > 1 else
                      _("“%(name)s” is not one of the rows of this grid.", name=head))
            entry.errors.append((column_letter(0), reason))
            continue
        entry.subject = subject
        if subject.subject_id in seen:
            entry.errors.append((column_letter(0), _("“%(name)s” is already on line %(line)d.", name=head,
                                               line=seen[subject.subject_id])))
            continue
        seen[subject.subject_id] = number
        start = 1
        if len(cells) > 1 and cells[1] and _name_key(cells[1]) == _name_key(subject.name):
            start = 2  # code, then name (as in the export); anything else there is the first target
        given = cells[start:]
        while given and given[-1] == "":
            given.pop()
        if len(given) > len(metrics):
            entry.errors.append((column_letter(start + len(metrics)), _(
                "Too many columns: after the name come at most %(n)d numbers, in the order of the grid.",
                n=len(metrics))))
            continue
        for offset, (metric, cell) in enumerate(zip(metrics, given, strict=False)):
            if cell == "":
                continue
            try:
                entry.values[metric] = parse_count(cell)
            except BadCount as exc:
                entry.errors.append((f"{column_letter(start + offset)} ({metric_labels[metric]})", f"{exc} ({cell})"))
    return preview
