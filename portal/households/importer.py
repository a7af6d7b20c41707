"""Importing people and households of a commune from the CSV/XLSX files officers have.

The file is read once, every row is checked and matched, and a report says what would happen: new, updated,
unchanged and rejected rows, each rejection with its row, column and reason, and warnings that do not block.
Nothing is written until the report is clean and confirmed; then everything is written in one transaction
(:mod:`.import_writer`). Matching: a person by CCCD, else by social insurance code, else by name and date of
birth within the same household; a household by its head's name and address within the hamlet.

Columns are recognised by their usual Vietnamese headings; the user may map the others (``mapping``: column
index -> field, "" to leave a column out). Hamlets the commune does not have yet are rejected, or created
with the import when the user asks for it (``create_hamlets``). Reads are done in bulk, never row by row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..core.imports import FileReport
from ..core.tabular import Formula, Table, TableError, cell_text, read_table
from ..extensions import db
from ..geo import former
from ..geo.models import Hamlet
from ..i18n import normalise
from ..i18n.collation import fold_diacritics
from .import_match import match_rows

#: field -> (label for the mapping screen, the headings that mean it)
FIELDS: dict[str, tuple] = {
    "full_name": (_l("Full name"), ["Họ và tên", "Họ tên", "Tên", "Họ và tên người tham gia"]),
    "date_of_birth": (_l("Date of birth"), ["Ngày sinh", "Ngày tháng năm sinh", "Ngày, tháng, năm sinh"]),
    "sex": (_l("Sex"), ["Giới tính", "Nam/Nữ"]),
    "cccd": (_l("CCCD number"), ["Số CCCD", "Số CCCD/CMND", "CCCD", "Số định danh cá nhân", "Số CCCD/ĐDCN",
                                  "Số CMND/CCCD"]),
    "bhxh_code": (_l("Social insurance code"), ["Mã số BHXH", "Mã BHXH", "Số sổ BHXH", "Mã số BHXH/BHYT"]),
    "phone": (_l("Phone"), ["Số điện thoại", "SĐT", "Điện thoại", "Số ĐT"]),
    "hamlet": (_l("Hamlet"), ["Thôn/Tổ", "Thôn", "Tổ dân phố", "Thôn/Tổ dân phố", "Địa bàn", "Thôn/Bản",
                              "Thôn, bản, tổ dân phố", "Ấp", "Bản"]),
    "commune": (_l("Commune"), ["Xã/Phường", "Xã", "Phường", "Xã, phường"]),
    "district": (_l("Former district"), ["Huyện", "Quận/Huyện", "Huyện/Thị xã", "Quận, huyện", "Huyện cũ"]),
    "address": (_l("Address"), ["Địa chỉ", "Số nhà", "Địa chỉ thường trú"]),
    "relation": (_l("Relation to the head"), ["Quan hệ với chủ hộ", "Quan hệ", "Quan hệ với CH"]),
    "head": (_l("Head of household"), ["Chủ hộ", "Họ tên chủ hộ", "Tên chủ hộ"]),
    "poverty": (_l("Poverty status"), ["Hộ nghèo/cận nghèo", "Diện hộ", "Phân loại hộ"]),
    "ethnicity": (_l("Ethnicity"), ["Dân tộc"]),
    "occupation": (_l("Occupation"), ["Nghề nghiệp", "Công việc"]),
    "income_band": (_l("Monthly income"), ["Thu nhập", "Thu nhập hằng tháng", "Thu nhập bình quân"]),
    "tags": (_l("Potential groups"), ["Nhóm đối tượng", "Nhóm đối tượng tiềm năng", "Đối tượng"]),
    "bhxh_tn_status": (_l("Voluntary insurance status"), ["Tình trạng BHXH TN", "Tham gia BHXH TN"]),
    "paid_until": (_l("Paid until"), ["Đóng đến ngày", "Hạn đóng", "Đóng đến"]),
    "bhyt_expires_on": (_l("Health insurance card valid until"), ["Hạn thẻ BHYT", "Hạn sử dụng thẻ BHYT"]),
    "compulsory_insured": (_l("Compulsory insurance"), ["BHXH bắt buộc", "Đang đóng BHXH bắt buộc"]),
}
ALIASES = {name: aliases for name, (_label, aliases) in FIELDS.items()}
REQUIRED = ("full_name", "hamlet")
#: Person columns an import sets (and updates when the file gives a value).
PERSON_FIELDS = ("date_of_birth", "sex", "cccd", "bhxh_code", "phone", "ethnicity", "occupation", "income_band",
                 "bhxh_tn_status", "paid_until", "bhyt_expires_on", "compulsory_insured")
_PARSERS = {
    "full_name": normalise.person_name, "date_of_birth": normalise.birth_date, "sex": normalise.sex,
    "cccd": normalise.cccd, "bhxh_code": normalise.bhxh_code, "phone": normalise.phone,
    "relation": normalise.relation, "poverty": lambda v: None if v in (None, "") else normalise.poverty(v),
    "bhxh_tn_status": normalise.bhxh_status,
    "paid_until": normalise.any_date, "bhyt_expires_on": normalise.any_date, "income_band": normalise.income_band,
    "tags": normalise.tags, "compulsory_insured": normalise.yes_no,
}
_TEXT_LIMITS = {"ethnicity": 40, "occupation": 120, "address": 300, "head": 120, "hamlet": 120, "commune": 100,
                "district": 100}


@dataclass
class Row:
    """A checked row: clean values, its place, and what matching found."""

    number: int
    values: dict
    hamlet_key: str  #: the hamlet's folded name (the hamlet may be created by the import)
    head: str
    address: str
    person_id: int | None = None
    household_id: int | None = None
    changes: list[str] = field(default_factory=list)
    new_tags: frozenset[str] = frozenset()  #: potential groups the file adds to a person found


@dataclass
class Report(FileReport):
    """What the import would do."""

    warnings: list[tuple[int, str, str]] = field(default_factory=list)  #: do not block the import
    headers: list[str] = field(default_factory=list)  #: the file's headings, by column
    samples: list[list[str]] = field(default_factory=list)  #: the first values of each column
    columns: dict[str, int] = field(default_factory=dict)  #: field -> column index in use
    missing: list[str] = field(default_factory=list)  #: required fields no column gives
    unknown_headers: list[str] = field(default_factory=list)
    #: folded name -> (name as written, row numbers) of hamlets the commune does not have
    unknown_hamlets: dict[str, tuple[str, list[int]]] = field(default_factory=dict)
    create_hamlets: bool = False
    hamlet_ids: dict[str, int] = field(default_factory=dict)  #: folded name -> id of the commune's hamlets
    #: Former communes named in the file and read as this one: name as written -> "Xã A (cũ) → Xã B"
    former_places: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return super().ok and not self.missing

    @property
    def readable(self) -> bool:
        """The file could be read as a table (worth keeping for a second check with other choices)."""
        return self.error is None

    @property
    def writes(self) -> int:
        return len(self.new) + len(self.updated)


def hamlet_key(name: str) -> str:
    """A hamlet's name folded, without the kind word ("Thôn Khe Cam", "thon khe cam", "Khe Cam" are one)."""
    folded = fold_diacritics(name)
    for prefix in ("to dan pho ", "thon ", "ban ", "ap ", "khom ", "xom ", "lang ", "khu pho ", "to ", "khu "):
        if folded.startswith(prefix):
            return folded[len(prefix):]
    return folded


