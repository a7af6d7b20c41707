"""Importing the agents of an office from CSV or XLSX: a report first, then every row or none."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import delete, insert, select

from ..core.imports import FileReport
from ..core.tabular import Formula, TableError, cell_text, read_table
from ..extensions import db
from ..geo import former
from ..geo.models import Commune
from ..i18n import normalise
from ..i18n.collation import fold_diacritics
from .models import Agent, AgentOrganisation, agent_communes

ALIASES = {
    "code": ["Mã đại lý", "Mã ĐL", "Mã"],
    "name": ["Họ và tên", "Họ tên", "Tên đại lý"],
    "phone": ["Số điện thoại", "Điện thoại", "SĐT"],
    "organisation": ["Đơn vị", "Tổ chức", "Bưu điện"],
    "communes": ["Xã/Phường", "Xã phường phụ trách", "Xã, phường"],
    "trained_on": ["Ngày tập huấn"],
}


@dataclass
class Row:
    """One valid row."""

    number: int
    code: str
    name: str
    phone: str | None
    organisation_id: int | None
    commune_ids: list[int]
    trained_on: object


@dataclass
class Report(FileReport):
    """What an import would do."""

    #: Former communes named in the file: name as written -> "Xã A (cũ) → Xã B"
    former_places: dict[str, str] = field(default_factory=dict)


def _key(name: str) -> str:
    folded = fold_diacritics(name)
    for prefix in ("xa ", "phuong ", "dac khu "):
        if folded.startswith(prefix):
            return folded[len(prefix):]
    return folded


def analyse(office, data: bytes, filename: str) -> Report:
    """Check every row against the office's communes and organisations; nothing is written."""
    report = Report()
    try:
        table = read_table(data, filename, ALIASES, required=["code", "name"])
    except TableError as exc:
        report.error = str(exc)
        return report
    communes = {_key(name): cid for cid, name in db.session.execute(
        select(Commune.id, Commune.name).where(Commune.office_id == office.id))}
    places = former.Resolver(commune_ids=communes.values())
    organisations = {fold_diacritics(name): oid for oid, name in db.session.execute(
        select(AgentOrganisation.id, AgentOrganisation.name).where(AgentOrganisation.office_id == office.id))}
    existing = {a.code: a for a in db.session.scalars(select(Agent))}
    seen: dict[str, int] = {}
    cols = table.columns

    def cell(row, name):
        index = cols.get(name)
        return row[index] if index is not None and index < len(row) else None

    def checked(row, problems, name, parse, default=None):
        """``parse`` of a column's cell, or ``default`` with the reason among the row's problems."""
        try:
            return parse(cell(row, name))
        except normalise.Invalid as exc:
            problems.append((table.column_letter(cols[name]), str(exc)))
            return default

    for number, values in table.rows:
        problems = []
        for index in cols.values():
            if index < len(values) and isinstance(values[index], Formula):
                problems.append((table.column_letter(index), _("Formulas are not accepted.")))
        code = cell_text(cell(values, "code")).upper()
        if not code:
            problems.append((table.column_letter(cols["code"]), _("The agent code is empty.")))
        elif code in seen:
            problems.append((table.column_letter(cols["code"]), _("Same agent code as row %(row)d.", row=seen[code])))
        name = checked(values, problems, "name", normalise.person_name, "")
        phone = checked(values, problems, "phone", normalise.phone) if "phone" in cols else None
        organisation_id = None
        if "organisation" in cols and cell_text(cell(values, "organisation")):
            organisation_id = organisations.get(fold_diacritics(cell_text(cell(values, "organisation"))))
            if organisation_id is None:
                problems.append((table.column_letter(cols["organisation"]),
                                 _("Unknown organisation “%(name)s” in this office.",
                                   name=cell_text(cell(values, "organisation")))))
        commune_ids = []
        if "communes" in cols:
            for part in re.split(r"[;,]", cell_text(cell(values, "communes"))):
                if part.strip():
                    cid = communes.get(_key(part.strip()))
                    if cid is None and (found := places.find(part.strip())) is not None:
                        cid = found.commune_id  # a former commune the office's commune holds now
                        report.former_places[part.strip()] = found.label
                    if cid is None:
                        problems.append((table.column_letter(cols["communes"]),
                                         _("“%(name)s” is not a commune of this office.", name=part.strip())))
                    else:
                        commune_ids.append(cid)
        trained = checked(values, problems, "trained_on", normalise.any_date) if "trained_on" in cols else None
        if code:
            seen.setdefault(code, number)
        if problems:
            report.rejected.extend((number, column, reason) for column, reason in problems)
            continue
        row = Row(number, code, name, phone, organisation_id, commune_ids, trained)
        agent = existing.get(code)
        if agent is not None and agent.office_id != office.id:
            report.rejected.append((number, table.column_letter(cols["code"]),
                                    _("This agent code belongs to another office.")))
            continue
        report.count(row, agent and (agent.full_name, agent.phone, agent.organisation_id, agent.trained_on),
                     (name, phone, organisation_id, trained))
    return report


def apply(office, report: Report) -> int:
    """Write the new and changed agents of a clean report in the caller's transaction."""
    if not report.ok:
        raise ValueError("a report with rejected rows cannot be applied")
    existing = {a.code: a for a in db.session.scalars(select(Agent).where(
        Agent.code.in_([r.code for r in report.updated])))}
    for row in [*report.new, *report.updated]:
        agent = existing.get(row.code) or Agent(code=row.code, office_id=office.id, active=True)
        agent.set_name(row.name)
        agent.phone = row.phone
        agent.organisation_id = row.organisation_id
        agent.trained_on = row.trained_on
        db.session.add(agent)
        db.session.flush()
        if row.commune_ids:
            db.session.execute(delete(agent_communes).where(agent_communes.c.agent_id == agent.id))
            db.session.execute(insert(agent_communes), [{"agent_id": agent.id, "commune_id": c}
                                                         for c in dict.fromkeys(row.commune_ids)])
    return len(report.new) + len(report.updated)
