"""Reads of the retention work: worklists (who to remind now), the last reminder of people on a due list, the
day's SMS list, reminder slips, and the figures per office, commune and agent. Everything through the scope."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, case, func, select

from ..auth.scope import Scope, current_scope, scoped
from ..extensions import db
from ..geo.models import Commune, Hamlet
from ..households.models import Household, Person
from ..i18n.formatting import local_today
from ..org.models import Agent, Office, agent_hamlets
from ..results.models import SignUp
from .models import GONE, SETTLED, RetentionContact

#: The worklist: payments falling due within this many days, and lapses up to LAPSE_DAYS back.
AHEAD_DAYS = 30
LAPSE_DAYS = 90
#: Most people one worklist shows (an agent's round is far smaller; an office narrows to a commune or agent).
WORKLIST_MAX = 600
#: The SMS list: due within this many days, or overdue up to SMS_OVERDUE_DAYS; not sent one within SMS_QUIET_DAYS.
SMS_AHEAD_DAYS = 7
SMS_OVERDUE_DAYS = 30
SMS_QUIET_DAYS = 7
SMS_MAX = 20000
#: Months of trend on the figures page.
TREND_MONTHS = 6
GROUPS = ("office", "commune", "agent")


def _due_column(scheme: str, columns=None):
    c = Person.__table__.c if columns is None else columns
    return c.paid_until if scheme == "bhxh_tn" else c.bhyt_expires_on


def _due_clause(scheme: str, start: date, end: date):
    """People whose payment falls due (or fell due) between start and end, for a scheme."""
    if scheme == "bhxh_tn":
        return and_(Person.bhxh_tn_status.in_(("participating", "stopped")), Person.paid_until.between(start, end))
    return Person.bhyt_expires_on.between(start, end)


@dataclass
class WorkItem:
    """A person on a worklist: who, where, when due, the last reminder and what it means now."""

    person: Person
    head: str
    address: str | None
    phone: str | None
    hamlet_id: int
    hamlet: str
    commune: str
    due_on: date | None
    last: RetentionContact | None
    state: str  #: "todo", "waiting" (promised for a later day) or "settled" (paid or refused for this due date)


@dataclass
class Worklist:
    items: list[WorkItem]
    total: int
    too_many: bool
    counts: dict[str, int] = field(default_factory=dict)

    def by_hamlet(self, show: str = "todo") -> list[tuple[str, list[WorkItem]]]:
        shown = [i for i in self.items if show == "all" or i.state == show
                 or (show == "done" and i.state != "todo")]
        groups: dict[tuple, list[WorkItem]] = {}
        for item in shown:
            groups.setdefault((item.commune, item.hamlet, item.hamlet_id), []).append(item)
        return [(f"{h} · {c}", items) for (c, h, _i), items in groups.items()]


def _chunks(ids: list, size: int = 900):
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def last_contacts(person_ids, scheme: str) -> dict[int, RetentionContact]:
    """The latest reminder of each person for a scheme."""
    found: dict[int, RetentionContact] = {}
    ids = list(person_ids)
    for chunk in range(0, len(ids), 900):
        latest = select(func.max(RetentionContact.id)).where(
            RetentionContact.person_id.in_(ids[chunk:chunk + 900]), RetentionContact.scheme == scheme
        ).group_by(RetentionContact.person_id)
        for contact in db.session.scalars(select(RetentionContact).where(RetentionContact.id.in_(latest))):
            found[contact.person_id] = contact
    return found


def gone_people(person_ids) -> set[int]:
    """People a reminder found moved away, dead or now compulsorily insured (off every worklist)."""
    ids, gone = list(person_ids), set()
    for chunk in range(0, len(ids), 900):
        gone.update(db.session.scalars(select(RetentionContact.person_id).where(
            RetentionContact.person_id.in_(ids[chunk:chunk + 900]), RetentionContact.outcome.in_(GONE))))
    return gone


def state_of(due_on: date | None, last: RetentionContact | None, today: date) -> str:
    """What a person's last reminder means for the worklist today."""
    if last is None:
        return "todo"
    if last.outcome in GONE:
        return "gone"
    if last.outcome == "promised" and last.due_on == due_on:
        return "waiting" if last.promised_on and last.promised_on > today else "todo"
    if last.outcome in SETTLED and last.due_on == due_on:
        return "settled"
    return "todo"


