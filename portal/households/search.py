"""Finding people: the search box (name words with or without diacritics, or a phone or ID number), the filters,
one page of results in Vietnamese name order, a count that stops at :data:`COUNT_CAP`, and the export.

How each search reads the database (one index range walked in name order, chosen per query) is in
:mod:`.search_plan`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, timedelta
from typing import Any

from sqlalchemy import String, and_, column, func, literal, or_, select, text

from ..auth.scope import ALL, Scope, current_scope, scoped
from ..core.pagination import PageNumbers
from ..extensions import db
from ..geo.models import Commune, Hamlet
from ..i18n.collation import fold_diacritics
from ..i18n.formatting import local_today
from .models import BHXH_TN_STATUSES, POTENTIAL_GROUPS, Household, Person

COUNT_CAP = 1000
PER_PAGE = 25
#: Most rows an export writes.
EXPORT_MAX = 50_000
STATUSES = (*BHXH_TN_STATUSES, "compulsory")
BHYT_CHOICES = ("30", "60", "90", "expired", "none")
MAX_WORDS = 6


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _int(value, lo: int, hi: int) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if lo <= number <= hi else None


@dataclass
class PeopleFilter:
    """What the search box and the filters ask for (``digits`` never travels in a URL)."""

    name: str = ""
    digits: str = ""
    commune_id: int | None = None
    hamlet_id: int | None = None
    tag: str | None = None
    status: str | None = None
    bhyt: str | None = None
    min_age: int | None = None
    max_age: int | None = None

    @classmethod
    def from_args(cls, args) -> PeopleFilter:
        """The filters of a query string or form; unknown values are dropped, numbers are not names."""
        name = " ".join((args.get("q") or "").split())[:120]
        if any(ch.isdigit() for ch in name):
            name = ""
        tag = args.get("tag")
        status = args.get("status")
        bhyt = args.get("bhyt")
        return cls(name=name, commune_id=_int(args.get("commune"), 1, 2**31), hamlet_id=_int(args.get("hamlet"), 1, 2**31),
                   tag=tag if tag in POTENTIAL_GROUPS else None, status=status if status in STATUSES else None,
                   bhyt=bhyt if bhyt in BHYT_CHOICES else None, min_age=_int(args.get("min_age"), 0, 120),
                   max_age=_int(args.get("max_age"), 0, 120))

    def query_args(self, **extra) -> dict[str, Any]:
        """Query-string arguments that reproduce the filter (the digits of a number search are left out)."""
        args = {"q": self.name or None, "commune": self.commune_id, "hamlet": self.hamlet_id, "tag": self.tag,
                "status": self.status, "bhyt": self.bhyt, "min_age": self.min_age, "max_age": self.max_age, **extra}
        return {k: v for k, v in args.items() if v not in (None, "")}

    def described(self) -> dict[str, Any]:
        """The filter for an audit entry (no digits)."""
        return {f.name: getattr(self, f.name) for f in fields(self)
                if f.name != "digits" and getattr(self, f.name) not in (None, "")}


@dataclass
class SearchResult(PageNumbers):
    """One page of people, with a count that stops at COUNT_CAP; quacks like core Page for the pager."""

    rows: list
    page: int
    per_page: int
    count: int
    more: bool
    #: How the people were found (the driver's name, "number" or "none"), for tests and benchmarks.
    plan: str

    @property
    def items(self) -> list:
        return self.rows

    @property
    def total(self) -> int:
        return self.count


def name_words(name: str) -> list[str]:
    """The folded words of a name query, without repeats."""
    words: list[str] = []
    for word in fold_diacritics(name).split():
        word = word[:40]
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def _position(haystack, needle):
    """Where ``needle`` starts in ``haystack`` (from 1), 0 when it is not there."""
    return getattr(func, "strpos" if db.engine.dialect.name == "postgresql" else "instr")(haystack, needle)


def phrase_clause(words: list[str], prefix: bool = True, column=None):
    """The words, in this order, starting at word starts of the folded name (``column``, by default
    people.search_name); with ``prefix`` the last word may be unfinished, otherwise it ends where a word ends.

    A substring test rather than LIKE: the plain one first, cheap, then the one with the spaces; and
    PostgreSQL, which cannot estimate either, does not take the words of a name for independent of each
    other (it would then expect few matches and sort a whole range instead of walking it in order).
    """
    column = Person.search_name if column is None else column
    phrase = " ".join(words)
    padded = literal(" ", String) + column
    if not prefix:
        padded = padded + literal(" ", String)
    return and_(_position(column, phrase) > 0,
                _position(padded, " " + phrase + ("" if prefix else " ")) > 0)


def last_word_is_prefix(words: list[str], whole_word_count: int) -> bool:
    """Whether the last word is read as unfinished: when it is the only word, a single letter, or no name has
    it as a whole word ("nguyen van an" finds An and Ân; "nguyen van tua" finds Tuấn)."""
    return len(words) == 1 or len(words[-1]) == 1 or whole_word_count == 0


def number_clause(digits: str):
    """12 digits: a CCCD; 10 digits: a phone or a social insurance code."""
    if len(digits) == 12:
        return Person.cccd == digits
    return or_(Person.phone == digits, Person.bhxh_code == digits)


def bhyt_clause(choice: str, today: date, column=None):
    """People whose health insurance card matches a BHYT filter choice."""
    column = Person.bhyt_expires_on if column is None else column
    if choice == "expired":
        return column < today
    if choice == "none":
        return column.is_(None)
    return and_(column >= today, column <= today + timedelta(days=int(choice)))


def person_clauses(f: PeopleFilter, today: date, columns=None) -> list:
    """WHERE clauses of the filters that only people rows answer: status, card, age (on ``columns``, by
    default the people table's)."""
    c = Person.__table__.c if columns is None else columns
    clauses = []
    if f.status == "compulsory":
        clauses.append(c.compulsory_insured.is_(True))
    elif f.status:
        clauses.append(c.bhxh_tn_status == f.status)
    if f.bhyt:
        clauses.append(bhyt_clause(f.bhyt, today, c.bhyt_expires_on))
    if f.min_age is not None:
        clauses.append(c.date_of_birth <= years_before(today, f.min_age))
    if f.max_age is not None:
        clauses.append(c.date_of_birth > years_before(today, f.max_age + 1))
    return clauses


#: The people columns searches and due lists check.
_THROUGH_COLUMNS = ("id", "sort_key", "commune_id", "hamlet_id", "search_name", "bhxh_tn_status",
                    "compulsory_insured", "bhyt_expires_on", "paid_until", "date_of_birth")


def people_through(index: str):
    """The people table read through one of its indexes: on SQLite a derived table ``SELECT ... FROM people
    INDEXED BY index`` (SQLite flattens it and keeps the index, which its planner, blind to LIMIT, might not
    choose), elsewhere the table itself. Either way its ``.c`` has the columns searches check."""
    if db.engine.dialect.name != "sqlite":
        return Person.__table__
    table = Person.__table__
    columns = [column(name, table.c[name].type) for name in _THROUGH_COLUMNS]
    return text(f"SELECT {', '.join(_THROUGH_COLUMNS)} FROM people INDEXED BY {index}").columns(  # noqa: S608
        *columns).subquery("people_by_index")


def filter_clauses(f: PeopleFilter, today: date) -> list:
    """WHERE clauses on people of all the filters (not the name or number)."""
    from .models import person_tags

    clauses = []
    if f.commune_id:
        clauses.append(Person.commune_id == f.commune_id)
    if f.hamlet_id:
        clauses.append(Person.hamlet_id == f.hamlet_id)
    if f.tag:
        from sqlalchemy import exists

        clauses.append(exists().where(person_tags.c.person_id == Person.id, person_tags.c.tag == f.tag))
    return clauses + person_clauses(f, today)


def scope_lists(scope: Scope) -> tuple[list[int] | None, list[int] | None]:
    """The scope's communes and hamlets as lists, None when it has them all (checked on each index row as a
    list: PostgreSQL would otherwise join the communes table, and misjudge that join)."""
    hamlets = scope.hamlet_ids()
    if hamlets is not None:
        hamlet_ids = list(db.session.scalars(hamlets))
        communes = list(db.session.scalars(select(Hamlet.commune_id).where(Hamlet.id.in_(hamlet_ids)).distinct()))
        return sorted(communes), hamlet_ids
    communes = scope.commune_ids()
    if communes is None or scope.kind == ALL:
        return None, None
    ids = sorted(db.session.scalars(communes))
    if ids and len(ids) == db.session.scalar(select(func.count()).select_from(Commune)):
        return None, None  # every commune (a province officer of a one-province portal): nothing to check
    return ids, None


def _load(ids: list[int]) -> list:
    """(Person, head name, hamlet name, commune name, address) for ids, in their order."""
    if not ids:
        return []
    rows = db.session.execute(
        select(Person, Household.head_name, Hamlet.name, Commune.name, Household.address)
        .join(Household, Household.id == Person.household_id).join(Hamlet, Hamlet.id == Person.hamlet_id)
        .join(Commune, Commune.id == Person.commune_id).where(Person.id.in_(ids))).all()
    by_id = {row[0].id: row for row in rows}
    return [by_id[i] for i in ids if i in by_id]


def search_people(f: PeopleFilter, *, scope: Scope | None = None, page: int = 1, per_page: int = PER_PAGE,
                  today: date | None = None, driver: str | None = None) -> SearchResult:
    """One page of the people a filter finds in the scope, in Vietnamese name order, and the count up to
    COUNT_CAP ("more than" past it; pages stop there too). ``driver`` forces a plan (tests, benchmarks)."""
    from . import search_plan

    scope = scope or current_scope()
    today = today or local_today()
    page = max(1, min(page, COUNT_CAP // per_page))
    start = (page - 1) * per_page
    if f.digits:
        stmt = scoped(Person, select(Person.id), scope=scope).where(number_clause(f.digits),
                                                                     *filter_clauses(f, today))
        ids = list(db.session.scalars(stmt.order_by(Person.sort_key, Person.id).limit(COUNT_CAP + 1)))
        plan = "number"
    else:
        plan, ids = search_plan.find(f, scope, today, COUNT_CAP + 1, driver=driver)
    return SearchResult(rows=_load(ids[start:start + per_page]), page=page, per_page=per_page,
                        count=min(len(ids), COUNT_CAP), more=len(ids) > COUNT_CAP, plan=plan)


def export_people(f: PeopleFilter, *, scope: Scope | None = None, today: date | None = None,
                  limit: int | None = None) -> list | None:
    """Every person the filter finds (as search rows, in name order), or None when there are more than
    ``limit`` (default EXPORT_MAX)."""
    from . import search_plan

    limit = EXPORT_MAX if limit is None else limit
    _plan, ids = search_plan.find(f, scope or current_scope(), today or local_today(), limit + 1)
    if len(ids) > limit:
        return None
    rows = []
    for chunk in range(0, len(ids), 2000):
        rows.extend(_load(ids[chunk:chunk + 2000]))
    return rows
