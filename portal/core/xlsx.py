"""Writing XLSX exports: Vietnamese headers, real dates and numbers, and text that cannot become a formula."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """Text a spreadsheet will never run as a formula (a leading = + - @ gets an apostrophe-like guard)."""
    if value and value.startswith(_DANGEROUS):
        return "'" + value
    return value


def workbook(title: str, headers: Sequence[str], rows: Iterable[Sequence], *, widths: Sequence[int] | None = None,
             text_columns: Iterable[int] = (), money_columns: Iterable[int] = ()) -> bytes:
    """One sheet: a bold header row, frozen; dates as dd/mm/yyyy date cells; amounts as #,##0."""
    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = title[:31]
    ws.append([safe_text(h) for h in headers])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE7F3")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    text_columns, money_columns = set(text_columns), set(money_columns)
    for row in rows:
        values = []
        for value in row:
            if isinstance(value, str):
                value = safe_text(value)
            values.append(value)
        ws.append(values)
        r = ws.max_row
        for index, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=index)
            if isinstance(value, datetime | date):
                cell.number_format = "dd/mm/yyyy"
            elif index - 1 in money_columns:
                cell.number_format = "#,##0"
            elif index - 1 in text_columns:
                cell.number_format = "@"
    for index, width in enumerate(widths or [], start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
