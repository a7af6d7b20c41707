"""The D05-TS / D03-TS list as a spreadsheet the declaration software imports: the heading block (agency, agent
organisation, form number, title, period), two header rows with the column groups merged, the row of column
numbers, one row per person, the totals row, the code legend and the signature blocks.

Every cell is typed: codes and ID numbers are text cells (leading zeros kept, no apostrophe added), amounts and
counts are numbers, dates are date cells (a month as mm/yyyy; a year of birth alone stays text, as the BHXH
records allow).
"""

from __future__ import annotations

import io

from flask_babel import force_locale, pgettext
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from ..core.xlsx import as_text
from ..i18n.formatting import document_date_line
from .codes import FORM_NAMES, ISSUED_BY, LEGENDS, TITLES
from .services import Listing

#: The rows of the table: two header rows, then the column numbers; data start on the row after.
HEADER_ROW = 9
NUMBER_ROW = HEADER_ROW + 2
FIRST_DATA_ROW = NUMBER_ROW + 1

_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT = "Times New Roman"
_FORMATS = {"int": "0", "money": "#,##0", "percent": "0.##", "date": "dd/mm/yyyy", "month": "mm/yyyy",
            "text": "@", "code": "@"}


def _put(ws, row: int, column: int, value, *, bold=False, italic=False, size=11, align="left", wrap=True,
         merge_to: int | None = None, merge_rows: int = 0):
    cell = as_text(ws.cell(row=row, column=column, value=value))
    cell.font = Font(name=_FONT, bold=bold, italic=italic, size=size)
    cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=wrap)
    if merge_to and merge_to > column or merge_rows:
        ws.merge_cells(start_row=row, start_column=column, end_row=row + merge_rows, end_column=merge_to or column)
    return cell


def workbook(listing: Listing, *, batch_id: int, place: str, day) -> bytes:
    """The list as XLSX bytes, its words in Vietnamese whatever the interface language."""
    with force_locale("vi"):
        return _workbook(listing, batch_id=batch_id, place=place, day=day)


def _workbook(listing: Listing, *, batch_id: int, place: str, day) -> bytes:
    columns = listing.columns
    last = len(columns)
    half = last // 2
    heading = listing.heading
    wb = Workbook()
    ws = wb.active
    ws.title = FORM_NAMES[listing.form].split(" ", 1)[-1]  # "Mẫu D05-TS": the form's code
    # Heading block: the receiving agency on the left, the form on the right.
    _put(ws, 1, 1, (heading.agency_superior or _("Vietnam Social Security")).upper(), merge_to=half)
    _put(ws, 2, 1, (heading.agency or "").upper(), bold=True, merge_to=half)
    _put(ws, 3, 1, _("Unit (collection agent): %(name)s", name=heading.organisation), merge_to=half)
    if heading.agent:
        _put(ws, 4, 1, _("Collection agent's staff member: %(name)s", name=heading.agent), merge_to=half)
    _put(ws, 1, last - 5, FORM_NAMES[listing.form], bold=True, align="center", merge_to=last)
    _put(ws, 2, last - 5, ISSUED_BY, italic=True, size=9, align="center", merge_to=last, merge_rows=1)
    _put(ws, 6, 1, TITLES[listing.form].upper(), bold=True, size=14, align="center", merge_to=last)
    _put(ws, 7, 1, _("Declaration period: %(period)s · Batch no. %(batch)s", period=heading.period, batch=batch_id), italic=True, align="center", merge_to=last)
    ws.row_dimensions[2].height = 24
    # Header rows: a group's header spans its columns; a column outside any group spans both rows.
    index = 0
    while index < last:
        column = columns[index]
        if column.group:
            span = 1
            while index + span < last and columns[index + span].group == column.group:
                span += 1
            _put(ws, HEADER_ROW, index + 1, column.group, bold=True, size=10, align="center", merge_to=index + span)
            for offset in range(span):
                _put(ws, HEADER_ROW + 1, index + offset + 1, columns[index + offset].label, bold=True, size=10,
                     align="center")
            index += span
        else:
            _put(ws, HEADER_ROW, index + 1, column.label, bold=True, size=10, align="center", merge_rows=1)
            index += 1
    ws.row_dimensions[HEADER_ROW].height = 30
    ws.row_dimensions[HEADER_ROW + 1].height = 54
    for number in range(1, last + 1):
        _put(ws, NUMBER_ROW, number, number, italic=True, size=10, align="center")
    # One row per person.
    row_number = FIRST_DATA_ROW
    for row in listing.rows:
        for position, column in enumerate(columns, start=1):
            value = row[column.key]
            if column.kind in ("text", "code") and value is None:
                value = ""
            cell = as_text(ws.cell(row=row_number, column=position, value=value))
            kind = "text" if column.kind == "birth" and isinstance(value, str) else column.kind
            cell.number_format = _FORMATS.get(kind, "dd/mm/yyyy")
            cell.font = Font(name=_FONT, size=11)
            cell.alignment = Alignment(vertical="top", wrap_text=column.kind == "text",
                                       horizontal="right" if kind in ("money", "percent") else
                                       "center" if kind in ("int", "date", "month", "birth", "code") and
                                       column.key not in ("bhxh_code", "cccd") else "left")
        row_number += 1
    # The totals row: the number of people under STT's neighbour, each amount summed.
    totals = row_number
    _put(ws, totals, 1, pgettext("document", "Total"), bold=True, align="center", merge_to=2)
    _put(ws, totals, 3, _("%(count)s people", count=len(listing.rows)), bold=True)
    for position, column in enumerate(columns, start=1):
        if column.summed:
            cell = ws.cell(row=totals, column=position, value=listing.totals[column.key])
            cell.number_format = _FORMATS["money"]
            cell.font = Font(name=_FONT, bold=True, size=11)
            cell.alignment = Alignment(horizontal="right", vertical="center")
    for r in range(HEADER_ROW, totals + 1):
        for c in range(1, last + 1):
            ws.cell(row=r, column=c).border = _BOX
    # The legend of the codes, the date line and the signature blocks.
    line = totals + 2
    for name, codes in LEGENDS[listing.form]:
        _put(ws, line, 1, f"{name}: " + "; ".join(f"{k} = {v}" for k, v in codes.items()), italic=True, size=10,
             merge_to=last)
        line += 1
    line += 1
    _put(ws, line, last - 7, document_date_line(place or "……", day), italic=True, align="center", merge_to=last)
    for start, end, role, hint in ((1, half, pgettext("document", "Prepared by"), _("(Signature, full name)")),
                                   (last - 7, last, pgettext("document", "Head of the office"),
                                    _("(Signature, full name, seal)"))):
        _put(ws, line + 1, start, role.upper(), bold=True, align="center", merge_to=end)
        _put(ws, line + 2, start, hint, italic=True, size=10, align="center", merge_to=end)
    for position, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(position)].width = column.width
    ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=3)
    ws.print_title_rows = f"{HEADER_ROW}:{NUMBER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
