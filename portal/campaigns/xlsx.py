"""Targets as a spreadsheet: the export, and the import read back from the same layout.

The import never writes on its own: :func:`analyse` says, cell by cell, what it would change and what it
refuses (unknown codes, negative or non-whole numbers, formulas), and the caller writes all of it or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from ..core.xlsx import workbook
from .counts import code_key, coded_table, coded_values, parse_count
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


#: The code column of a channels sheet takes the channel's code or its Vietnamese name (these, or the page's).
CHANNEL_CODES = {"event": "Hội nghị", "door": "Tận nhà", "counter": "Điểm thu", "online": "Trực tuyến",
                 "other": "Khác"}


def export(rows: list[GridRow], metrics: tuple[str, ...] = METRICS) -> bytes:
    """The grid as an XLSX sheet: code, name, then one column per metric (numbers as #,##0)."""
    headers = [HEADERS["code"], HEADERS["name"], *(HEADERS[m] for m in metrics)]
    data = [[r.code, r.name, *(r.values[m] for m in metrics)] for r in rows]
    return workbook(SHEET_TITLE, headers, data, widths=[14, 36, *([16] * len(metrics))],
                    text_columns=[0, 1], money_columns=range(2, 2 + len(metrics)))


def _aliases(metrics: tuple[str, ...] = METRICS) -> dict[str, list[str]]:
    aliases = {"code": [HEADERS["code"], "Mã số", "Code", "Kênh"], "name": [HEADERS["name"], "Name"]}
    for metric in metrics:
        aliases[metric] = [HEADERS[metric], str(METRIC_LABELS[metric])]
    return aliases


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


def analyse(data: bytes, filename: str, rows: list[GridRow], metrics: tuple[str, ...] = METRICS) -> ImportReport:
    """Read a targets file laid out like the export and compare it with the grid's rows (whose columns are
    ``metrics``). A channel's row may name it by its code or by its short Vietnamese name."""
    report = ImportReport(filename=filename)
    table = coded_table(report, data, filename, _aliases(metrics), metrics, lambda: _(
        "%(file)s has no target column; the columns are named as in the export: %(names)s.",
        file=filename, names=", ".join(f"“{HEADERS[m]}”" for m in metrics)))
    if table is None:
        return report
    by_code = {code_key(r.code): r for r in rows}
    by_code.update({code_key(CHANNEL_CODES[r.code]): r for r in rows if r.level == "channel"})
    for subject, metric, new in coded_values(
            table, report, by_code, identity=lambda r: r.subject_id, columns=metrics, parse=parse_count,
            unknown=lambda code: _("Unknown code “%(code)s”: it is not one of the rows of this grid.", code=code)):
        if new != subject.values[metric]:
            report.changes.append((subject.subject_id, subject.name, metric, subject.values[metric], new))
    return report
