"""Due-payment and lapse lists: participants whose paid-until date falls in a window, people who stopped paying,
health insurance cards expiring or expired; counted per hamlet or per agent, with the people when few.

Each list is a date window on an index that also holds the scope's columns (ix_people_status_paid for the
paid-until kinds, ix_people_bhyt for the card kinds), so the counts per hamlet are read from the index alone.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, func, select

from ..auth.scope import Scope, current_scope, scoped
from ..extensions import db
from ..geo.models import Commune, Hamlet
from ..i18n.formatting import local_today
from ..org.models import Agent, agent_hamlets
from .models import Household, Person
from .search import people_through, scope_lists

DUE_KINDS = ("paid_until", "stopped", "bhyt_expiring", "bhyt_expired")
DUE_DEFAULT_DAYS = {"paid_until": 30, "stopped": 365, "bhyt_expiring": 30, "bhyt_expired": 30}
#: Most people the due page lists by name; above that it shows the counts per group and asks to pick one.
DUE_DETAIL_MAX = 400


@dataclass
class DueFilter:
    """Which due list, over which window, grouped how, narrowed to which place or agent."""

    kind: str = "paid_until"
    #: Length of the window in days (None: the kind's default; 0 for "stopped": any time).
    days: int | None = None
    start: date | None = None
    end: date | None = None
    group: str = "hamlet"
    commune_id: int | None = None
    hamlet_id: int | None = None
    agent_id: int | None = None

    def window(self, today: date) -> tuple[date | None, date | None]:
        """The dates the list covers (None: open)."""
        days = DUE_DEFAULT_DAYS[self.kind] if self.days is None else self.days
        if self.kind == "paid_until":
            start = self.start or today
            return start, self.end or start + timedelta(days=days)
        if self.kind == "bhyt_expiring":
            return today, today + timedelta(days=days)
        if self.kind == "bhyt_expired":
            return today - timedelta(days=days), today - timedelta(days=1)
        # stopped: the last paid-until date within the last N days (0: any time, with or without a date)
        return (today - timedelta(days=days), today) if days else (None, None)

    def query_args(self, **extra) -> dict[str, Any]:
        args = {"kind": self.kind, "days": self.days, "from": self.start.strftime("%d/%m/%Y") if self.start else None,
                "to": self.end.strftime("%d/%m/%Y") if self.end else None, "group": self.group,
                "commune": self.commune_id, "hamlet": self.hamlet_id, "agent": self.agent_id, **extra}
        args = {k: v for k, v in args.items() if v not in (None, "")}
        if self.days == 0:
            args["days"] = ""  # "stopped" at any time
        return args

    def described(self, today: date) -> dict[str, Any]:
        start, end = self.window(today)
        return {"kind": self.kind, "from": start.isoformat() if start else None,
                "to": end.isoformat() if end else None, "group": self.group, "commune": self.commune_id,
                "hamlet": self.hamlet_id, "agent": self.agent_id}


def due_clause(kind: str, start: date | None, end: date | None, columns=None):
    """Who is on a due list (each kind's window is a range on the paid-until or card-expiry index; on
    ``columns``, by default the people table's)."""
    c = Person.__table__.c if columns is None else columns
    if kind == "paid_until":
        return and_(c.bhxh_tn_status == "participating", c.paid_until.between(start, end))
    if kind == "stopped":
        if start is None:
            return c.bhxh_tn_status == "stopped"
        return and_(c.bhxh_tn_status == "stopped", c.paid_until.between(start, end))
    return c.bhyt_expires_on.between(start, end)


def due_index(kind: str) -> str:
    """The index a due list's window is read on (ix_people_status_paid or ix_people_bhyt)."""
    return "ix_people_bhyt" if kind.startswith("bhyt") else "ix_people_status_paid"


def due_query(kind: str, *, start: date | None, end: date | None, scope: Scope | None = None):
    """A select of the people on a due list in the scope (``kind`` "bhyt" means either card list)."""
    kind = "bhyt_expiring" if kind == "bhyt" else kind
    return scoped(Person, select(Person), scope=scope).where(due_clause(kind, start, end))


def _due_people(f: DueFilter, scope: Scope, today: date):
    """The people of a due list, read on its window's index: (the columns, the WHERE clauses) with the
    scope, kind and window, and the place or agent asked for (an agent's hamlets as a short list, checked on
    the index's rows like the scope)."""
    start, end = f.window(today)
    c = people_through(due_index(f.kind)).c
    clauses = [due_clause(f.kind, start, end, c)]
    communes, scope_hamlets = scope_lists(scope)
    if communes is not None:
        clauses.append(c.commune_id.in_(communes))
    if scope_hamlets is not None:
        clauses.append(c.hamlet_id.in_(scope_hamlets))
    if f.commune_id:
        clauses.append(c.commune_id == f.commune_id)
    hamlets: list[int] | None = None
    if f.hamlet_id:
        hamlets = [f.hamlet_id]
    if f.agent_id:
        hamlets = list(db.session.scalars(select(agent_hamlets.c.hamlet_id)
                                          .where(agent_hamlets.c.agent_id == f.agent_id)))
        if f.hamlet_id:
            hamlets = [h for h in hamlets if h == f.hamlet_id]
    if hamlets is not None:
        clauses.append(c.hamlet_id.in_(hamlets) if hamlets else c.id.is_(None))
    return c, clauses


@dataclass
class DueGroup:
    """People of one hamlet or one agent on a due list."""

    key: int | None
    name: str
    detail: str
    count: int
    rows: list = field(default_factory=list)


@dataclass
class DueList:
    """A due list: its groups with counts, and the people when there are few enough to list."""

    groups: list[DueGroup]
    total: int
    listed: bool
    start: date | None
    end: date | None


def agents_of_hamlets(hamlet_ids) -> dict[int, list[tuple[int, str]]]:
    """Active agents covering each hamlet, in name order."""
    result: dict[int, list[tuple[int, str]]] = defaultdict(list)
    hamlet_ids = list(hamlet_ids)
    if not hamlet_ids:
        return result
    for chunk in range(0, len(hamlet_ids), 900):
        rows = db.session.execute(
            select(agent_hamlets.c.hamlet_id, Agent.id, Agent.full_name)
            .join(Agent, Agent.id == agent_hamlets.c.agent_id)
            .where(agent_hamlets.c.hamlet_id.in_(hamlet_ids[chunk:chunk + 900]), Agent.active.is_(True))
            .order_by(Agent.sort_key, Agent.id)).all()
        for hamlet_id, agent_id, name in rows:
            result[hamlet_id].append((agent_id, name))
    return result


def _due_rows(c, clauses: list) -> list:
    """The rows a due list shows and exports: (Person, head, address, hamlet id, hamlet, commune, the
    household's phone)."""
    return db.session.execute(
        select(Person, Household.head_name, Household.address, Hamlet.id, Hamlet.name, Commune.name,
               Household.phone)
        .join(Household, Household.id == Person.household_id).join(Hamlet, Hamlet.id == Person.hamlet_id)
        .join(Commune, Commune.id == Person.commune_id)
        .where(Person.id.in_(select(c.id).where(*clauses)))).all()


def _row_date_key(kind: str):
    if kind in ("paid_until", "stopped"):
        return lambda row: (row[0].paid_until or date.min)
    return lambda row: (row[0].bhyt_expires_on or date.min)


def due_list(f: DueFilter, *, scope: Scope | None = None, today: date | None = None,
             detail_max: int | None = None) -> DueList:
    """A due list grouped per hamlet or per agent, with counts; the people too when there are at most
    ``detail_max`` (default DUE_DETAIL_MAX) of them."""
    detail_max = DUE_DETAIL_MAX if detail_max is None else detail_max
    scope = scope or current_scope()
    today = today or local_today()
    start, end = f.window(today)
    c, clauses = _due_people(f, scope, today)
    # Counts per hamlet with the hamlet's and commune's names, in commune then hamlet order (Core rows: a
    # province has a thousand hamlets).
    hamlet, commune = Hamlet.__table__.c, Commune.__table__.c
    counted = select(c.hamlet_id.label("hamlet_id"), func.count().label("n")).where(*clauses).group_by(
        c.hamlet_id).subquery("counted")
    found = db.session.execute(
        select(counted.c.hamlet_id, counted.c.n, hamlet.name, commune.name.label("commune"))
        .join_from(counted, Hamlet.__table__, hamlet.id == counted.c.hamlet_id)
        .join(Commune.__table__, commune.id == hamlet.commune_id)
        .order_by(commune.sort_key, hamlet.sort_key, hamlet.id)).all()
    by_hamlet = {row.hamlet_id: row.n for row in found}
    total = sum(by_hamlet.values())
    listed = total <= detail_max
    rows = _due_rows(c, clauses) if listed and total else []
    if listed:
        date_key = _row_date_key(f.kind)
        rows.sort(key=lambda row: (date_key(row), row[0].sort_key, row[0].id))
    groups: list[DueGroup]
    if f.group == "agent":
        agents = agents_of_hamlets(by_hamlet)
        counts: dict[int | None, int] = defaultdict(int)
        names: dict[int | None, str] = {}
        for hamlet_id, n in by_hamlet.items():
            for agent_id, name in agents.get(hamlet_id) or [(None, "")]:
                counts[agent_id] += n
                names[agent_id] = name
        groups = [DueGroup(key=a, name=names[a], detail="", count=counts[a]) for a in counts]
        order = {a: i for i, a in enumerate(_agent_order([a for a in counts if a is not None]))}
        groups.sort(key=lambda g: (g.key is None, order.get(g.key, 0)))
        index = {g.key: g for g in groups}
        for row in rows:
            for agent_id, _name in agents.get(row[3]) or [(None, "")]:
                index[agent_id].rows.append(row)
    else:
        groups = [DueGroup(key=row.hamlet_id, name=row.name, detail=row.commune, count=row.n) for row in found]
        index = {g.key: g for g in groups}
        for row in rows:
            index[row[3]].rows.append(row)
    return DueList(groups=groups, total=total, listed=listed, start=start, end=end)


def _agent_order(agent_ids: list[int]) -> list[int]:
    if not agent_ids:
        return []
    return list(db.session.scalars(select(Agent.id).where(Agent.id.in_(agent_ids)).order_by(Agent.sort_key,
                                                                                             Agent.id)))
