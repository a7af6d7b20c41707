"""Territorial scope, applied in one place.

Every list and every lookup of an object that belongs to a territory goes through :func:`scoped` or
:func:`get_or_404`. Each such model has a ``scope_clause(scope)`` classmethod that says, in SQL, which of its
rows a scope covers; the clause is built from sub-queries, so it costs the same on a province's data as on a
test's.

- admin: everything;
- province officer (and a viewer of the province office): the province of their office;
- local officer (and a viewer of a local office): the communes their office serves;
- agent: the communes and hamlets assigned to their agent record, and their own objects;
- anyone without an office or agent record: nothing.

Campaign targets and reports split one province by office: :func:`local_offices` gives the BHXH cơ sở offices
whose territory a scope covers, and a :class:`Place` carries them with the level and office a request asks for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from flask import abort, g
from flask_login import current_user
from sqlalchemy import Select, false, select, true
from sqlalchemy.sql.elements import ColumnElement

from ..extensions import db
from . import roles

T = TypeVar("T")

ALL = "all"
PROVINCE = "province"
OFFICE = "office"
AGENT = "agent"
NOTHING = "nothing"


@dataclass(frozen=True)
class Scope:
    """What part of the country a user may see."""

    kind: str
    province_id: int | None = None
    office_id: int | None = None
    agent_id: int | None = None

    @property
    def is_all(self) -> bool:
        return self.kind == ALL

    def commune_ids(self) -> Select | None:
        """A sub-query of the visible commune ids, or None when every commune is visible."""
        from ..geo.models import Commune
        from ..org.models import agent_communes

        if self.kind == ALL:
            return None
        if self.kind == PROVINCE:
            return select(Commune.id).where(Commune.province_id == self.province_id)
        if self.kind == OFFICE:
            return select(Commune.id).where(Commune.office_id == self.office_id)
        if self.kind == AGENT:
            return select(agent_communes.c.commune_id).where(agent_communes.c.agent_id == self.agent_id)
        return select(Commune.id).where(false())

    def hamlet_ids(self) -> Select | None:
        """A sub-query of the visible hamlet ids, or None when every hamlet of a visible commune is visible."""
        from ..geo.models import Hamlet
        from ..org.models import agent_hamlets

        if self.kind == AGENT:
            return select(agent_hamlets.c.hamlet_id).where(agent_hamlets.c.agent_id == self.agent_id)
        if self.kind == NOTHING:
            return select(Hamlet.id).where(false())
        return None

    def office_ids(self) -> Select | None:
        """A sub-query of the offices whose territory is visible, or None for all."""
        from ..org.models import Office

        if self.kind == ALL:
            return None
        if self.kind == PROVINCE:
            return select(Office.id).where(Office.province_id == self.province_id)
        if self.kind == OFFICE:
            return select(Office.id).where(Office.id == self.office_id)
        return select(Office.id).where(false())

    def communes(self, column: ColumnElement) -> ColumnElement[bool]:
        """A clause limiting a commune-id column to the scope."""
        ids = self.commune_ids()
        return true() if ids is None else column.in_(ids)

    def hamlets(self, hamlet_column: ColumnElement, commune_column: ColumnElement | None = None) -> ColumnElement[bool]:
        """A clause limiting a hamlet-id column (and its commune column, when given) to the scope."""
        ids = self.hamlet_ids()
        if ids is not None:
            return hamlet_column.in_(ids)
        if commune_column is not None:
            return self.communes(commune_column)
        from ..geo.models import Hamlet

        commune_ids = self.commune_ids()
        if commune_ids is None:
            return true()
        return hamlet_column.in_(select(Hamlet.id).where(Hamlet.commune_id.in_(commune_ids)))

    def offices(self, column: ColumnElement) -> ColumnElement[bool]:
        """A clause limiting an office-id column to the scope."""
        ids = self.office_ids()
        return true() if ids is None else column.in_(ids)

    def provinces(self, column: ColumnElement) -> ColumnElement[bool]:
        """A clause limiting a province-id column to the province(s) the scope touches."""
        if self.is_all:
            return true()
        if self.province_id is not None:
            return column == self.province_id
        from ..geo.models import Commune

        return column.in_(select(Commune.province_id).where(Commune.id.in_(self.commune_ids())))

    def events(self, column: ColumnElement) -> ColumnElement[bool]:
        """A clause limiting an event-id column to the events the scope sees."""
        from ..events.models import Event

        return column.in_(select(Event.id).where(Event.scope_clause(self)))


NO_SCOPE = Scope(NOTHING)


def scope_for(user: Any) -> Scope:
    """The scope of a user."""
    if user is None or not getattr(user, "is_authenticated", False):
        return NO_SCOPE
    if user.role == roles.ADMIN:
        return Scope(ALL)
    if user.role == roles.AGENT:
        return Scope(AGENT, agent_id=user.agent_id) if user.agent_id else NO_SCOPE
    if user.office_id is None:
        return NO_SCOPE
    from ..org.models import Office

    office = db.session.get(Office, user.office_id)
    if office is None:
        return NO_SCOPE
    if user.role == roles.PROVINCE_OFFICER or office.kind == "province":
        return Scope(PROVINCE, province_id=office.province_id, office_id=office.id)
    return Scope(OFFICE, province_id=office.province_id, office_id=office.id)


def current_scope() -> Scope:
    """The signed-in user's scope (computed once per request)."""
    if "scope" not in g:
        g.scope = scope_for(current_user)
    return g.scope


