"""Reading the spreadsheets officers really have: CSV or XLSX, title rows above the header, Vietnamese headers.

Uploads are checked before anything is parsed: size, real content (an XLSX is a zip; a CSV is text),
zip bombs (total and per-member expansion), and XML entity tricks (any DTD is refused; the XLSX reader,
calamine, never expands entities either). Formulas are never evaluated: a formula cell comes back as
:class:`Formula` (found by scanning the sheet's XML) so importers can refuse it.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _

from ..database import without_write_lock
from ..i18n.collation import fold_diacritics

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED_BYTES = 300 * 1024 * 1024
MAX_ZIP_RATIO = 200
MAX_ZIP_MEMBERS = 2000
#: What one uploaded table may hold (stated in the refusal): a commune's list fits many times over.
MAX_ROWS = 60_000
MAX_COLUMNS = 200
MAX_CELLS = 2_000_000
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
        return column_letter(index)


def column_letter(index: int) -> str:
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
        if not unicodedata.is_normalized("NFC", value):
            value = unicodedata.normalize("NFC", value)
        return " ".join(value.split())  # split() also takes no-break spaces and line breaks
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


def _check_zip(data: bytes, filename: str) -> zipfile.ZipFile:
    """The XLSX as a zip archive, refused when it is damaged, encrypted, a zip bomb or carries a DTD."""
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
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names:
        raise TableError(_("%(file)s is damaged or not a real XLSX file.", file=filename))
    for member in members:
        if member.filename.endswith((".xml", ".rels")):
            try:
                declared = _declares_entities(archive, member)
            except (zipfile.BadZipFile, OSError, RuntimeError) as exc:
                raise TableError(_("%(file)s is damaged or not a real XLSX file.", file=filename)) from exc
            if declared:  # entity expansion and external entities
                raise TableError(_("%(file)s contains XML declarations a spreadsheet never needs and was refused.",
                                   file=filename))
    return archive


def _declares_entities(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    """Whether a part holds a DTD or an entity declaration anywhere (read whole, in chunks: padding cannot push a
    declaration past what is checked)."""
    tail = b""
    with archive.open(member) as fh:
        while chunk := fh.read(64 * 1024):
            window = tail + chunk
            if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
                return True
            tail = window[-16:]
    return False


def _limited(rows: Iterator[list], filename: str) -> Iterator[list]:
    """Rows, refused (naming the limit) past MAX_ROWS rows, MAX_COLUMNS columns or MAX_CELLS cells."""
    cells = 0
    for number, row in enumerate(rows, start=1):
        width = len(row)
        while width and row[width - 1] is None:
            width -= 1
        if width > MAX_COLUMNS:
            raise TableError(_("%(file)s has more than %(n)s columns; the portal reads at most %(n)s.", file=filename,
                               n=f"{MAX_COLUMNS:,}".replace(",", ".")))
        if number > MAX_ROWS:
            raise TableError(_("%(file)s has more than %(n)s rows; the portal reads at most %(n)s. Split it into "
                               "several files.", file=filename, n=f"{MAX_ROWS:,}".replace(",", ".")))
        cells += width
        if cells > MAX_CELLS:
            raise TableError(_("%(file)s has more than %(n)s cells; the portal reads at most %(n)s. Split it into "
                               "several files.", file=filename, n=f"{MAX_CELLS:,}".replace(",", ".")))
        yield row


_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
#: A cell whose first child is a formula: <c r="B7" ...><f>...</f> (also shared formulas: <f t="shared" .../>).
_FORMULA_CELL = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{1,3})([0-9]+)"[^>]*>\s*<(?:\w+:)?f\b([^>]*?)(/?)>'
                           rb'([^<]{0,200})')


def _sheet_part(archive: zipfile.ZipFile, sheet_name: str) -> str | None:
    """The archive path of a worksheet, from the workbook and its relationships."""
    from defusedxml import ElementTree

    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError, ValueError):
        return None
    rel_id = next((el.get(_REL_NS) for el in workbook.iter() if el.tag.endswith("}sheet") and
                   el.get("name") == sheet_name), None)
    target = next((el.get("Target") for el in rels.iter() if el.get("Id") == rel_id), None)
    if not target:
        return None
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def _formula_cells(archive: zipfile.ZipFile, part: str | None) -> dict[int, dict[int, str]]:
    """{row: {column index: formula text}} of the cells holding a formula (scanned, never evaluated)."""
    found: dict[int, dict[int, str]] = {}
    if part is None or part not in archive.namelist():
        return found
    tail = b""
    with archive.open(part) as fh:
        while chunk := fh.read(1 << 22):
            buffer = tail + chunk
            last = 0
            for match in _FORMULA_CELL.finditer(buffer):
                letters, row, _attrs, closed, text = match.groups()
                column = 0
                for ch in letters:
                    column = column * 26 + ch - 64
                formula = "" if closed else text.decode("utf-8", "replace")
                found.setdefault(int(row), {})[column - 1] = "=" + formula
                last = match.end()
            tail = buffer[max(last, len(buffer) - 4096):]  # a cell cut at the chunk's end is read again
    return found


def _xlsx_rows(data: bytes, filename: str) -> Iterator[list]:
    """Rows of the first visible worksheet (Rust calamine reader: fast, no formula evaluation, no DTDs)."""
    archive = _check_zip(data, filename)
    import python_calamine

    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [m.name for m in workbook.sheets_metadata
                  if m.typ == python_calamine.SheetTypeEnum.WorkSheet
                  and m.visible == python_calamine.SheetVisibleEnum.Visible] or workbook.sheet_names[:1]
        if not sheets:
            raise TableError(_("%(file)s is empty.", file=filename))
        rows = workbook.get_sheet_by_name(sheets[0]).to_python(skip_empty_area=False)
    except TableError:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure is a bad file for the user
        raise TableError(_("%(file)s is damaged or not a real XLSX file.", file=filename)) from exc
    formulas = _formula_cells(archive, _sheet_part(archive, sheets[0]))
    for number, row in enumerate(rows, start=1):
        values = [None if v == "" else clean_cell(v) for v in row]
        for column, text in formulas.get(number, {}).items():
            if column >= len(values):
                values.extend([None] * (column + 1 - len(values)))
            values[column] = Formula(text)
        yield values


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


def _csv_rows(data: bytes, filename: str = "") -> Iterator[list]:
    text = _decode_text(data)
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    for line in io.StringIO(text):  # a line too wide is refused before it is split into a row of its own
        if line.count(dialect.delimiter) >= MAX_COLUMNS:
            raise TableError(_("%(file)s has more than %(n)s columns; the portal reads at most %(n)s.", file=filename,
                               n=f"{MAX_COLUMNS:,}".replace(",", ".")))
    for row in csv.reader(io.StringIO(text), dialect):
        yield [clean_cell(v) if v != "" else None for v in row]


def read_rows(data: bytes, filename: str) -> Iterator[list]:
    """Every row of the first sheet (XLSX) or of the file (CSV), cells cleaned."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise TableError(_("%(file)s is larger than %(mb)d MB.", file=filename, mb=MAX_UPLOAD_BYTES // 1024 // 1024))
    if not data:
        raise TableError(_("%(file)s is empty.", file=filename))
    kind = sniff_kind(data, filename)
    return _limited(_xlsx_rows(data, filename) if kind == "xlsx" else _csv_rows(data, filename), filename)


def read_table(data: bytes, filename: str, aliases: dict[str, Iterable[str]], required: Iterable[str] = ()) -> Table:
    """Find the header row (it may sit below title rows), map known headers to fields, and collect the rows.

    ``aliases`` maps each field to the header texts that mean it (any case and diacritics). When no row holds
    a known header and nothing is ``required``, the row with the most text cells is taken as the header. The
    file is parsed without holding SQLite's write lock, so other users keep saving during a big upload.
    """
    with without_write_lock():
        return _read_table(data, filename, aliases, required)


def _read_table(data: bytes, filename: str, aliases: dict[str, Iterable[str]], required: Iterable[str]) -> Table:
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
    if header_index is None and not required:
        # Nothing recognised: the row with the most text cells (the first of them) is the header, below any
        # title rows, and the user says what each column holds.
        texts = [sum(isinstance(v, str) and v != "" for v in row) for _n, row in buffered]
        if texts and max(texts):
            header_index = texts.index(max(texts))
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
