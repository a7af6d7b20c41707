"""Importing the facilities register from CSV or XLSX (the list BHXH publishes per province): a report row by
row first, then every row or none."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from ..core.imports import FileReport
from ..core.tabular import Formula, TableError, cell_text, read_table
from ..extensions import db
from ..geo.models import Commune, Province
from ..i18n import normalise
from ..i18n.collation import fold_diacritics
from .models import LEVELS, Facility

ALIASES = {
    "province": ["Mã tỉnh", "Mã tỉnh/TP", "Tỉnh"],
    "code": ["Mã cơ sở KCB", "Mã cơ sở", "Mã KCB", "Mã CSKCB", "Mã bệnh viện", "Mã BV"],
    "name": ["Tên cơ sở KCB", "Tên cơ sở", "Tên CSKCB", "Tên bệnh viện", "Tên"],
    "level": ["Tuyến", "Cấp", "Hạng", "Tuyến chuyên môn kỹ thuật"],
    "commune": ["Mã xã", "Xã/Phường", "Xã, phường", "Xã"],
    "active": ["Đang hoạt động", "Hoạt động"],
}
#: The official facility code: five letters or digits (the first two are usually the code of the province as it
#: was when the code was given, so they are not checked against today's province codes).
CODE = re.compile(r"^[0-9A-Z]{5}$")
_LEVEL_WORDS = {
    "trung uong": "central", "tw": "central", "tinh": "province", "huyen": "district", "khu vuc": "district",
    "xa": "commune", "tram y te": "commune", "khac": "other", "tu nhan": "other",
    **{level: level for level in LEVELS},
}


@dataclass
class Row:
    """One valid row."""

    number: int
    province_id: int
    code: str
    name: str
    level: str
    commune_id: int | None
    active: bool


@dataclass
class Report(FileReport):
    """What an import would do."""


def level_of(text: str) -> str | None:
    """A level from the words a list uses ("Tuyến huyện", "Xã", "TW"), or None."""
    folded = fold_diacritics(text)
    for prefix in ("tuyen ", "cap ", "hang "):
        if folded.startswith(prefix):
            folded = folded[len(prefix):]
    return _LEVEL_WORDS.get(folded)


def guess_level(name: str) -> str:
    """The level a facility's name says, when the list has no level column."""
    folded = fold_diacritics(name)
    words = folded.split()
    if folded.startswith("tram y te"):
        return "commune"
    if folded.startswith("benh vien") and "tinh" in words:
        return "province"
    if folded.startswith("trung tam y te") or "khu vuc" in folded or "huyen" in words:
        return "district"
    return "other"


def _code_text(value, width: int) -> str:
    """A code cell as text; a number (the spreadsheet dropped the leading zeros) is padded back to ``width``."""
    text = cell_text(value).upper()
    if isinstance(value, (int, float)) and text.isdigit():
        return text.zfill(width)
    return text


def _without_kind(folded: str) -> str:
    for prefix in ("xa ", "phuong ", "dac khu "):
        if folded.startswith(prefix):
            return folded[len(prefix):]
    return folded


