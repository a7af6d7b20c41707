"""Reads for the user administration pages: the accounts list, one account, what its form may offer."""

from __future__ import annotations

from sqlalchemy import Select, or_, select

from ..audit.models import AuditEntry
from ..auth.models import User
from ..auth.roles import ROLES
from ..extensions import db
from ..i18n.collation import fold_diacritics
from ..org.models import Agent, Office


def users(*, q: str = "", role: str | None = None, active: bool | None = None) -> Select:
    """Accounts by username; ``q`` matches the username (also without diacritics) or the name."""
    stmt = select(User)
    if q:
        folded = fold_diacritics(q)
        stmt = stmt.where(or_(User.username.like(f"%{q.lower()}%"), User.full_name.like(f"%{q}%")))
        if folded != q.lower():
            stmt = stmt.where(or_(User.username.like(f"%{folded}%"), User.full_name.like(f"%{q}%")))
    if role in ROLES:
        stmt = stmt.where(User.role == role)
    if active is not None:
        stmt = stmt.where(User.active.is_(active))
    return stmt.order_by(User.username)


def user_page(user: User) -> dict:
    """An account's 30 latest audit entries, its office and its agent record."""
    return {
        "entries": db.session.scalars(select(AuditEntry).where(AuditEntry.user_id == user.id)
                                      .order_by(AuditEntry.at.desc()).limit(30)).all(),
        "office": office(user.office_id),
        "agent": db.session.get(Agent, user.agent_id) if user.agent_id else None,
    }


def offices() -> list[Office]:
    """Every office (province offices first), for an account's office."""
    return db.session.scalars(select(Office).order_by(Office.kind.desc(), Office.sort_key)).all()


def active_agents() -> list[Agent]:
    """Every active agent record, for an agent's account."""
    return db.session.scalars(select(Agent).where(Agent.active.is_(True)).order_by(Agent.sort_key)).all()


def office(office_id: int | None) -> Office | None:
    """An office by id (None for none)."""
    return db.session.get(Office, office_id) if office_id else None


def agent_record_holder(agent_id: int) -> int | None:
    """The id of the account that uses an agent record, if any."""
    return db.session.scalar(select(User.id).where(User.agent_id == agent_id))