def worklist(*, scheme: str = "bhxh_tn", scope: Scope | None = None, agent_id: int | None = None,
             commune_id: int | None = None, hamlet_id: int | None = None, today: date | None = None,
             ahead: int = AHEAD_DAYS, back: int = LAPSE_DAYS, limit: int = WORKLIST_MAX) -> Worklist:
    """Who to remind: people of the scope (narrowed to an agent's hamlets, a commune or a hamlet) whose payment
    falls due within ``ahead`` days or fell due up to ``back`` days ago, and people whose promised day has come;
    without those a reminder found gone. Sorted: to remind first, by due date, then by name."""
    scope = scope or current_scope()
    today = today or local_today()
    start, end = today - timedelta(days=back), today + timedelta(days=ahead)
    where = [Person.scope_clause(scope)]
    if commune_id:
        where.append(Person.commune_id == commune_id)
    if hamlet_id:
        where.append(Person.hamlet_id == hamlet_id)
    if agent_id:
        where.append(Person.hamlet_id.in_(select(agent_hamlets.c.hamlet_id)
                                          .where(agent_hamlets.c.agent_id == agent_id)))
    # Two reads, each on its own index (an OR of both would read every person of the place): due in the window,
    # and promised for a day that has come.
    ids = list(db.session.scalars(select(Person.id).where(_due_clause(scheme, start, end), *where)
                                  .limit(limit + 1)))
    promised = set(db.session.scalars(select(RetentionContact.person_id).where(
        RetentionContact.promised_on.between(today - timedelta(days=back), today),
        RetentionContact.scheme == scheme, RetentionContact.scope_clause(scope)))) - set(ids)
    if promised:
        for chunk in _chunks(sorted(promised)):
            ids += db.session.scalars(select(Person.id).where(Person.id.in_(chunk), *where))
    too_many = len(ids) > limit
    ids = ids[:limit]
    rows = []
    for chunk in range(0, len(ids), 900):
        rows += db.session.execute(
            select(Person, Household.head_name, Household.address, Household.phone, Hamlet.name, Commune.name)
            .join(Household, Household.id == Person.household_id).join(Hamlet, Hamlet.id == Person.hamlet_id)
            .join(Commune, Commune.id == Person.commune_id).where(Person.id.in_(ids[chunk:chunk + 900]))).all()
    last = last_contacts(ids, scheme)
    gone = gone_people(ids)
    items = []
    for person, head, address, household_phone, hamlet, commune in rows:
        if person.id in gone:
            continue
        due_on = person.paid_until if scheme == "bhxh_tn" else person.bhyt_expires_on
        state = state_of(due_on, last.get(person.id), today)
        if state == "gone":
            continue
        items.append(WorkItem(person, head, address, person.phone or household_phone, person.hamlet_id, hamlet,
                              commune, due_on, last.get(person.id), state))
    order = {"todo": 0, "waiting": 1, "settled": 2}
    items.sort(key=lambda i: (i.commune, i.hamlet, i.hamlet_id, order[i.state], i.due_on or date.min,
                              i.person.sort_key, i.person.id))
    counts = {state: sum(1 for i in items if i.state == state) for state in order}
    return Worklist(items=items, total=len(items), too_many=too_many, counts=counts)


def last_amounts(person_ids, scheme: str) -> dict[int, int]:
    """What each person paid at their last confirmed sign-up for the scheme (đồng)."""
    ids, amounts = list(person_ids), {}
    for chunk in range(0, len(ids), 900):
        latest = select(func.max(SignUp.id)).where(
            SignUp.person_id.in_(ids[chunk:chunk + 900]), SignUp.scheme == scheme, SignUp.status == "confirmed"
        ).group_by(SignUp.person_id)
        amounts.update(db.session.execute(select(SignUp.person_id, SignUp.net).where(SignUp.id.in_(latest))).all())
    return amounts


# --- SMS -----------------------------------------------------------------------------------------------------


