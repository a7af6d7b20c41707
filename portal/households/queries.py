"""Searching people and households fast on a province: name words, phone, ID numbers, filters."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, exists, func, select

from ..auth.scope import Scope, scoped
from ..extensions import db
from ..geo.models import Hamlet
from ..i18n.collation import fold_diacritics
from ..i18n.formatting import local_today
from .models import Household, Person, person_name_tokens, person_tags

COUNT_CAP = 1000


@dataclass
class PeopleFilter:
    """What the search box and the filters ask for."""

    name: str = ""
    digits: str = ""
    commune_id: int | None = None
    hamlet_id: int | None = None
    tag: str | None = None
    status: str | None = None
    bhyt_expiring_days: int | None = None
    min_age: int | None = None
    max_age: int | None = None
    extra: dict = field(default_factory=dict)


def people_query(f: PeopleFilter, scope: Scope | None = None, today: date | None = None):
    """A select of (Person, head name, hamlet name) in Vietnamese name order, limited to the scope."""
    today = today or local_today()
    stmt = scoped(Person, select(Person, Household.head_name, Hamlet.name), scope=scope).join(
        Household, Household.id == Person.household_id).join(Hamlet, Hamlet.id == Person.hamlet_id)
    words = fold_diacritics(f.name).split()
    if words:
        # The longest word is the most selective: match it exactly in the token table (or as a prefix when it
        # is the only, possibly unfinished, word), then check the whole phrase on the folded name.
        key = max(words, key=len)
        token = person_name_tokens.c.token == key if len(words) > 1 else person_name_tokens.c.token.like(f"{key}%")
        stmt = stmt.where(Person.id.in_(select(person_name_tokens.c.person_id).where(token)))
        if len(words) > 1:
            stmt = stmt.where(Person.search_name.like("%" + " ".join(words) + "%"))
    if f.digits:
        if len(f.digits) == 12:
            stmt = stmt.where(Person.cccd == f.digits)
        else:
            stmt = stmt.where((Person.phone == f.digits) | (Person.bhxh_code == f.digits))
    if f.commune_id:
        stmt = stmt.where(Person.commune_id == f.commune_id)
    if f.hamlet_id:
        stmt = stmt.where(Person.hamlet_id == f.hamlet_id)
    if f.tag:
        stmt = stmt.where(exists().where(person_tags.c.person_id == Person.id, person_tags.c.tag == f.tag))
    if f.status in ("never", "participating", "stopped"):
        stmt = stmt.where(Person.bhxh_tn_status == f.status)
    if f.bhyt_expiring_days:
        stmt = stmt.where(Person.bhyt_expires_on.between(today, today + timedelta(days=f.bhyt_expiring_days)))
    if f.min_age is not None:
        stmt = stmt.where(Person.date_of_birth <= today.replace(year=today.year - f.min_age))
    if f.max_age is not None:
        stmt = stmt.where(Person.date_of_birth > today.replace(year=today.year - f.max_age - 1))
    return stmt.order_by(Person.sort_key, Person.id)


def capped_count(stmt) -> tuple[int, bool]:
    """How many rows a query gives, counting at most COUNT_CAP (and whether there are more)."""
    n = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).limit(COUNT_CAP + 1).subquery()))
    return min(n or 0, COUNT_CAP), (n or 0) > COUNT_CAP


def due_query(kind: str, *, start: date, end: date, scope: Scope | None = None):
    """People whose payment falls due, who stopped paying, or whose card expires or expired, per hamlet."""
    stmt = scoped(Person, select(Person, Household.head_name, Household.address, Hamlet.name, Hamlet.id),
                  scope=scope).join(Household, Household.id == Person.household_id).join(
        Hamlet, Hamlet.id == Person.hamlet_id)
    if kind == "paid_until":
        stmt = stmt.where(Person.bhxh_tn_status == "participating", Person.paid_until.between(start, end))
        order = Person.paid_until
    elif kind == "stopped":
        stmt = stmt.where(Person.bhxh_tn_status == "stopped")
        order = Person.paid_until
    else:
        stmt = stmt.where(and_(Person.bhyt_expires_on.is_not(None), Person.bhyt_expires_on.between(start, end)))
        order = Person.bhyt_expires_on
    return stmt.order_by(Hamlet.sort_key, order, Person.sort_key)
