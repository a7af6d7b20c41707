"""Reading the spreadsheets officers really have: CSV or XLSX, title rows above the header, Vietnamese headers.

Uploads are checked before anything is parsed: size, real content (an XLSX is a zip; a CSV is text),
zip bombs (total and per-member expansion), and XML entity tricks (openpyxl parses through defusedxml).
Formulas are never evaluated: a formula cell comes back as :class:`Formula` so importers can refuse it.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _

from ..i18n.collation import fold_diacritics

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED_BYTES = 300 * 1024 * 1024
MAX_ZIP_RATIO = 200
MAX_ZIP_MEMBERS = 2000
HEADER_SCAN_ROWS = 25


class TableError(ValueError):
    """A file that cannot be read as a table; the message is for the user (translated)."""


@dataclass(frozen=True)
class Formula:
    """A formula found in a cell (never evaluated)."""

    text: str

    def __str__(self) -> str:
        return self.text


@dataclass
class Table:
    """The rows of a sheet below its header row."""

    filename: str
    header_row: int  #: 1-based row number of the header in the file
    headers: list[str]  #: header texts as written (NFC, trimmed)
    columns: dict[str, int]  #: canonical field -> column index, for the headers that were recognised
    rows: list[tuple[int, list]] = field(default_factory=list)  #: (1-based row number, cell values)

    def column_letter(self, index: int) -> str:
        """Spreadsheet letter of a 0-based column index (A, B, …, AA)."""
        letters = ""
        index += 1
        while index:
            index, rem = divmod(index - 1, 26)
            letters = chr(65 + rem) + letters
        return letters


def normalise_header(text) -> str:
    """Fold a header for matching: no diacritics, lower case, single spaces, no punctuation at the ends."""
    folded = fold_diacritics(str(text or ""))
    return " ".join(folded.replace("\n", " ").strip(" .:*()").split())


def clean_cell(value):
    """NFC and trimmed for text; other values unchanged."""
    if isinstance(value, str):
        return " ".join(unicodedata.normalize("NFC", value).replace("\u00a0", " ").split())
    return value


def sniff_kind(data: bytes, filename: str) -> str:
    """"xlsx" or "csv" from the content (not the name); TableError for anything else."""
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise TableError(_("%(file)s is an old Excel (.xls) file. Save it as .xlsx or .csv and try again.", file=filename))
    head = data[:4096]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise TableError(_("%(file)s is not a spreadsheet (CSV or XLSX).", file=filename))
    return "csv"


def _check_zip(data: bytes, filename: str) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise TableError(_("%(file)s is damaged or not a real XLSX file.", file=filename)) from exc
    members = archive.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise TableError(_("%(file)s has too many parts to be a normal spreadsheet.", file=filename))
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise TableError(_("%(file)s is password-protected. Remove the password and try again.", file=filename))
        total += member.file_size
        if member.compress_size and member.file_size / member.compress_size > MAX_ZIP_RATIO and member.file_size > 1_000_000:
            raise TableError(_("%(file)s expands to an unreasonable size and was refused.", file=filename))
    if total > MAX_UNZIPPED_BYTES:
        raise TableError(_("%(file)s expands to an unreasonable size and was refused.", file=filename))
    if "xl/workbook.xml" not in archive.namelist():
        raise TableError(_("%(file)s is damaged or not a real XLSX file.", file=filename))


def _xlsx_rows(data: bytes, filename: str) -> Iterator[list]:
    _check_zip(data, filename)
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # noqa: BLE001 - any parser failure is a bad file for the user
        raise TableError(_("%(file)s is damaged or not a real XLSX file.", file=filename)) from exc
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows():
            values = []
            for cell in row:
                value = getattr(cell, "value", None)
                if getattr(cell, "data_type", None) == "f":
                    values.append(Formula(str(value)))
                else:
                    values.append(clean_cell(value))
            yield values
    finally:
        workbook.close()


def _decode_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        return text
    return data.decode("cp1258", errors="replace")


def _csv_rows(data: bytes) -> Iterator[list]:
    text = _decode_text(data)
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    for row in csv.reader(io.StringIO(text), dialect):
        yield [clean_cell(v) if v != "" else None for v in row]


def read_rows(data: bytes, filename: str) -> Iterator[list]:
    """Every row of the first sheet (XLSX) or of the file (CSV), cells cleaned."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise TableError(_("%(file)s is larger than %(mb)d MB.", file=filename, mb=MAX_UPLOAD_BYTES // 1024 // 1024))
    if not data:
        raise TableError(_("%(file)s is empty.", file=filename))
    kind = sniff_kind(data, filename)
    return _xlsx_rows(data, filename) if kind == "xlsx" else _csv_rows(data)


def read_table(data: bytes, filename: str, aliases: dict[str, Iterable[str]], required: Iterable[str] = ()) -> Table:
    """Find the header row (it may sit below title rows), map known headers to fields, and collect the rows.

    ``aliases`` maps each field to the header texts that mean it (any case and diacritics).
    """
    lookup: dict[str, str] = {}
    for field_name, names in aliases.items():
        for name in (field_name, *names):
            lookup[normalise_header(name)] = field_name
    rows = enumerate(read_rows(data, filename), start=1)
    buffered: list[tuple[int, list]] = []
    header_index = None
    best = 0
    for number, row in rows:
        buffered.append((number, row))
        score = len({lookup[h] for h in (normalise_header(c) for c in row if c is not None) if h in lookup})
        if score > best:
            best, header_index = score, len(buffered) - 1
        if number >= HEADER_SCAN_ROWS:
            break
    if header_index is None:
        raise TableError(_("No header row was found in %(file)s. The first rows must include column names "
                           "such as %(names)s.", file=filename, names=", ".join(_first_names(aliases))))
    header_number, header_cells = buffered[header_index]
    headers = [clean_cell(str(c)) if c is not None else "" for c in header_cells]
    columns: dict[str, int] = {}
    for index, text in enumerate(headers):
        field_name = lookup.get(normalise_header(text))
        if field_name and field_name not in columns:
            columns[field_name] = index
    missing = [f for f in required if f not in columns]
    if missing:
        names = ", ".join(_first_names({f: aliases[f] for f in missing}))
        raise TableError(_("%(file)s has no column for: %(names)s.", file=filename, names=names))
    table = Table(filename=filename, header_row=header_number, headers=headers, columns=columns)
    for number, row in buffered[header_index + 1:]:
        if any(v not in (None, "") for v in row):
            table.rows.append((number, row))
    for number, row in rows:
        if any(v not in (None, "") for v in row):
            table.rows.append((number, row))
    return table


def _first_names(aliases: dict[str, Iterable[str]]) -> list[str]:
    names = []
    for field_name, options in aliases.items():
        options = list(options)
        names.append(f"“{options[0] if options else field_name}”")
    return names


def cell_text(value) -> str:
    """A cell as text ("" for empty), numbers without a trailing .0, dates as dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, Formula):
        return value.text
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()