def scoped(model: type[T], stmt: Select | None = None, scope: Scope | None = None) -> Select:
    """``select(model)`` (or ``stmt``) limited to what the scope covers."""
    scope = scope or current_scope()
    stmt = select(model) if stmt is None else stmt
    return stmt.where(model.scope_clause(scope))


def get_or_404(model: type[T], object_id: Any, *options, scope: Scope | None = None) -> T:
    """Load one object inside the scope, or answer 404 (objects outside one's territory do not exist)."""
    scope = scope or current_scope()
    stmt = select(model).where(model.id == object_id, model.scope_clause(scope))
    if options:
        stmt = stmt.options(*options)
    obj = db.session.scalar(stmt)
    if obj is None:
        abort(404)
    return obj


def local_offices(province_id: int, scope: Scope | None = None) -> list:
    """The BHXH cơ sở offices of a province whose territory the scope covers, in name order."""
    from ..org.models import Office

    return list(db.session.scalars(scoped(Office, scope=scope).where(
        Office.province_id == province_id, Office.kind == "local").order_by(Office.sort_key)))


@dataclass
class Place:
    """A level of a province's territory as a scope sees it: the BHXH cơ sở offices it covers, and the office
    (and commune) whose communes, agents or events a request asks for. Reports and campaign targets read and
    write through one of these, never through office ids of their own."""

    level: str  #: "office", "commune", "agent" or "event"
    offices: list  #: the province's local offices the scope covers, in name order (see local_offices)
    office: Any = None  #: one of ``offices``, or None for all of them
    commune: tuple[int, str] | None = None  #: (id, name) when the events of one commune are asked for

    @property
    def office_id(self) -> int | None:
        return self.office.id if self.office else None

    @property
    def office_ids(self) -> list[int]:
        """Every office the scope covers."""
        return [o.id for o in self.offices]

    @property
    def covered_office_ids(self) -> list[int]:
        """The offices the request's figures cover: the office asked for, or all of them."""
        return [self.office.id] if self.office else self.office_ids

    @property
    def single_office(self) -> bool:
        return len(self.offices) == 1

    def office_with(self, office_id: int | None):
        """The covered office with this id, or None."""
        return next((o for o in self.offices if o.id == office_id), None) if office_id else None

    def args(self, **changes) -> dict:
        """Query arguments that bring back this place (with some changed)."""
        args = {"level": self.level, "office": self.office_id, "commune": self.commune[0] if self.commune else None}
        args.update(changes)
        return {k: v for k, v in args.items() if v is not None and not (k == "level" and v == "office")}
