"""Writes to offices, organisations and agents, each with its audit entry. Callers commit."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, insert, select

from ..audit import services as audit
from ..extensions import db
from ..geo.models import Commune
from . import importer
from .models import Agent, AgentOrganisation, Office, agent_communes, agent_hamlets


def _stored(row, model, name: str, **fields):
    """The row (a new one of ``model`` when None) with its name and fields set, flushed so it has an id."""
    row = row or model()
    row.set_name(name)
    for key, value in fields.items():
        setattr(row, key, value)
    db.session.add(row)
    db.session.flush()
    return row


def save_office(office: Office | None, *, code: str, name: str, kind: str, province_id: int, address: str | None,
                phone: str | None, communes) -> tuple[Office, list[str]]:
    """Create or change an office and set the communes a local office serves (a province office serves none).

    Returns the office and the names of the communes taken over from another office.
    """
    creating = office is None
    fields = {"code": code, "kind": kind, "province_id": province_id, "address": address, "phone": phone}
    if kind == "local":  # a local office reports to its province's office
        fields["parent_id"] = db.session.scalar(select(Office.id).where(
            Office.province_id == province_id, Office.kind == "province"))
    office = _stored(office, Office, name, **fields)
    wanted = set(communes) if office.kind == "local" else set()
    current = set(db.session.scalars(select(Commune.id).where(Commune.office_id == office.id)))
    added, removed = wanted - current, current - wanted
    moved = db.session.scalars(select(Commune.name).where(Commune.id.in_(added),
                                                          Commune.office_id.is_not(None))).all()
    if added:
        db.session.execute(Commune.__table__.update().where(Commune.__table__.c.id.in_(added))
                           .values(office_id=office.id))
    if removed:
        db.session.execute(Commune.__table__.update().where(Commune.__table__.c.id.in_(removed))
                           .values(office_id=None))
    audit.record("office.create" if creating else "office.update", obj=office, object_type="office",
                 details={"communes_added": sorted(added), "communes_removed": sorted(removed)})
    return office, list(moved)


def save_organisation(organisation: AgentOrganisation | None, *, name: str, kind: str, office_id: int,
                      phone: str | None, address: str | None) -> AgentOrganisation:
    """Add an organisation agents work for, or change one."""
    creating = organisation is None
    organisation = _stored(organisation, AgentOrganisation, name, kind=kind, office_id=office_id, phone=phone,
                           address=address)
    audit.record("organisation.create" if creating else "organisation.update", obj=organisation,
                 object_type="organisation")
    return organisation


def save_agent(agent: Agent | None, *, code: str, full_name: str, phone: str | None, office_id: int,
               organisation_id: int | None, trained_on: date | None, active: bool, communes, hamlets) -> Agent:
    """Add an agent or change one, with the communes and hamlets they cover (the phone stays out of the audit
    entry)."""
    creating = agent is None
    agent = _stored(agent, Agent, full_name, code=code, phone=phone, office_id=office_id,
                    organisation_id=organisation_id, trained_on=trained_on, active=active)
    for table, column, values in ((agent_communes, "commune_id", set(communes)),
                                  (agent_hamlets, "hamlet_id", set(hamlets))):
        db.session.execute(delete(table).where(table.c.agent_id == agent.id))
        if values:
            db.session.execute(insert(table), [{"agent_id": agent.id, column: v} for v in values])
    audit.record("agent.create" if creating else "agent.update", obj=agent, object_type="agent")
    return agent


def set_agent_field(agent: Agent, field: str, value) -> None:
    """Change one field of an agent from the list (phone, training date or active)."""
    setattr(agent, field, value)
    audit.record("agent.update", obj=agent, object_type="agent", details={"field": field})


def import_agents(office: Office, report: importer.Report, *, filename: str) -> int:
    """Write the new and changed agents of a clean import report; returns how many were written."""
    written = importer.apply(office, report)
    audit.record("agent.import", obj=office, object_type="office",
                 details={"file": filename, "new": len(report.new), "updated": len(report.updated)})
    return written
