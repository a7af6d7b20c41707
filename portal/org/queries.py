"""Reads for the offices, organisations and agents pages: lists in the user's area, what a form may offer, what
a page shows of one office or agent."""

from __future__ import annotations

from sqlalchemy import Select, func, or_, select

from ..auth.models import User
from ..auth.scope import scoped
from ..extensions import db
from ..geo.models import Commune, Hamlet, Province
from ..i18n.collation import fold_diacritics
from .models import Agent, AgentOrganisation, Office, agent_communes, agent_hamlets

# Offices ------------------------------------------------------------------------------------------------------


def offices_with_counts() -> list:
    """Visible offices (province office first) with how many communes and agents each has."""
    communes = select(Commune.office_id, func.count().label("n")).group_by(Commune.office_id).subquery()
    agents = select(Agent.office_id, func.count().label("n")).group_by(Agent.office_id).subquery()
    return db.session.execute(scoped(Office, select(Office, func.coalesce(communes.c.n, 0),
                                                    func.coalesce(agents.c.n, 0)))
                              .outerjoin(communes, communes.c.office_id == Office.id)
                              .outerjoin(agents, agents.c.office_id == Office.id)
                              .order_by(Office.kind.desc(), Office.sort_key)).all()


def office_page(office: Office) -> dict:
    """The communes an office serves, its agents and its organisations, each in name order."""
    return {
        "communes": db.session.scalars(select(Commune).where(Commune.office_id == office.id)
                                       .order_by(Commune.sort_key)).all(),
        "agents": db.session.scalars(select(Agent).where(Agent.office_id == office.id)
                                     .order_by(Agent.sort_key)).all(),
        "organisations": db.session.scalars(select(AgentOrganisation).where(AgentOrganisation.office_id == office.id)
                                            .order_by(AgentOrganisation.sort_key)).all(),
    }


def offices_in_scope() -> list[Office]:
    """Visible offices in name order (an organisation may belong to any of them)."""
    return db.session.scalars(scoped(Office).order_by(Office.sort_key)).all()


def local_offices_in_scope() -> list[Office]:
    """Visible BHXH cơ sở offices in name order (agents work for these)."""
    return db.session.scalars(scoped(Office).where(Office.kind == "local").order_by(Office.sort_key)).all()


def provinces_in_scope() -> list[Province]:
    """Provinces an office may be created in."""
    return db.session.scalars(scoped(Province).order_by(Province.name)).all()


def communes_of_province(province_id: int | None) -> list[Commune]:
    """Every commune of a province, in name order (an office may take any of them)."""
    return db.session.scalars(select(Commune).where(Commune.province_id == province_id)
                              .order_by(Commune.sort_key)).all()


def office_code_taken(code: str, office: Office | None) -> bool:
    """Whether another office has this code."""
    return db.session.scalar(select(Office.id).where(Office.code == code,
                                                     Office.id != (office.id if office else 0))) is not None


# Organisations ------------------------------------------------------------------------------------------------


def organisations_with_office() -> list:
    """Visible organisations with their office's name, in name order."""
    return db.session.execute(scoped(AgentOrganisation, select(AgentOrganisation, Office.name)).join(
        Office, Office.id == AgentOrganisation.office_id).order_by(AgentOrganisation.sort_key)).all()


def organisations_of(office_id: int | None) -> list[AgentOrganisation]:
    """The organisations of one office, in name order."""
    return db.session.scalars(select(AgentOrganisation).where(AgentOrganisation.office_id == office_id)
                              .order_by(AgentOrganisation.sort_key)).all()


def organisation(organisation_id: int | None) -> AgentOrganisation | None:
    """An organisation by id (None for none)."""
    return db.session.get(AgentOrganisation, organisation_id) if organisation_id else None


# Agents -------------------------------------------------------------------------------------------------------


def agents(*, q: str = "", office_id: int | None = None, active: bool | None = None,
           untrained: bool = False) -> Select:
    """Visible agents with their organisation's name, by given name; ``q`` matches the name (without
    diacritics) or the code."""
    stmt = scoped(Agent, select(Agent, AgentOrganisation.name)).outerjoin(
        AgentOrganisation, AgentOrganisation.id == Agent.organisation_id)
    if q:
        stmt = stmt.where(or_(Agent.search_name.like(f"%{fold_diacritics(q)}%"), Agent.code.like(f"%{q.upper()}%")))
    if office_id:
        stmt = stmt.where(Agent.office_id == office_id)
    if active is not None:
        stmt = stmt.where(Agent.active.is_(active))
    if untrained:
        stmt = stmt.where(Agent.trained_on.is_(None))
    return stmt.order_by(Agent.sort_key)


def agent_page(agent: Agent) -> dict:
    """Where an agent works (communes, hamlets, organisation, office) and their account."""
    return {
        "communes": db.session.scalars(select(Commune).join(agent_communes, agent_communes.c.commune_id == Commune.id)
                                       .where(agent_communes.c.agent_id == agent.id)
                                       .order_by(Commune.sort_key)).all(),
        "hamlets": db.session.scalars(select(Hamlet).join(agent_hamlets, agent_hamlets.c.hamlet_id == Hamlet.id)
                                      .where(agent_hamlets.c.agent_id == agent.id).order_by(Hamlet.sort_key)).all(),
        "organisation": organisation(agent.organisation_id),
        "office": db.session.get(Office, agent.office_id),
        "account": db.session.scalar(select(User).where(User.agent_id == agent.id)),
    }


def communes_served(office_id: int | None) -> list[Commune]:
    """The communes an office serves, in name order."""
    return db.session.scalars(select(Commune).where(Commune.office_id == office_id).order_by(Commune.sort_key)).all()


def hamlets_served(office_id: int | None) -> list:
    """(hamlet id, hamlet name, commune name) of every hamlet an office serves, by commune then hamlet."""
    return db.session.execute(select(Hamlet.id, Hamlet.name, Commune.name).join(Commune).where(
        Commune.office_id == office_id).order_by(Commune.sort_key, Hamlet.sort_key)).all()


def coverage(agent_id: int) -> tuple[list[int], list[int]]:
    """The ids of the communes and of the hamlets an agent covers."""
    return (list(db.session.scalars(select(agent_communes.c.commune_id).where(agent_communes.c.agent_id == agent_id))),
            list(db.session.scalars(select(agent_hamlets.c.hamlet_id).where(agent_hamlets.c.agent_id == agent_id))))


def agent_code_taken(code: str, agent: Agent | None) -> bool:
    """Whether another agent has this code."""
    return db.session.scalar(select(Agent.id).where(Agent.code == code,
                                                    Agent.id != (agent.id if agent else 0))) is not None
