"""The receipt register (sổ biên lai) an agent or post office hands in: rows typed or pasted on the page, or an
XLSX in the template's layout, checked row by row before anything is written, then recorded all at once.

Each row names the person by CCCD or BHXH code (and their name, which must agree), the scheme, new or renewal,
the chosen income (BHXH TN), the months paid, the member's order (BHYT), and the amount on the receipt. A row
whose amount differs from the calculator's needs a note saying why, as on the sign-up form.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..audit import services as audit
from ..core.fields import parse_money
from ..core.tabular import TableError, column_letter, read_table
from ..extensions import db
from ..households.models import Household, Person
from ..i18n import normalise
from ..i18n.collation import fold_diacritics
from ..policy import calculator
from ..policy.messages import policy_error_message
from ..results import services as signup_services
from . import queries

#: The columns, in the template's order: (field, header, other headers that mean it).
COLUMNS = (
    ("receipt_number", "Số biên lai", ("biên lai", "so bl")),
    ("receipt_date", "Ngày biên lai", ("ngày thu", "ngày")),
    ("name", "Họ và tên", ("họ tên", "tên")),
    ("cccd", "Số CCCD", ("cccd", "căn cước", "số định danh")),
    ("bhxh_code", "Mã số BHXH", ("mã bhxh", "mã số")),
    ("scheme", "Loại bảo hiểm", ("loại", "bảo hiểm")),
    ("kind", "Phương án", ("tăng mới / tái tục",)),
    ("income", "Mức thu nhập", ("mức thu nhập tháng", "thu nhập")),
    ("months", "Số tháng", ("số tháng đóng",)),
    ("member_order", "Thứ tự thành viên", ("thứ tự", "người thứ")),
    ("amount", "Số tiền thu", ("số tiền", "số tiền đóng")),
    ("note", "Ghi chú", ("lý do",)),
)
HEADERS = [header for _f, header, _a in COLUMNS]
REQUIRED = ("receipt_number", "receipt_date", "name", "scheme", "amount")
EXAMPLE = ["0001234", "05/05/2027", "Nguyễn Văn Ví Dụ", "001080012345", "", "BHXH TN", "Tái tục", "1.500.000",
           "3", "", "792.000", ""]

_SCHEMES = {"bhxh tn": "bhxh_tn", "tn": "bhxh_tn", "bhxh": "bhxh_tn", "bhxh tu nguyen": "bhxh_tn",
            "bhyt": "bhyt_hgd", "yt": "bhyt_hgd", "bhyt hgd": "bhyt_hgd", "bhyt ho gia dinh": "bhyt_hgd"}
_KINDS = {"tang moi": "new", "moi": "new", "m": "new", "new": "new", "tai tuc": "renewal", "t": "renewal",
          "dong tiep": "renewal", "renewal": "renewal", "dieu chinh": "adjustment", "dieu chinh muc dong": "adjustment",
          "d": "adjustment"}
_MODES = {1: "monthly", 3: "every_3_months", 6: "every_6_months", 12: "every_12_months"}


@dataclass
class Problem:
    """What is wrong in one cell (or row) of the register."""

    row: int
    column: str | None  #: the spreadsheet letter, None for the row as a whole
    header: str | None
    message: str


@dataclass
class Row:
    """A row that reads well: whom it is for and what to record."""

    number: int
    person: Person
    scheme: str
    kind: str
    receipt_number: str
    receipt_date: date
    income: int | None
    mode: str | None
    months: int
    member_order: int | None
    amount: int
    computed: int
    note: str | None


@dataclass
class Report:
    """The register read and checked; nothing written."""

    source: str  #: the file name, or "" for typed rows
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    digest: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.problems

    @property
    def readable(self) -> bool:
        return self.ok

    @property
    def total(self) -> int:
        return sum(r.amount for r in self.rows)


def _fold(value) -> str:
    return " ".join(fold_diacritics(str(value or "")).lower().replace("/", " ").split())


def analyse_file(data: bytes, filename: str) -> Report:
    """Read an XLSX or CSV register and check it."""
    report = Report(source=filename, digest=hashlib.sha256(data).hexdigest()[:16])
    try:
        table = read_table(data, filename, {f: aliases + (header,) for f, header, aliases in COLUMNS},
                           required=REQUIRED)
    except TableError as exc:
        report.problems.append(Problem(0, None, None, str(exc)))
        return report
    if not table.rows:
        report.problems.append(Problem(table.header_row, None, None, _("There is no row below the headers.")))
        return report
    for number, cells in table.rows:
        values = {f: (cells[i] if i < len(cells) else None) for f, i in table.columns.items()}
        letters = {f: table.column_letter(i) for f, i in table.columns.items()}
        _check(report, number, values, letters)
    return report


def analyse_lines(text: str) -> Report:
    """Check rows typed or pasted on the page: one receipt a line, cells separated by tabs (pasted from a
    spreadsheet) or semicolons, in the template's column order."""
    report = Report(source="", digest=hashlib.sha256(text.encode()).hexdigest()[:16])
    letters = {f: column_letter(i) for i, (f, _h, _a) in enumerate(COLUMNS)}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        cells = [c.strip() for c in (line.split("\t") if "\t" in line else line.split(";"))]
        if len(cells) > len(COLUMNS):
            report.problems.append(Problem(number, None, None, _(
                "This line has %(n)d cells; the register has %(m)d columns.", n=len(cells), m=len(COLUMNS))))
            continue
        values = {f: (normalise.text(cells[i]) or None if i < len(cells) else None)
                  for i, (f, _h, _a) in enumerate(COLUMNS)}
        _check(report, number, values, letters)
    if not report.rows and not report.problems:
        report.problems.append(Problem(0, None, None, _("Type at least one row of the register.")))
    return report