@dataclass
class SmsRow:
    person_id: int
    hamlet_id: int
    commune_id: int
    name: str
    phone: str
    due_on: date | None
    last_amount: int | None
    overdue: bool


def sms_list(*, scheme: str = "bhxh_tn", scope: Scope | None = None, commune_id: int | None = None,
             agent_id: int | None = None, today: date | None = None) -> list[SmsRow]:
    """The day's SMS reminders: people to remind with a phone, due within SMS_AHEAD_DAYS days or overdue up to
    SMS_OVERDUE_DAYS (or whose promised day has come), not sent an SMS within SMS_QUIET_DAYS days; with the
    amount of their last confirmed payment for the scheme."""
    today = today or local_today()
    work = worklist(scheme=scheme, scope=scope, commune_id=commune_id, agent_id=agent_id, today=today,
                    ahead=SMS_AHEAD_DAYS, back=SMS_OVERDUE_DAYS, limit=SMS_MAX)
    items = [i for i in work.items if i.state == "todo" and i.phone]
    ids = [i.person.id for i in items]
    quiet: set[int] = set()
    for chunk in range(0, len(ids), 900):
        part = ids[chunk:chunk + 900]
        quiet.update(db.session.scalars(select(RetentionContact.person_id).where(
            RetentionContact.person_id.in_(part), RetentionContact.scheme == scheme,
            RetentionContact.method == "sms",
            RetentionContact.contacted_on > today - timedelta(days=SMS_QUIET_DAYS))))
    amounts = last_amounts(ids, scheme)
    return [SmsRow(i.person.id, i.person.hamlet_id, i.person.commune_id, i.person.full_name, i.phone, i.due_on,
                   amounts.get(i.person.id), bool(i.due_on and i.due_on < today))
            for i in items if i.person.id not in quiet]


# --- Figures -------------------------------------------------------------------------------------------------


def month_start(day: date, back: int = 0) -> date:
    """The first day of the month ``back`` months before ``day``'s."""
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


@dataclass
class FigureRow:
    key: int | None
    name: str
    detail: str = ""
    due: list[int] = field(default_factory=lambda: [0] * TREND_MONTHS)
    renewed: list[int] = field(default_factory=lambda: [0] * TREND_MONTHS)
    lapsed: list[int] = field(default_factory=lambda: [0] * TREND_MONTHS)
    reminded: list[int] = field(default_factory=lambda: [0] * TREND_MONTHS)

    @property
    def rates(self) -> list[float | None]:
        """The renewal rate of each month, in percent (None when nobody was due)."""
        return [100 * r / d if d else None for r, d in zip(self.renewed, self.due, strict=True)]

    def add(self, other: FigureRow) -> None:
        for name in ("due", "renewed", "lapsed", "reminded"):
            mine, theirs = getattr(self, name), getattr(other, name)
            for i in range(TREND_MONTHS):
                mine[i] += theirs[i]


@dataclass
class Figures:
    months: list[date]
    rows: list[FigureRow]
    total: FigureRow


def _month_case(column, bounds: list[date]):
    """The month index (0 = oldest) of a date column already limited to [bounds[0], bounds[-1])."""
    return case(*[(column < bound, i) for i, bound in enumerate(bounds[1:-1])], else_=len(bounds) - 2)


