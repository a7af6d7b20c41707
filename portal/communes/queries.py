"""Reads for the communes and hamlets pages."""

from __future__ import annotations

from sqlalchemy import Select, func, select

from ..auth.scope import scoped
from ..extensions import db
from ..geo.former import communes_named
from ..geo.models import Commune, Hamlet
from ..org.models import Agent, Office, agent_communes


def communes(*, q: str = "", office_id: int | None = None, kind: str | None = None) -> Select:
    """Visible communes with their office's name and hamlet count, in name order; ``q`` is folded text."""
    counts = select(Hamlet.commune_id, func.count().label("n")).group_by(Hamlet.commune_id).subquery()
    stmt = scoped(Commune, select(Commune, Office.name, func.coalesce(counts.c.n, 0))).outerjoin(
        Office, Office.id == Commune.office_id).outerjoin(counts, counts.c.commune_id == Commune.id)
    if q:  # a former commune's name finds the commune that holds it now
        stmt = stmt.where(communes_named(q))
    if office_id:
        stmt = stmt.where(Commune.office_id == office_id)
    if kind:
        stmt = stmt.where(Commune.division_type == kind)
    return stmt.order_by(Commune.sort_key)


def local_offices() -> list[Office]:
    """Visible BHXH cơ sở offices in name order (the communes list filters by them)."""
    return db.session.scalars(scoped(Office).where(Office.kind == "local").order_by(Office.sort_key)).all()


def commune_page(commune: Commune) -> dict:
    """A commune's visible hamlets, the visible agents who cover it, and its office."""
    return {
        "hamlets": db.session.scalars(scoped(Hamlet).where(Hamlet.commune_id == commune.id)
                                      .order_by(Hamlet.sort_key)).all(),
        "agents": db.session.scalars(scoped(Agent).where(Agent.id.in_(select(agent_communes.c.agent_id).where(
            agent_communes.c.commune_id == commune.id))).order_by(Agent.sort_key)).all(),
        "office": db.session.get(Office, commune.office_id) if commune.office_id else None,
    }


def hamlet_name_taken(commune_id: int, name: str, hamlet: Hamlet | None) -> bool:
    """Whether another hamlet of the commune has this name."""
    return db.session.scalar(select(Hamlet.id).where(Hamlet.commune_id == commune_id, Hamlet.name == name,
                                                     Hamlet.id != (hamlet.id if hamlet else 0))) is not None


def hamlet_inhabited(hamlet_id: int) -> bool:
    """Whether some household lives in the hamlet."""
    from ..households.models import Household

    return db.session.scalar(select(Household.id).where(Household.hamlet_id == hamlet_id).limit(1)) is not None