class _Wrong(Exception):
    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field_name = field_name
        self.message = message


def _check(report: Report, number: int, values: dict, letters: dict) -> None:
    """Every problem of the row (each cell that cannot be read, then what the readable cells contradict), or the
    row added to the report."""
    headers = {f: h for f, h, _a in COLUMNS}

    def problem(field_name: str | None, message: str) -> None:
        report.problems.append(Problem(number, letters.get(field_name) if field_name else None,
                                       headers.get(field_name) if field_name else None, message))

    row, wrongs = _read(values, number)
    for wrong in wrongs:
        problem(wrong.field_name, wrong.message)
    if row is None:
        return
    if any(r.receipt_number == row.receipt_number and r.scheme == row.scheme and r.person.id == row.person.id
           for r in report.rows):
        problem("receipt_number", _("Receipt %(n)s is already on an earlier row.", n=row.receipt_number))
        return
    report.rows.append(row)


def _required(values: dict, name: str, message) -> str:
    value = values.get(name)
    if value is None or str(value).strip() == "":
        raise _Wrong(name, str(message))
    return value


def _count(value) -> int | None:
    """A whole number from a cell (None when empty, -1 when it is not one)."""
    if value is None or str(value).strip() == "":
        return None
    raw = str(value).strip()
    raw = raw[:-2] if raw.endswith(".0") else raw
    return int(raw) if raw.isdigit() else -1


def _money(values: dict, name: str, missing) -> int:
    amount = parse_money(_required(values, name, missing))
    if amount is None:
        raise _Wrong(name, _("Write the amount in đồng with digits, e.g. 1.500.000."))
    return amount


def _choice(values: dict, name: str, choices: dict, message, default: str | None = None) -> str:
    raw = values.get(name) or default
    if raw is None or str(raw).strip() == "":
        raise _Wrong(name, str(message))
    found = choices.get(_fold(raw))
    if found is None:
        raise _Wrong(name, str(message))
    return found


def _payment(scheme: str, months: int | None) -> tuple[str | None, int]:
    """The payment mode and months of a scheme's row."""
    if scheme == "bhxh_tn":
        months = months or 1
        mode = _MODES.get(months) or ("advance_lump_sum" if months % 12 == 0 else None)
        if mode is None:
            raise _Wrong("months", _("BHXH TN is paid for 1, 3, 6 or 12 months, or whole years up to 5."))
        return mode, months
    months = months or 12
    if months not in (3, 6, 12):
        raise _Wrong("months", _("BHYT HGĐ is paid for 3, 6 or 12 months."))
    return None, months


