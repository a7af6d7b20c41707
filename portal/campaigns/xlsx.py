"""Targets as a spreadsheet: the export, and the import read back from the same layout.

The import never writes on its own: :func:`analyse` says, cell by cell, what it would change and what it
refuses (unknown codes, negative or non-whole numbers, formulas), and the caller writes all of it or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from ..core.tabular import Formula, TableError, cell_text, read_table
from ..core.xlsx import workbook
from .counts import BadCount, parse_count
from .labels import METRIC_LABELS
from .models import METRICS
from .queries import GridRow

#: Column headers of the sheet (Vietnamese, as the offices' own spreadsheets say it).
HEADERS = {
    "code": "Mã",
    "name": "Tên",
    "new_bhxh_tn": "Tham gia BHXH TN mới",
    "new_bhyt_hgd": "Tham gia BHYT HGĐ mới",
    "renewals": "Tái tục",
    "conferences": "Số hội nghị",
    "attendees": "Số người dự",
}
SHEET_TITLE = "Chỉ tiêu"
MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export(rows: list[GridRow]) -> bytes:
    """The grid as an XLSX sheet: code, name, then one column per metric (numbers as #,##0)."""
    headers = [HEADERS["code"], HEADERS["name"], *(HEADERS[m] for m in METRICS)]
    data = [[r.code, r.name, *(r.values[m] for m in METRICS)] for r in rows]
    return workbook(SHEET_TITLE, headers, data, widths=[14, 36, 16, 16, 12, 12, 12],
                    text_columns=[0, 1], money_columns=range(2, 2 + len(METRICS)))


def _aliases() -> dict[str, list[str]]:
    aliases = {"code": [HEADERS["code"], "Mã số", "Code"], "name": [HEADERS["name"], "Name"]}
    for metric in METRICS:
        aliases[metric] = [HEADERS[metric], str(METRIC_LABELS[metric])]
    return aliases


def code_key(code: str) -> str:
    """Codes compared in upper case; all-digit codes without leading zeros (Excel drops them)."""
    code = code.strip().upper()
    return (code.lstrip("0") or "0") if code.isdigit() else code


@dataclass
class ImportReport:
    """What a file would change, and what it refuses (nothing is written while anything is refused)."""

    filename: str
    error: str | None = None
    rows: int = 0
    #: (row number, column, reason)
    rejected: list[tuple[int, str, str]] = field(default_factory=list)
    #: (subject id, subject name, metric, old value, new value)
    changes: list[tuple[int, str, str, int, int]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None and not self.rejected


def analyse(data: bytes, filename: str, rows: list[GridRow]) -> ImportReport:
    """Read a targets file laid out like the export and compare it with the grid's rows."""
    report = ImportReport(filename=filename)
    try:
        table = read_table(data, filename, _aliases(), required=["code"])
    except TableError as exc:
        report.error = str(exc)
        return report
    if not any(m in table.columns for m in METRICS):
        report.error = _("%(file)s has no target column; the columns are named as in the export: %(names)s.",
                         file=filename, names=", ".join(f"“{HEADERS[m]}”" for m in METRICS))
        return report
    by_code = {code_key(r.code): r for r in rows}
    seen: dict[int, int] = {}

    def column(index: int) -> str:
        header = table.headers[index] if index < len(table.headers) else ""
        return f"{table.column_letter(index)} ({header})" if header else table.column_letter(index)

    code_index = table.columns["code"]
    for number, values in table.rows:
        report.rows += 1
        raw_code = values[code_index] if code_index < len(values) else None
        if isinstance(raw_code, Formula):
            report.rejected.append((number, column(code_index), _("Formulas are not accepted: type the code "
                                                                  "itself.")))
            continue
        code = cell_text(raw_code)
        if not code:
            report.rejected.append((number, column(code_index), _("The code is missing.")))
            continue
        subject = by_code.get(code_key(code))
        if subject is None:
            report.rejected.append((number, column(code_index),
                                    _("Unknown code “%(code)s”: it is not one of the rows of this grid.", code=code)))
            continue
        if subject.subject_id in seen:
            report.rejected.append((number, column(code_index), _("“%(code)s” is already on row %(row)d.",
                                                                  code=code, row=seen[subject.subject_id])))
            continue
        seen[subject.subject_id] = number
        for metric in METRICS:
            index = table.columns.get(metric)
            if index is None or index >= len(values) or values[index] in (None, ""):
                continue
            value = values[index]
            if isinstance(value, Formula):
                report.rejected.append((number, column(index), _("Formulas are not accepted: type the number "
                                                                 "itself.")))
                continue
            try:
                new = parse_count(value)
            except BadCount as exc:
                report.rejected.append((number, column(index), f"{exc} ({cell_text(value)})"))
                continue
            if new != subject.values[metric]:
                report.changes.append((subject.subject_id, subject.name, metric, subject.values[metric], new))
    return report
