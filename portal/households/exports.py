"""XLSX exports of people lists: headers in the user's language (Vietnamese by default), real date cells shown
dd/mm/yyyy, ID numbers and phones as text (leading zeros kept), and no text that a spreadsheet would run as a
formula (string cells, with the quote prefix style when a value starts with = + - @).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from flask import Response
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from sqlalchemy import select

from ..core.xlsx import text_cell
from ..extensions import db
from .labels import SEX_LABELS, STATUS_LABELS, TAG_LABELS
from .models import person_tags

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "dd/mm/yyyy"


class Column:
    """One column of an export: header, width, and whether it holds dates or text that must stay text."""

    def __init__(self, header: str, width: int, kind: str = "general"):
        self.header = header
        self.width = width
        self.kind = kind  # "general", "text" (IDs, phones) or "date"


def workbook(title: str, columns: Sequence[Column], rows: Iterable[Sequence]) -> bytes:
    """A one-sheet workbook, written row by row (fast for tens of thousands of rows)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = "A2"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE7F3")
    header = []
    for column in columns:
        header.append(text_cell(ws, str(column.header), font=bold, fill=fill,
                                alignment=Alignment(wrap_text=True, vertical="center")))
    ws.append(header)
    for row in rows:
        cells = []
        for column, value in zip(columns, row, strict=True):
            if isinstance(value, datetime):
                value = value.date()
            if isinstance(value, date):
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = DATE_FORMAT
            elif column.kind == "text":
                cell = text_cell(ws, "" if value is None else str(value), number_format="@")
            elif isinstance(value, str):
                cell = text_cell(ws, value)
            else:
                cell = WriteOnlyCell(ws, value=value)
            cells.append(cell)
        ws.append(cells)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def attachment(data: bytes, filename: str) -> Response:
    """The workbook as a download (never cached)."""
    return Response(data, mimetype=XLSX_MIMETYPE, headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


def _tags_of(person_ids: list[int]) -> dict[int, list[str]]:
    result: dict[int, list[str]] = {}
    for chunk in range(0, len(person_ids), 900):
        for person_id, tag in db.session.execute(select(person_tags.c.person_id, person_tags.c.tag).where(
                person_tags.c.person_id.in_(person_ids[chunk:chunk + 900])).order_by(person_tags.c.tag)):
            result.setdefault(person_id, []).append(tag)
    return result


def _sex(value: str | None) -> str:
    return str(SEX_LABELS[value]) if value in SEX_LABELS else ""


def people_workbook(rows: list) -> bytes:
    """The search list: rows of (Person, head name, hamlet, commune, address)."""
    tags = _tags_of([row[0].id for row in rows])
    columns = [Column(_("No."), 6), Column(_("Full name"), 26), Column(_("Date of birth"), 12, "date"),
               Column(_("Sex"), 7), Column(_("CCCD number"), 15, "text"),
               Column(_("Social insurance code"), 13, "text"), Column(_("Phone"), 13, "text"),
               Column(_("Head of household"), 24), Column(_("Address"), 24), Column(_("Hamlet"), 20),
               Column(_("Commune"), 20), Column(_("Voluntary social insurance"), 16),
               Column(_("Paid until"), 12, "date"), Column(_("Health insurance card valid until"), 12, "date"),
               Column(_("Potential groups"), 28)]
    body = ([n, p.full_name, p.date_of_birth, _sex(p.sex), p.cccd, p.bhxh_code, p.phone, head, address or "",
             hamlet, commune, str(STATUS_LABELS[p.bhxh_tn_status]), p.paid_until, p.bhyt_expires_on,
             ", ".join(str(TAG_LABELS[t]) for t in tags.get(p.id, []) if t in TAG_LABELS)]
            for n, (p, head, hamlet, commune, address) in enumerate(rows, start=1))
    return workbook(_("People"), columns, body)


def due_workbook(groups: list, *, per_agent: bool, agents_of: dict[int, list[tuple[int, str]]]) -> bytes:
    """A due list, one row per person and group (per agent, a person of a shared hamlet appears twice)."""
    # Grouped per hamlet, the hamlet is in its own column (with the commune) and not repeated in front.
    columns = [Column(_("No."), 6), *([Column(_("Agent"), 24)] if per_agent else []), Column(_("Full name"), 26),
               Column(_("Date of birth"), 12, "date"), Column(_("Sex"), 7),
               Column(_("Social insurance code"), 13, "text"), Column(_("CCCD number"), 15, "text"),
               Column(_("Phone"), 13, "text"), Column(_("Head of household"), 24), Column(_("Address"), 24),
               Column(_("Hamlet"), 20), Column(_("Commune"), 20), Column(_("Voluntary social insurance"), 16),
               Column(_("Paid until"), 12, "date"), Column(_("Health insurance card valid until"), 12, "date"),
               Column(_("Agents of the hamlet"), 28)]

    def body():
        n = 0
        for group in groups:
            label = group.name or (_("No agent") if per_agent else "")
            for p, head, address, hamlet_id, hamlet, commune, household_phone in group.rows:
                n += 1
                yield [n, *([label] if per_agent else []), p.full_name, p.date_of_birth, _sex(p.sex), p.bhxh_code,
                       p.cccd, p.phone or household_phone, head, address or "", hamlet, commune, str(STATUS_LABELS[p.bhxh_tn_status]), p.paid_until,
                       p.bhyt_expires_on, ", ".join(name for _id, name in agents_of.get(hamlet_id, []))]

    return workbook(_("Due payments"), columns, body())