def analyse(data: bytes, filename: str, *, province_ids: set[int]) -> Report:
    """Check every row (province in ``province_ids``, code, name, level, commune); nothing is written."""
    report = Report()
    try:
        table = read_table(data, filename, ALIASES, required=["province", "code", "name"])
    except TableError as exc:
        report.error = str(exc)
        return report
    provinces = {p.code: p for p in db.session.scalars(select(Province))}
    communes: dict[int, dict[str, int]] = {}
    for cid, code, name, province_id in db.session.execute(
            select(Commune.id, Commune.code, Commune.name, Commune.province_id)
            .where(Commune.province_id.in_(province_ids))):
        by = communes.setdefault(province_id, {})
        by[code] = cid
        by[_without_kind(fold_diacritics(name))] = cid
    existing = {(f.province_id, f.code): f for f in db.session.scalars(
        select(Facility).where(Facility.province_id.in_(province_ids)))}
    seen: dict[tuple[int, str], int] = {}
    cols = table.columns

    def cell(values, name):
        index = cols.get(name)
        return values[index] if index is not None and index < len(values) else None

    def letter(name):
        return table.column_letter(cols[name])

    for number, values in table.rows:
        if all(v in (None, "") for v in values):
            continue
        problems = [(table.column_letter(i), _("Formulas are not accepted.")) for i in cols.values()
                    if i < len(values) and isinstance(values[i], Formula)]
        if problems:
            report.rejected.extend((number, column, reason) for column, reason in problems)
            continue
        province_code = _code_text(cell(values, "province"), 2)
        province = provinces.get(province_code.zfill(2)) if province_code.isdigit() else None
        if province is None:
            problems.append((letter("province"), _("Unknown province code “%(code)s”.", code=province_code)))
        elif province.id not in province_ids:
            problems.append((letter("province"), _("Province %(code)s is outside your area.", code=province.code)))
        code = _code_text(cell(values, "code"), 5)
        if not CODE.match(code):
            problems.append((letter("code"), _("“%(code)s” is not a facility code: five letters or digits.",
                                               code=code)))
        elif province is not None and (province.id, code) in seen:
            problems.append((letter("code"), _("Same facility code as row %(row)d.",
                                               row=seen[(province.id, code)])))
        name = normalise.text(cell(values, "name"))
        if not name:
            problems.append((letter("name"), _("The facility name is empty.")))
        elif len(name) > 200:
            problems.append((letter("name"), _("The name is longer than 200 characters.")))
        level = None  # from the file; else the register's, or read from the name for a new facility
        if "level" in cols and cell_text(cell(values, "level")):
            level = level_of(cell_text(cell(values, "level")))
            if level is None:
                problems.append((letter("level"), _("Unknown level “%(level)s”.",
                                                    level=cell_text(cell(values, "level")))))
        commune_id = None
        commune_raw = _code_text(cell(values, "commune"), 5) if "commune" in cols else ""
        if commune_raw and province is not None:
            key = commune_raw if commune_raw.isdigit() else _without_kind(fold_diacritics(commune_raw))
            commune_id = communes.get(province.id, {}).get(key)
            if commune_id is None:
                problems.append((letter("commune"), _("“%(name)s” is not a commune of this province.",
                                                      name=cell_text(cell(values, "commune")))))
        active = True
        if "active" in cols:
            try:
                active = normalise.yes_no(cell(values, "active"))
            except normalise.Invalid as exc:
                problems.append((letter("active"), str(exc)))
            active = True if active is None else active
        if province is not None and CODE.match(code):
            seen.setdefault((province.id, code), number)
        if problems:
            report.rejected.extend((number, column, reason) for column, reason in problems)
            continue
        facility = existing.get((province.id, code))
        if level is None:
            level = facility.level if facility else guess_level(name)
        if "commune" not in cols and facility is not None:
            commune_id = facility.commune_id
        row = Row(number, province.id, code, name, level, commune_id, active)
        report.count(row, facility and (facility.name, facility.level, facility.commune_id, facility.active),
                     (name, level, commune_id, active))
    return report


def apply(report: Report) -> int:
    """Write the new and changed facilities of a clean report in the caller's transaction."""
    if not report.ok:
        raise ValueError("a report with rejected rows cannot be applied")
    existing = {(f.province_id, f.code): f for f in db.session.scalars(select(Facility).where(
        Facility.code.in_([r.code for r in report.updated])))}
    for row in [*report.new, *report.updated]:
        facility = existing.get((row.province_id, row.code)) or Facility(province_id=row.province_id, code=row.code)
        facility.set_name(row.name)
        facility.level = row.level
        facility.commune_id = row.commune_id
        facility.active = row.active
        db.session.add(facility)
    db.session.flush()
    return len(report.new) + len(report.updated)
