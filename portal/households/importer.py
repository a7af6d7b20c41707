"""Importing people and households of a commune from the CSV/XLSX files officers have.

The file is read once, every row is checked and matched, and a report says what would happen: new, updated,
unchanged and rejected rows, each rejection with its row, column and reason. Nothing is written until the
report is clean and confirmed; then everything is written in one transaction. Matching: a person by CCCD, else
by social insurance code, else by name and date of birth within the same household; a household by its head's
name and address within the hamlet. Reads are done in bulk, never row by row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from ..core.tabular import Formula, TableError, read_table
from ..extensions import db
from ..geo.models import Hamlet
from ..i18n.collation import fold_diacritics
from . import normalise
from .models import Household, Person
from .services import household_match_key, place_person, set_household_fields, sync_tokens

ALIASES = {
    "full_name": ["Họ và tên", "Họ tên", "Tên"],
    "date_of_birth": ["Ngày sinh", "Ngày tháng năm sinh"],
    "sex": ["Giới tính"],
    "cccd": ["Số CCCD", "Số CCCD/CMND", "CCCD", "Số định danh cá nhân"],
    "bhxh_code": ["Mã số BHXH", "Mã BHXH", "Số sổ BHXH"],
    "phone": ["Số điện thoại", "SĐT", "Điện thoại"],
    "hamlet": ["Thôn/Tổ", "Thôn", "Tổ dân phố", "Thôn/Tổ dân phố", "Địa bàn"],
    "address": ["Địa chỉ", "Số nhà"],
    "relation": ["Quan hệ với chủ hộ", "Quan hệ"],
    "head": ["Chủ hộ", "Họ tên chủ hộ"],
    "poverty": ["Hộ nghèo/cận nghèo", "Diện hộ", "Phân loại hộ"],
    "ethnicity": ["Dân tộc"],
    "occupation": ["Nghề nghiệp"],
    "bhxh_tn_status": ["Tình trạng BHXH TN", "Tham gia BHXH TN"],
    "paid_until": ["Đóng đến ngày", "Hạn đóng"],
    "bhyt_expires_on": ["Hạn thẻ BHYT", "Hạn sử dụng thẻ BHYT"],
}
_PARSERS = {
    "date_of_birth": normalise.birth_date, "sex": normalise.sex, "cccd": normalise.cccd,
    "bhxh_code": normalise.bhxh_code, "phone": normalise.phone, "relation": normalise.relation,
    "poverty": normalise.poverty, "bhxh_tn_status": normalise.bhxh_status, "paid_until": normalise.any_date,
    "bhyt_expires_on": normalise.any_date,
}
_PERSON_FIELDS = ("date_of_birth", "sex", "cccd", "bhxh_code", "phone", "ethnicity", "occupation", "bhxh_tn_status",
                  "paid_until", "bhyt_expires_on")


@dataclass
class Row:
    """A checked row."""

    number: int
    values: dict
    hamlet_id: int
    head: str
    address: str
    person: Person | None = None
    changes: list[str] = field(default_factory=list)


@dataclass
class Report:
    """What the import would do."""

    new: list[Row] = field(default_factory=list)
    updated: list[Row] = field(default_factory=list)
    unchanged: int = 0
    rejected: list[tuple[int, str, str]] = field(default_factory=list)
    unknown_headers: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and not self.rejected


def _hamlet_key(name: str) -> str:
    folded = fold_diacritics(name)
    for prefix in ("to dan pho ", "thon ", "ban ", "ap ", "khom ", "xom ", "lang ", "khu pho ", "to "):
        if folded.startswith(prefix):
            return folded[len(prefix):]
    return folded


def analyse(commune, data: bytes, filename: str) -> Report:
    """Check and match every row; nothing is written."""
    report = Report()
    try:
        table = read_table(data, filename, ALIASES, required=["full_name", "hamlet"])
    except TableError as exc:
        report.error = str(exc)
        return report
    known = set(table.columns.values())
    report.unknown_headers = [h for i, h in enumerate(table.headers) if h and i not in known]
    hamlets = {_hamlet_key(h.name): h for h in db.session.scalars(select(Hamlet).where(
        Hamlet.commune_id == commune.id))}
    checked: list[Row] = []
    seen_ids: dict[str, int] = {}
    seen_rows: dict[tuple, int] = {}
    current_head: tuple[str, str] | None = None
    for number, raw in table.rows:
        values, problems = {}, []
        for name, index in table.columns.items():
            value = raw[index] if index < len(raw) else None
            letter = table.column_letter(index)
            if isinstance(value, Formula):
                problems.append((letter, _("Formulas are not accepted.")))
                continue
            try:
                if name == "full_name":
                    values[name] = normalise.person_name(value)
                elif name in _PARSERS:
                    values[name] = _PARSERS[name](value)
                else:
                    values[name] = normalise.text(value) or None
            except normalise.Invalid as exc:
                problems.append((letter, str(exc)))
        hamlet = hamlets.get(_hamlet_key(values.get("hamlet") or ""))
        if not problems and hamlet is None:
            problems.append((table.column_letter(table.columns["hamlet"]),
                             _("Unknown hamlet “%(name)s” in this commune.", name=values.get("hamlet") or "")))
        for key in ("cccd", "bhxh_code"):
            if values.get(key):
                if values[key] in seen_ids:
                    problems.append((table.column_letter(table.columns[key]),
                                     _("Same number as row %(row)d.", row=seen_ids[values[key]])))
                else:
                    seen_ids[values[key]] = number
        signature = tuple(sorted((k, str(v)) for k, v in values.items()))
        if signature in seen_rows and not problems:
            problems.append(("A", _("Same row as row %(row)d.", row=seen_rows[signature])))
        seen_rows.setdefault(signature, number)
        if problems:
            report.rejected.extend((number, col, reason) for col, reason in problems)
            continue
        relation = values.get("relation") or ("head" if not values.get("head") else "other")
        address = values.get("address") or ""
        if values.get("head"):
            head = normalise.person_name(values["head"])
            relation = "head" if fold_diacritics(head) == fold_diacritics(values["full_name"]) else relation
        elif relation == "head" or current_head is None:
            head = values["full_name"]
        else:
            head = current_head[0]
            address = address or current_head[1]
        if relation == "head":
            current_head = (values["full_name"], address)
        values["relation"] = relation
        checked.append(Row(number, values, hamlet.id, head, address))
    _match(commune, checked, report)
    return report


def _match(commune, rows: list[Row], report: Report) -> None:
    cccds = [r.values["cccd"] for r in rows if r.values.get("cccd")]
    codes = [r.values["bhxh_code"] for r in rows if r.values.get("bhxh_code")]
    by_cccd, by_code = {}, {}
    for chunk in range(0, len(cccds), 900):
        by_cccd.update({p.cccd: p for p in db.session.scalars(select(Person).where(
            Person.cccd.in_(cccds[chunk:chunk + 900])))})
    for chunk in range(0, len(codes), 900):
        by_code.update({p.bhxh_code: p for p in db.session.scalars(select(Person).where(
            Person.bhxh_code.in_(codes[chunk:chunk + 900])))})
    households = {(h.hamlet_id, h.match_key): h for h in db.session.scalars(select(Household).where(
        Household.commune_id == commune.id))}
    members = {}
    for person in db.session.scalars(select(Person).where(Person.commune_id == commune.id)):
        members[(person.household_id, person.search_name, person.date_of_birth)] = person
    for row in rows:
        person = by_cccd.get(row.values.get("cccd")) or by_code.get(row.values.get("bhxh_code"))
        if person is not None and person.commune_id != commune.id:
            report.rejected.append((row.number, "A", _("This identity number belongs to a person registered "
                                                       "elsewhere; ask the office that holds the record.")))
            continue
        if person is None:
            household = households.get((row.hamlet_id, household_match_key(row.head, row.address)))
            if household is not None:
                person = members.get((household.id, fold_diacritics(row.values["full_name"]),
                                      row.values.get("date_of_birth")))
        row.person = person
        if person is None:
            report.new.append(row)
            continue
        row.changes = [f for f in _PERSON_FIELDS if f in row.values and row.values[f] is not None
                       and getattr(person, f) != row.values[f]]
        if row.changes:
            report.updated.append(row)
        else:
            report.unchanged += 1


def apply(commune, report: Report) -> int:
    """Write every new and updated row of a clean report (caller commits, or rolls back on error)."""
    if not report.ok:
        raise ValueError("a report with rejected rows cannot be applied")
    hamlets = {h.id: h for h in db.session.scalars(select(Hamlet).where(Hamlet.commune_id == commune.id))}
    households = {(h.hamlet_id, h.match_key): h for h in db.session.scalars(select(Household).where(
        Household.commune_id == commune.id))}
    for row in report.new:
        key = (row.hamlet_id, household_match_key(row.head, row.address))
        household = households.get(key)
        if household is None:
            household = Household(poverty_status=row.values.get("poverty") or "none")
            set_household_fields(household, hamlet=hamlets[row.hamlet_id], head_name=row.head, address=row.address)
            db.session.add(household)
            db.session.flush()
            households[key] = household
        person = Person(relation_to_head=row.values["relation"])
        person.set_name(row.values["full_name"])
        for name in _PERSON_FIELDS:
            if row.values.get(name) is not None:
                setattr(person, name, row.values[name])
        person.ethnic_minority = bool(person.ethnicity) and fold_diacritics(person.ethnicity) != "kinh"
        place_person(person, household)
        db.session.add(person)
        db.session.flush()
        sync_tokens(person)
    for row in report.updated:
        for name in row.changes:
            setattr(row.person, name, row.values[name])
    db.session.flush()
    return len(report.new) + len(report.updated)