def _read(values: dict, number: int) -> tuple[Row | None, list[_Wrong]]:
    """The row, or None with every problem found: each cell is read on its own, so one bad cell does not hide
    another; what needs several cells (the person, the amount) is checked once they all read well."""
    wrongs: list[_Wrong] = []

    def read(field_name: str, reader):
        try:
            return reader()
        except _Wrong as wrong:
            wrongs.append(wrong)
        except normalise.Invalid as exc:
            wrongs.append(_Wrong(field_name, str(exc)))
        return None

    receipt_number = read("receipt_number", lambda: str(
        _required(values, "receipt_number", _l("Write the receipt number."))).strip()[:40])
    receipt_date = read("receipt_date", lambda: normalise.any_date(
        _required(values, "receipt_date", _l("Write the receipt's date."))))
    name = read("name", lambda: str(_required(values, "name", _l("Write the person's full name."))))
    cccd = read("cccd", lambda: normalise.cccd(values.get("cccd")))
    bhxh_code = read("bhxh_code", lambda: normalise.bhxh_code(values.get("bhxh_code")))
    if not cccd and not bhxh_code and not any(w.field_name in ("cccd", "bhxh_code") for w in wrongs):
        wrongs.append(_Wrong("cccd", _("Write the CCCD or the BHXH code of the person.")))
    scheme = read("scheme", lambda: _choice(values, "scheme", _SCHEMES, _l("Write BHXH TN or BHYT.")))
    kind = read("kind", lambda: _choice(values, "kind", _KINDS,
                                        _l("Write “Tăng mới”, “Tái tục” or “Điều chỉnh”."), "tái tục"))
    amount = read("amount", lambda: _money(values, "amount", _l("Write the amount on the receipt.")))
    income = None
    if scheme == "bhxh_tn":
        income = read("income", lambda: _money(values, "income", _l("Write the chosen monthly income (BHXH TN).")))
    months = _count(values.get("months"))
    if months == -1:
        wrongs.append(_Wrong("months", _("Write the number of months with digits.")))
    member_order = _count(values.get("member_order")) if scheme == "bhyt_hgd" else None
    if member_order is not None and not 1 <= member_order <= 50:
        wrongs.append(_Wrong("member_order", _("Write the member's order in the household, from 1 to 50.")))
    mode = None
    if scheme is not None and months != -1:
        mode, months = read("months", lambda: _payment(scheme, months)) or (None, -1)
    if wrongs:
        return None, wrongs
    try:
        return _match(values, number, name=name, cccd=cccd, bhxh_code=bhxh_code, scheme=scheme, kind=kind,
                      receipt_number=receipt_number, receipt_date=receipt_date, income=income, mode=mode,
                      months=months, member_order=member_order, amount=amount), []
    except _Wrong as wrong:
        return None, [wrong]


def _match(values: dict, number: int, *, name: str, cccd, bhxh_code, scheme: str, kind: str, receipt_number: str,
           receipt_date: date, income, mode, months: int, member_order, amount: int) -> Row:
    """The person the row names and the calculator's amount for them."""
    person = queries.find_person(cccd, bhxh_code)
    if person is None:
        raise _Wrong("cccd" if cccd else "bhxh_code",
                     _("Nobody in your area has this number: add the person to their household first."))
    if _fold(person.full_name) != _fold(normalise.person_name(name)):
        raise _Wrong("name", _("The number belongs to %(name)s.", name=person.full_name))
    household = db.session.get(Household, person.household_id)
    try:
        quote = signup_services.quote_for(person, household, scheme=scheme, on=receipt_date, income=income,
                                          mode=mode, months=months, member_order=member_order)
    except calculator.PolicyError as exc:
        raise _Wrong("income" if scheme == "bhxh_tn" else "months", policy_error_message(exc.code, exc.params)) \
            from exc
    note = (str(values.get("note") or "").strip() or None)
    if amount != quote.net and not note:
        raise _Wrong("amount", _("The calculator gives %(net)s; write the reason for the difference in “Ghi chú”.",
                                 net=f"{quote.net:,}".replace(",", ".")))
    return Row(number, person, scheme, kind, receipt_number, receipt_date, income, mode, months, member_order,
               amount, quote.net, note)


def write(report: Report, *, user, channel: str, agent_id: int | None, collection_point: str | None) -> list:
    """Record every row of a clean report through the one sign-up service (caller commits; a refusal raises
    ``ResultsError`` with the row in ``params`` and the caller rolls back: all or nothing)."""
    written = []
    for row in report.rows:
        try:
            signup, _new = signup_services.record_signup(
                row.person, scheme=row.scheme, kind=row.kind, signed_on=row.receipt_date, user=user,
                channel=channel, agent_id=agent_id, income=row.income, mode=row.mode, months=row.months,
                member_order=row.member_order, net_override=row.amount, override_reason=row.note,
                receipt_number=row.receipt_number, receipt_date=row.receipt_date,
                collection_point=collection_point,
                submission_key=f"register-{report.digest}-{row.number}-{row.scheme}")
        except signup_services.ResultsError as exc:
            exc.params["row"] = row.number
            raise
        written.append(signup)
    audit.record("signups.register", object_type="signup_register",
                 details={"source": report.source or "typed", "rows": len(written), "total": report.total,
                          "channel": channel, "agent_id": agent_id})
    return written
