"""Importing the hamlets of a commune from CSV or XLSX: a report first, then all rows or none."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from ..core.imports import FileReport
from ..core.tabular import Formula, TableError, cell_text, read_table
from ..extensions import db
from ..i18n.collation import fold_diacritics
from . import former
from .models import HAMLET_KINDS, Hamlet

ALIASES = {
    "name": ["Tên thôn/tổ dân phố", "Tên thôn", "Thôn/Tổ", "Thôn", "Tổ dân phố", "Tên thôn, tổ", "Tên"],
    "kind": ["Loại", "Loại hình"],
    "commune": ["Xã/Phường", "Xã", "Phường", "Xã, phường", "Xã cũ"],
}
_KIND_BY_FOLD = {fold_diacritics(k): k for k in HAMLET_KINDS}


@dataclass
class Report(FileReport):
    """What an import would do (or did)."""

    #: Former communes named in the file: name as written -> "Xã A (cũ) → Xã B"
    former_places: dict[str, str] = field(default_factory=dict)


def infer_kind(name: str) -> str:
    """The kind a hamlet's name starts with ("Tổ dân phố 3" -> tổ dân phố), else "thôn"."""
    folded = fold_diacritics(name)
    for key in sorted(_KIND_BY_FOLD, key=len, reverse=True):
        if folded.startswith(key + " "):
            return _KIND_BY_FOLD[key]
    return "thôn"


def analyse(commune, data: bytes, filename: str) -> Report:
    """Read the file and say, row by row, what would happen; nothing is written."""
    report = Report()
    try:
        table = read_table(data, filename, ALIASES, required=["name"])
    except TableError as exc:
        report.error = str(exc)
        return report
    existing = {fold_diacritics(n) for n in db.session.scalars(select(Hamlet.name).where(
        Hamlet.commune_id == commune.id))}
    seen: dict[str, int] = {}
    name_col = table.columns["name"]
    kind_col = table.columns.get("kind")
    commune_col = table.columns.get("commune")
    places = former.Resolver(province_ids=[commune.province_id]) if commune_col is not None else None
    for number, row in table.rows:
        raw = row[name_col] if name_col < len(row) else None
        letter = table.column_letter(name_col)
        if isinstance(raw, Formula):
            report.rejected.append((number, letter, _("Formulas are not accepted.")))
            continue
        name = cell_text(raw)
        if not name:
            report.rejected.append((number, letter, _("The name is empty.")))
            continue
        if len(name) > 120:
            report.rejected.append((number, letter, _("The name is longer than 120 characters.")))
            continue
        written = cell_text(row[commune_col]) if commune_col is not None and commune_col < len(row) else ""
        if written:  # the commune of the row, current or former, must be this one
            found = places.find(written)
            if found is None or found.commune_id != commune.id:
                report.rejected.append((number, table.column_letter(commune_col), _(
                    "This row belongs to “%(name)s”, not to %(commune)s: import it there.",
                    name=found.label if found else written, commune=commune.name)))
                continue
            if found.former:
                report.former_places[written] = found.label
        kind_raw = row[kind_col] if kind_col is not None and kind_col < len(row) else None
        kind = infer_kind(name)
        if kind_raw not in (None, ""):
            kind = _KIND_BY_FOLD.get(fold_diacritics(cell_text(kind_raw)))
            if kind is None:
                report.rejected.append((number, table.column_letter(kind_col),
                                        _("Unknown kind “%(kind)s”.", kind=cell_text(kind_raw))))
                continue
        key = fold_diacritics(name)
        if key in seen:
            report.rejected.append((number, letter, _("Same hamlet as row %(row)d.", row=seen[key])))
            continue
        seen[key] = number
        if key in existing:
            report.unchanged += 1
        else:
            report.new.append((number, name, kind))
    return report


def apply(commune, report: Report) -> int:
    """Write the new hamlets of a clean report (caller commits)."""
    if not report.ok:
        raise ValueError("a report with rejected rows cannot be applied")
    for _row, name, kind in report.new:
        hamlet = Hamlet(commune_id=commune.id, kind=kind)
        hamlet.set_name(name)
        db.session.add(hamlet)
    db.session.flush()
    return len(report.new)