def figures(*, scheme: str = "bhxh_tn", group: str = "commune", month: date | None = None,
            office_id: int | None = None, commune_id: int | None = None, scope: Scope | None = None,
            today: date | None = None) -> Figures:
    """Per office, commune or agent, for the month asked and the TREND_MONTHS - 1 before it: people whose
    payment fell due in the month (those who renewed in it plus those whose due date is still in it), renewed
    (confirmed renewals signed in the month; per agent, those credited to the agent), lapsed (due date in the
    month, passed, not renewed), reminders made in the month asked for, and the renewal rate."""
    scope = scope or current_scope()
    today = today or local_today()
    month = month_start(month or today)
    bounds = [month_start(month, back) for back in range(TREND_MONTHS - 1, -1, -1)] + [month_start(month, -1)]
    per_hamlet = group == "agent"
    places = [Person.scope_clause(scope)]
    if office_id:
        places.append(Person.commune_id.in_(select(Commune.id).where(Commune.office_id == office_id)))
    if commune_id:
        places.append(Person.commune_id == commune_id)
    # Still due: the due date is in the month (not renewed since); lapsed when it has passed.
    due_col = _due_column(scheme)
    keys = [Person.commune_id] + ([Person.hamlet_id] if per_hamlet else [])
    idx = _month_case(due_col, bounds).label("m")
    still = db.session.execute(
        select(*keys, idx, func.count(), func.sum(case((due_col < today, 1), else_=0)))
        .where(_due_clause(scheme, bounds[0], bounds[-1] - timedelta(days=1)), *places)
        .group_by(*keys, idx)).all()
    # Renewed: confirmed renewals signed in the month, read from the sign-ups' commune and day index alone
    # (per agent: the agent credited with the renewal).
    s = SignUp.__table__.c
    s_idx = _month_case(s.signed_on, bounds).label("m")
    s_keys = [s.commune_id] + ([s.credited_agent_id] if per_hamlet else [])
    stmt = select(*s_keys, s_idx, func.count()).where(
        scope.communes(s.commune_id), s.signed_on >= bounds[0], s.signed_on < bounds[-1], s.status == "confirmed",
        s.scheme == scheme, s.kind == "renewal")
    if scope.kind == "agent":
        stmt = stmt.where(s.credited_agent_id == scope.agent_id)
    if office_id:
        stmt = stmt.where(s.commune_id.in_(select(Commune.id).where(Commune.office_id == office_id)))
    if commune_id:
        stmt = stmt.where(s.commune_id == commune_id)
    renewed = db.session.execute(stmt.group_by(*s_keys, s_idx)).all()
    # Reminders made in the month asked for (the trend is of the renewal rate only).
    r = RetentionContact.__table__.c
    r_places = [RetentionContact.scope_clause(scope)]
    if office_id:
        r_places.append(r.commune_id.in_(select(Commune.id).where(Commune.office_id == office_id)))
    if commune_id:
        r_places.append(r.commune_id == commune_id)
    r_keys = [r.commune_id] + ([r.hamlet_id] if per_hamlet else [])
    reminded = db.session.execute(
        select(*r_keys, func.count()).where(
            *r_places, r.contacted_on >= bounds[-2], r.contacted_on < bounds[-1], r.scheme == scheme)
        .group_by(*r_keys)).all()
    return _grouped(group, bounds[:-1], still, renewed, reminded, scope)


def _agents_by_hamlet(scope: Scope) -> dict[int, list[tuple[int, str]]]:
    """The active agents of the scope covering each hamlet, in name order (one query, whatever the number of
    hamlets)."""
    result: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for hamlet_id, agent_id, name in db.session.execute(
            select(agent_hamlets.c.hamlet_id, Agent.id, Agent.full_name)
            .join(Agent, Agent.id == agent_hamlets.c.agent_id)
            .where(Agent.active.is_(True), Agent.scope_clause(scope)).order_by(Agent.sort_key, Agent.id)):
        result[hamlet_id].append((agent_id, name))
    return result