def _commune_key(name: str) -> str:
    folded = fold_diacritics(name)
    for prefix in ("xa ", "phuong ", "dac khu ", "thi tran "):
        if folded.startswith(prefix):
            return folded[len(prefix):]
    return folded


def _columns(table: Table, mapping: dict[int, str] | None) -> dict[str, int]:
    """Recognised columns, overridden by the user's choices (a field given twice keeps its first column)."""
    if mapping is None:
        return dict(table.columns)
    columns: dict[str, int] = {}
    for index in sorted(mapping):
        name = mapping[index]
        if name in FIELDS and name not in columns and index < len(table.headers):
            columns[name] = index
    return columns


def analyse(commune, data: bytes, filename: str, *, mapping: dict[int, str] | None = None,
            create_hamlets: bool = False, today: date | None = None) -> Report:
    """Check and match every row; nothing is written."""
    report = Report(create_hamlets=create_hamlets)
    try:
        table = read_table(data, filename, ALIASES)
    except TableError as exc:
        report.error = str(exc)
        return report
    report.headers = table.headers
    report.samples = [[_sample(row[i]) if i < len(row) else "" for _n, row in table.rows[:3]]
                      for i in range(len(table.headers))]
    columns = report.columns = _columns(table, mapping)
    report.missing = [name for name in REQUIRED if name not in columns]
    used = set(columns.values())
    report.unknown_headers = [h for i, h in enumerate(table.headers) if h and i not in used]
    if report.missing:
        return report
    report.hamlet_ids = {hamlet_key(name): hid for hid, name in db.session.execute(
        select(Hamlet.id, Hamlet.name).where(Hamlet.commune_id == commune.id))}
    checked = _check_rows(table, columns, commune, report, today)
    match_rows(commune, checked, report)
    return report


