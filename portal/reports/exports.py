"""Every report as XLSX (formula-safe, Vietnamese headers, real numbers and percentages) and as PDF through
the printing module; each download writes an audit entry."""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import Response
from flask_babel import force_locale, pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..audit import services as audit
from ..core.xlsx import text_cell
from ..database import begin_write
from ..extensions import db
from ..i18n.formatting import format_date, format_number, format_percent, local_today
from ..printing import renderer
from ..printing.text import DOCUMENT_LOCALE, in_document_locale

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Column:
    """A column of a report table: its Vietnamese header, kind of value, and widths."""

    label: str
    kind: str = "int"  #: "text", "int", "percent" (a value like 12.5 meaning 12.5%), "date"
    width: int = 12  #: in spreadsheet characters
    mm: int = 18  #: in millimetres on paper
    group: str | None = None  #: a heading over several columns (on paper; "group: label" in a spreadsheet)

    @property
    def full_label(self) -> str:
        return f"{self.group}: {self.label[:1].lower()}{self.label[1:]}" if self.group else self.label


@dataclass
class Table:
    """One table: a sheet of the workbook and a table of the printed report."""

    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    total: list | None = None
    bold: set[int] = field(default_factory=set)  #: indexes of subtotal rows
    note: str | None = None
    bars: list[tuple[str, float, str]] | None = None  #: printed as a bar chart above the table
    bars_top: float | None = None  #: the value of a full bar (default: the largest)


@dataclass
class Report:
    """A report: title, period line, facts, tables."""

    title: str
    subtitle: str
    slug: str
    tables: list[Table]
    facts: list[tuple[str, str]] = field(default_factory=list)
    landscape: bool = True


def _cell(value, kind: str):
    if value is None:
        return None
    if kind == "percent":
        return round(value / 100.0, 4)
    return value


_FORMATS = {"int": "#,##0", "percent": "0.0%", "date": "dd/mm/yyyy"}


def workbook(report: Report) -> bytes:
    """The report as a workbook: a title block and a frozen bold header on each sheet, one sheet per table
    (written in openpyxl's streaming mode, with one style object per kind of cell)."""
    bold, title_font = Font(bold=True), Font(bold=True, size=13)
    header_fill = PatternFill("solid", fgColor="DDE7F3")
    wrap = Alignment(wrap_text=True, vertical="center")
    wb = Workbook(write_only=True)
    with force_locale(DOCUMENT_LOCALE):
        sheet = pgettext("document", "Table")
    used: set[str] = set()
    for table in report.tables:
        name = re.sub(r"[\\/*?:\[\]]", " ", table.title)[:31] or sheet
        while name in used:
            name = name[:28] + f" {len(used)}"
        used.add(name)
        ws = wb.create_sheet(name)
        for index, column in enumerate(table.columns, start=1):
            ws.column_dimensions[get_column_letter(index)].width = column.width

        def cell(value, *, font=None, fill=None, align=None, number_format=None, ws=ws):
            return text_cell(ws, value, font=font, fill=fill, alignment=align, number_format=number_format or None)

        head = [[cell(report.title, font=title_font)], [cell(report.subtitle)]]
        head += [[cell(label), cell(value)] for label, value in report.facts]
        for row in head:
            ws.append(row)
        ws.freeze_panes = f"B{len(head) + 2}"
        ws.append([cell(c.full_label, font=bold, fill=header_fill, align=wrap) for c in table.columns])
        rows = table.rows + ([table.total] if table.total else [])
        for n, values in enumerate(rows):
            strong = bold if n in table.bold or (table.total and n == len(rows) - 1) else None
            ws.append([cell(_cell(v, c.kind), font=strong,
                            number_format=_FORMATS.get(c.kind) if v is not None else None)
                       for v, c in zip(values, table.columns, strict=True)])
        if table.note:
            ws.append([])
            ws.append([cell(table.note)])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _text(value, kind: str, first: bool = False) -> str:
    if value is None:
        return "" if first else "—"
    if kind == "percent":
        return format_percent(value, 1)
    if kind == "int":
        return format_number(value)
    if isinstance(value, datetime | date):
        return format_date(value)
    return str(value)


@in_document_locale
def print_context(report: Report, *, issuer_name: str, issuer_superior: str, place: str) -> dict:
    """Plain values for the report_table.html print template."""
    tables = []
    for table in report.tables:
        top = table.bars_top or max([v for _l, v, _t in table.bars or []] + [0])

        def cells(row, columns=table.columns):
            return [_text(v, c.kind, i == 0) for i, (v, c) in enumerate(zip(row, columns, strict=True))]

        tables.append({
            "title": table.title, "note": table.note, "groups": _groups(table.columns),
            "columns": [{"label": c.label, "mm": c.mm, "align": "left" if c.kind == "text" else "num",
                         "grouped": bool(c.group)} for c in table.columns],
            "rows": [{"cells": cells(row), "bold": n in table.bold} for n, row in enumerate(table.rows)],
            "total": cells(table.total) if table.total else None,
            "bars": [{"label": label, "text": text, "share": round(100.0 * value / top, 1) if top else 0.0}
                     for label, value, text in table.bars or []],
        })
    return {"title": report.title, "subtitle": report.subtitle, "facts": [list(f) for f in report.facts],
            "issuer_name": issuer_name, "issuer_superior": issuer_superior, "place": place, "date": local_today(),
            "tables": tables, "landscape": report.landscape,
            "signatures": [pgettext("document", "Prepared by"), pgettext("document", "Head of the office")]}


def _groups(columns: list[Column]) -> list[dict] | None:
    """The top header row of a table with grouped columns: each group once with its span, ungrouped columns
    spanning both rows (None when no column is grouped)."""
    if not any(c.group for c in columns):
        return None
    result: list[dict] = []
    for column in columns:
        if column.group and result and result[-1]["label"] == column.group and result[-1]["grouped"]:
            result[-1]["span"] += 1
        else:
            result.append({"label": column.group or column.label, "span": 1, "grouped": bool(column.group)})
    return result


def _filename(slug: str, ext: str) -> str:
    ascii_slug = unicodedata.normalize("NFKD", slug.replace("đ", "d").replace("Đ", "D"))
    ascii_slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_slug.encode("ascii", "ignore").decode()).strip("-").lower()
    return f"{ascii_slug or 'bao-cao'}.{ext}"


def _audit(action: str, obj, object_type: str, report: Report, fmt: str) -> None:
    begin_write()
    audit.record(action, obj=obj, object_type=object_type,
                 details={"report": report.slug, "format": fmt, "rows": sum(len(t.rows) for t in report.tables)})
    db.session.commit()


def xlsx_response(report: Report, *, obj, object_type: str, action: str = "export.report") -> Response:
    """Download the report as XLSX (audited)."""
    body = workbook(report)
    _audit(action, obj, object_type, report, "xlsx")
    return Response(body, mimetype=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{_filename(report.slug, "xlsx")}"'})


def pdf_response(report: Report, *, obj, object_type: str, issuer_name: str, issuer_superior: str,
                 place: str, action: str = "print.report", template: str = "report_table.html",
                 extra: dict | None = None) -> Response:
    """Print the report to PDF through the printing module (audited); ``template`` and ``extra`` context for a
    document laid out otherwise (an official report with its number, addressee and recipients)."""
    context = print_context(report, issuer_name=issuer_name, issuer_superior=issuer_superior, place=place)
    context.update(extra or {})
    pdf = renderer().render_pdf(template, context)
    _audit(action, obj, object_type, report, "pdf")
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{_filename(report.slug, "pdf")}"'})