def _grouped(group: str, months: list[date], still, renewed, reminded, scope: Scope) -> Figures:
    """Add the counts up per office, commune or agent (a hamlet's due people and reminders go to each of its
    agents; a renewal to the agent credited with it)."""
    by_place: dict[tuple, FigureRow] = defaultdict(lambda: FigureRow(None, ""))
    credited: dict[int | None, FigureRow] = defaultdict(lambda: FigureRow(None, ""))
    for row in still:
        *place, m, n, lapsed = row
        by_place[tuple(place)].due[m] += n
        by_place[tuple(place)].lapsed[m] += lapsed or 0
    for row in renewed:
        *place, m, n = row
        if group == "agent":
            credited[place[1]].due[m] += n
            credited[place[1]].renewed[m] += n
            continue
        by_place[tuple(place)].due[m] += n
        by_place[tuple(place)].renewed[m] += n
    for row in reminded:
        *place, n = row
        by_place[tuple(place)].reminded[-1] += n
    communes = {c.id: c for c in db.session.execute(
        select(Commune.id, Commune.name, Commune.office_id, Commune.sort_key).where(
            Commune.id.in_({p[0] for p in by_place}))).all()} if by_place else {}
    rows: dict[int | None, FigureRow] = {}
    if group == "agent":
        agents = _agents_by_hamlet(scope)
        for place, figs in by_place.items():
            if place[1] is None:
                continue
            for agent_id, name in agents.get(place[1]) or [(None, "")]:
                rows.setdefault(agent_id, FigureRow(agent_id, name)).add(figs)
        names = dict(db.session.execute(select(Agent.id, Agent.full_name).where(
            Agent.id.in_([a for a in credited if a is not None and a not in rows])).order_by(Agent.id)).all())
        for agent_id, figs in credited.items():
            rows.setdefault(agent_id, FigureRow(agent_id, names.get(agent_id, ""))).add(figs)
        order = {a: i for i, a in enumerate(db.session.scalars(select(Agent.id).where(
            Agent.id.in_([k for k in rows if k is not None])).order_by(Agent.sort_key, Agent.id)))}
        ordered = sorted(rows.values(), key=lambda row: (row.key is None, order.get(row.key, 0)))
    elif group == "office":
        offices = {o.id: o for o in db.session.execute(select(Office.id, Office.name, Office.sort_key).where(
            Office.id.in_({c.office_id for c in communes.values()}))).all()} if communes else {}
        for place, figs in by_place.items():
            office_id = communes[place[0]].office_id if place[0] in communes else None
            office = offices.get(office_id)
            rows.setdefault(office_id, FigureRow(office_id, office.name if office else "")).add(figs)
        ordered = sorted(rows.values(), key=lambda row: (row.key is None, offices[row.key].sort_key
                                                         if row.key in offices else ""))
    else:
        for place, figs in by_place.items():
            commune = communes.get(place[0])
            rows.setdefault(place[0], FigureRow(place[0], commune.name if commune else "")).add(figs)
        ordered = sorted(rows.values(), key=lambda row: communes[row.key].sort_key if row.key in communes else "")
    total = FigureRow(None, "")
    for place_figs in (*by_place.values(), *credited.values()):
        total.add(place_figs)
    return Figures(months=months, rows=ordered, total=total)


def work_item(person: Person, scheme: str, today: date | None = None) -> WorkItem:
    """One person as a worklist shows them (after a reminder is recorded)."""
    today = today or local_today()
    head, address, household_phone, hamlet, commune = db.session.execute(
        select(Household.head_name, Household.address, Household.phone, Hamlet.name, Commune.name)
        .join(Hamlet, Hamlet.id == Household.hamlet_id).join(Commune, Commune.id == Household.commune_id)
        .where(Household.id == person.household_id)).one()
    last = last_contacts([person.id], scheme).get(person.id)
    due_on = person.paid_until if scheme == "bhxh_tn" else person.bhyt_expires_on
    state = state_of(due_on, last, today)
    return WorkItem(person, head, address, person.phone or household_phone, person.hamlet_id, hamlet, commune,
                    due_on, last, state)


def agent_choices(scope: Scope | None = None, commune_id: int | None = None) -> list:
    """Active agents of the scope (and commune), in name order: (id, name)."""
    stmt = scoped(Agent, select(Agent.id, Agent.full_name), scope=scope).where(Agent.active.is_(True))
    if commune_id:
        stmt = stmt.where(Agent.communes.any(Commune.id == commune_id))
    return db.session.execute(stmt.order_by(Agent.sort_key, Agent.id).limit(1000)).all()


def place_choices(scope: Scope | None = None) -> dict:
    """Offices and communes the figures page offers (inside the scope)."""
    scope = scope or current_scope()
    offices = db.session.execute(scoped(Office, select(Office.id, Office.name), scope=scope)
                                 .where(Office.kind == "local").order_by(Office.sort_key)).all()
    communes = db.session.execute(scoped(Commune, select(Commune.id, Commune.name, Commune.office_id), scope=scope)
                                  .where(Commune.office_id.is_not(None)).order_by(Commune.sort_key)).all()
    return {"offices": offices, "communes": communes}