def _sample(value) -> str:
    return cell_text(value)[:40]


def _check_rows(table: Table, columns: dict[str, int], commune, report: Report, today: date | None) -> list[Row]:
    """Parse every cell, find duplicates inside the file, and work out each person's household."""
    plan = [(name, index, table.column_letter(index), _PARSERS.get(name)) for name, index in columns.items()]
    letters = {name: letter for name, _i, letter, _p in plan}
    commune_key = _commune_key(commune.name)
    places = former.Resolver(province_ids=[commune.province_id]) if "commune" in columns else None
    checked: list[Row] = []
    seen_ids: dict[tuple[str, str], int] = {}
    seen_rows: dict[tuple, int] = {}
    current_head: tuple[str, str, str] | None = None
    for number, raw in table.rows:
        values: dict = {}
        problems: list[tuple[str, str]] = []
        for name, index, letter, parse in plan:
            value = raw[index] if index < len(raw) else None
            if isinstance(value, Formula):
                problems.append((letter, _("Formulas are not accepted.")))
                continue
            try:
                if parse is normalise.birth_date:
                    values[name] = parse(value, today)
                elif parse is not None:
                    values[name] = parse(value)
                else:
                    text = normalise.text(value)
                    if len(text) > _TEXT_LIMITS.get(name, 120):
                        raise normalise.Invalid(_("The text is longer than %(n)d characters.",
                                                  n=_TEXT_LIMITS.get(name, 120)))
                    values[name] = text or None
            except normalise.Invalid as exc:
                problems.append((letter, str(exc)))
        if not problems:
            problems.extend(_place_problems(values, letters, commune, commune_key, report, number, places))
        for key in ("cccd", "bhxh_code"):
            if values.get(key):
                first = seen_ids.setdefault((key, values[key]), number)
                if first != number:
                    problems.append((letters[key], _("Same number as row %(row)d.", row=first)))
        first = seen_rows.setdefault(tuple(raw), number)  # the same cells as an earlier row
        if first != number and not problems:
            problems.append((letters["full_name"], _("Same row as row %(row)d.", row=first)))
        if problems:
            report.rejected.extend((number, column, reason) for column, reason in problems)
            continue
        key = hamlet_key(values["hamlet"])
        relation = values.get("relation") or ("head" if not values.get("head") else "other")
        address = values.get("address") or ""
        if values.get("head"):
            head = normalise.person_name(values["head"])
            if fold_diacritics(head) == fold_diacritics(values["full_name"]):
                relation = "head"
        elif relation == "head" or current_head is None or current_head[2] != key:
            head = values["full_name"]
        else:
            head = current_head[0]
            address = address or current_head[1]
        if relation == "head":
            current_head = (values["full_name"], address, key)
        values["relation"] = relation
        checked.append(Row(number, values, key, head, address))
    return checked


def _place_problems(values: dict, letters: dict, commune, commune_key: str, report: Report, number: int,
                    places: former.Resolver | None = None):
    """The row's commune must be the one imported into (a former commune it now holds counts as it); its hamlet
    must exist (or be created)."""
    written = values.get("commune")
    if written and fold_diacritics(written) != fold_diacritics(commune.name):
        found = places.find(written, values.get("district")) if places is not None else None
        if found is not None and found.commune_id == commune.id:
            if found.former:
                report.former_places[written] = found.label
        elif found is not None or _commune_key(written) != commune_key:
            yield letters["commune"], _("This row belongs to “%(name)s”, not to %(commune)s: import it there.",
                                        name=found.label if found else written, commune=commune.name)
            return
    key = hamlet_key(values["hamlet"])
    if key in report.hamlet_ids:
        return
    name, rows = report.unknown_hamlets.setdefault(key, (values["hamlet"], []))
    rows.append(number)
    if not report.create_hamlets:
        yield letters["hamlet"], _("Unknown hamlet “%(name)s” in this commune.", name=values["hamlet"])


def mapping_from(form) -> dict[int, str] | None:
    """The user's column choices from a submitted form (``map-<column index>`` = field or "")."""
    mapping = {}
    for key, value in form.items():
        if key.startswith("map-") and key[4:].isdigit() and (value in FIELDS or value == ""):
            mapping[int(key[4:])] = value
    return mapping or None
