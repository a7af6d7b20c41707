"""Writing XLSX exports: Vietnamese headers, real dates and numbers, and text that cannot become a formula.

Text goes into string cells exactly as it is: a value that starts like a formula (= + - @) is stored as a
string cell with Excel's quote prefix style, so it is shown, copied and edited as text and never run, and no
character is added to the data.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def as_text(cell):
    """Keep a cell holding a string a string cell (never a formula) with its value unchanged; one that starts
    like a formula also gets the quote prefix, so that editing it in a spreadsheet keeps it text."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if cell.value.startswith(_DANGEROUS):
            cell.quotePrefix = True
    return cell


def text_cell(ws, value, **style):
    """A streaming-mode cell of ``value``: strings as text (see :func:`as_text`); ``style``: font, fill,
    alignment, number_format."""
    cell = WriteOnlyCell(ws, value=value)
    for name, setting in style.items():
        if setting is not None:
            setattr(cell, name, setting)
    return as_text(cell)


def workbook(title: str, headers: Sequence[str], rows: Iterable[Sequence], *, widths: Sequence[int] | None = None,
             text_columns: Iterable[int] = (), money_columns: Iterable[int] = ()) -> bytes:
    """One sheet: a bold header row, frozen; dates as dd/mm/yyyy date cells; amounts as #,##0."""
    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = title[:31]
    ws.append(list(headers))
    for cell in ws[1]:
        as_text(cell)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE7F3")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    text_columns, money_columns = set(text_columns), set(money_columns)
    for row in rows:
        values = list(row)
        ws.append(values)
        r = ws.max_row
        for index, value in enumerate(values, start=1):
            cell = as_text(ws.cell(row=r, column=index))
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
