"""Reads for sign-ups outside events: the person and the agents to offer, the last contribution to renew, the
receipts waiting for the office, and the confirmation batches. Everything through the scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from ..auth.models import User
from ..auth.scope import scoped
from ..extensions import db
from ..households.models import Household, Person
from ..org.models import Agent, AgentOrganisation, agent_communes
from ..results.models import SignUp, SignUpBatch


def person(person_id: int | None) -> Person | None:
    """A visible person, or None."""
    if not person_id:
        return None
    return db.session.scalar(scoped(Person).where(Person.id == person_id))


def household(household_id: int | None) -> Household | None:
    """A visible household, or None."""
    if not household_id:
        return None
    return db.session.scalar(scoped(Household).where(Household.id == household_id))


def last_contribution(person_id: int, scheme: str | None = None) -> SignUp | None:
    """The person's latest sign-up that counts or waits to (not a duplicate), of the scheme if given."""
    stmt = select(SignUp).where(SignUp.person_id == person_id, SignUp.status != "duplicate")
    if scheme:
        stmt = stmt.where(SignUp.scheme == scheme)
    return db.session.scalar(stmt.order_by(SignUp.signed_on.desc(), SignUp.id.desc()).limit(1))


def agents_of_commune(commune_id: int) -> list[Agent]:
    """The visible active agents serving a commune, in name order."""
    return list(db.session.scalars(scoped(Agent).where(
        Agent.active.is_(True),
        Agent.id.in_(select(agent_communes.c.agent_id).where(agent_communes.c.commune_id == commune_id)))
        .order_by(Agent.sort_key)))


def agents() -> list[Agent]:
    """Every visible active agent, in name order."""
    return list(db.session.scalars(scoped(Agent).where(Agent.active.is_(True)).order_by(Agent.sort_key)))


def organisations() -> list[AgentOrganisation]:
    """The visible agent organisations, in name order."""
    return list(db.session.scalars(scoped(AgentOrganisation).order_by(AgentOrganisation.name)))


@dataclass
class Pending:
    """Which receipts a batch covers: one agent's, one organisation's or one collection point's, over days."""

    start: date
    end: date
    agent_id: int | None = None
    organisation_id: int | None = None
    collection_point: str | None = None
    #: Only the sign-ups no agent collected (reported online, or paid elsewhere).
    no_agent: bool = False

    @property
    def chosen(self) -> bool:
        """Whether the filter names whose receipts these are (a batch is always someone's)."""
        return bool(self.agent_id or self.organisation_id or self.collection_point or self.no_agent)

    def query_args(self) -> dict:
        return {"from": self.start.strftime("%d/%m/%Y"), "to": self.end.strftime("%d/%m/%Y"),
                "agent": "none" if self.no_agent else self.agent_id, "organisation": self.organisation_id,
                "point": self.collection_point}


def _waiting():
    return scoped(SignUp).where(SignUp.event_id.is_(None), SignUp.status == "recorded")


def pending(f: Pending) -> list[tuple[SignUp, str]]:
    """The visible sign-ups outside events still to confirm that the filter covers, with the person's name, in
    receipt order (1,000 at most: a batch is a register, not a province)."""
    stmt = _waiting().add_columns(Person.full_name).join(Person, Person.id == SignUp.person_id).where(
        SignUp.signed_on >= f.start, SignUp.signed_on <= f.end)
    if f.no_agent:
        stmt = stmt.where(SignUp.agent_id.is_(None))
    elif f.agent_id:
        stmt = stmt.where(SignUp.agent_id == f.agent_id)
    if f.organisation_id:
        stmt = stmt.where(SignUp.agent_id.in_(select(Agent.id).where(Agent.organisation_id == f.organisation_id)))
    if f.collection_point:
        stmt = stmt.where(SignUp.collection_point == f.collection_point)
    rows = db.session.execute(stmt.order_by(SignUp.signed_on, SignUp.receipt_number, SignUp.id).limit(1000)).all()
    return [(s, name) for s, name in rows]


def waiting_by_agent() -> list[tuple[int | None, str | None, str | None, int, int, date, date]]:
    """What waits for confirmation, per agent and collection point: (agent id, agent name, collection point,
    receipts, total paid, first day, last day), the oldest first."""
    rows = db.session.execute(
        _waiting().with_only_columns(SignUp.agent_id, Agent.full_name, SignUp.collection_point, func.count(),
                                     func.sum(SignUp.net), func.min(SignUp.signed_on), func.max(SignUp.signed_on))
        .outerjoin(Agent, Agent.id == SignUp.agent_id)
        .group_by(SignUp.agent_id, Agent.full_name, SignUp.collection_point)
        .order_by(func.min(SignUp.signed_on))).all()
    return [tuple(r) for r in rows]


def batches(limit: int = 200):
    """The visible confirmation batches, the latest first, with the agent's and organisation's names."""
    return db.session.execute(
        scoped(SignUpBatch, select(SignUpBatch, Agent.full_name, AgentOrganisation.name))
        .outerjoin(Agent, Agent.id == SignUpBatch.agent_id)
        .outerjoin(AgentOrganisation, AgentOrganisation.id == SignUpBatch.organisation_id)
        .order_by(SignUpBatch.confirmed_at.desc(), SignUpBatch.id.desc()).limit(limit)).all()


def batch_names(batch: SignUpBatch) -> dict:
    """Who confirmed a batch, and whose receipts it holds (the agent's or organisation's name)."""
    return {"confirmed_by": db.session.scalar(select(User.full_name).where(User.id == batch.confirmed_by_id))
            if batch.confirmed_by_id else None,
            "agent_name": db.session.scalar(select(Agent.full_name).where(Agent.id == batch.agent_id))
            if batch.agent_id else None,
            "organisation_name": db.session.scalar(select(AgentOrganisation.name).where(
                AgentOrganisation.id == batch.organisation_id)) if batch.organisation_id else None}


def batch_signups(batch_id: int) -> list[tuple[SignUp, str]]:
    """A batch's visible sign-ups with the person's name, in receipt order."""
    rows = db.session.execute(
        scoped(SignUp, select(SignUp, Person.full_name)).join(Person, Person.id == SignUp.person_id)
        .where(SignUp.batch_id == batch_id).order_by(SignUp.signed_on, SignUp.receipt_number, SignUp.id)).all()
    return [(s, name) for s, name in rows]


def signup(signup_id: int) -> SignUp | None:
    """A visible sign-up, or None."""
    return db.session.scalar(scoped(SignUp).where(SignUp.id == signup_id))


def find_person(cccd: str | None, bhxh_code: str | None) -> Person | None:
    """The visible person with this CCCD or BHXH code."""
    if cccd:
        found = db.session.scalar(scoped(Person).where(Person.cccd == cccd))
        if found is not None:
            return found
    if bhxh_code:
        return db.session.scalar(scoped(Person).where(Person.bhxh_code == bhxh_code))
    return None
