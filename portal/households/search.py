"""Finding people: the search box (name words with or without diacritics, or a phone or ID number), the filters,
one page of results in Vietnamese name order, a count that stops at :data:`COUNT_CAP`, and the export.

Why a planner of our own rather than the database's text search
-----------------------------------------------------------------
Measured with ``bench/households.py --native`` on 1,000,000 people (250,000 households, 100 communes), every
name and filter search shape for a local officer, a province officer and an agent: the planner against
SQLite FTS5 and against PostgreSQL pg_trgm and tsvector GIN indexes, each with the same filters, scope and
order. Shapes whose p95 missed the 100 ms target:

=====================================  =======  =====  =======  ========
shapes over p95 100 ms (of 56)         planner  FTS5   pg_trgm  tsvector
=====================================  =======  =====  =======  ========
SQLite                                 5        24
PostgreSQL, first run                  26              28       31
PostgreSQL, second run                 10              20       13
=====================================  =======  =====  =======  ========

(December 2026, a shared 2-core machine at a load average of 9 to 13, which inflates every figure. The
SQLite planner's five misses are the first searches of the run, with a cold cache and the sample being
taken; on PostgreSQL the planner's misses move between runs with the load, except "nguyen van" for a local
officer, 200 to 390 ms in both; the text indexes miss the same shapes in both runs. An earlier run on the
same machine, less loaded, gave the planner 0 and 1 misses against 21 for FTS5, 10 for pg_trgm and 8 for
tsvector.) The text indexes lose where searches are common: on SQLite FTS5 takes 1.4 s (p95) for "nguyen
van", 1.1 s for "n" and 0.97 s for "thi" with a near-poor tag, where the planner takes 205, 39 and 45 ms;
on PostgreSQL pg_trgm takes 1.5 s for "thi" with a tag, and tsvector 350 and 370 ms for "n" and "ng",
where the planner stays under 60 ms. A text index helps only when the name is rare, and the planner then
already starts from the rare word's search rows.

A text index answers "which people have these words" well, but a search page asks for the *first* 25 (and a
count up to 1,000) in Vietnamese name order among people with common words ("nguyen": two people in
five), an unfinished word ("ng", "n"), or only filters: the text index gives every match, which is then
sorted. The planner walks an index that is already in name order and stops after COUNT_CAP + 1 matches,
starting from whatever is rarest in the query.

How a search runs
-----------------
1. :func:`search_people` parses the name into folded words (:func:`name_words`); a number goes to one
   indexed lookup instead.
2. :mod:`.search_plan` lists the candidate *drivers*, index ranges in (or out of) name order: a name word
   or the unfinished last word (search rows, ``person_name_tokens``), each filter that declares a
   :class:`Drive`, everyone (``ix_people_sort``), and the scope's communes walked one by one and merged.
3. It counts each candidate up to SIZE_CAP in one round trip and takes a small one; otherwise
   :mod:`.search_sample` prices them with a random sample of 2,000 people, kept a few minutes, on which it
   runs every part of the query (each filter's :attr:`Condition.test`).
4. One SQL statement walks the chosen range, checks every other part of the query on each row (on the
   index row when it carries the columns a filter reads, else on the person's row) and stops at
   COUNT_CAP + 1.

Adding a filter, step by step
-----------------------------
1. A field on :class:`PeopleFilter` (None when the filter is off).
2. One :class:`Condition` in :data:`CONDITIONS`: its query-string argument and parser, the people columns it
   reads, its SQL (``where``), and the test of a sampled person (``test``, the planner's selectivity
   estimate). That is all the search, the export, every plan and the sample need: nothing in
   search_plan.py or search_sample.py names a filter.
3. Only if the filter alone can select a small share of people: a ``drive``, the index whose range it is
   (a new index in models.py and a migration), so the planner can start from it.
4. The form field in ``templates/households/search.html`` (its ``name`` is the argument) and its labels in
   forms.py, with Vietnamese strings in the catalogue.
5. A case in ``_cases`` of tests/households/test_search.py: every driver must give the plain query's pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date, timedelta
from typing import Any

from sqlalchemy import String, and_, column, exists, func, literal, or_, select, text

from ..auth.scope import ALL, Scope, current_scope, scoped
from ..core.pagination import PageNumbers
from ..extensions import db
from ..geo import facts
from ..geo.models import COMMUNE_FACTS, Commune, Hamlet
from ..i18n.collation import fold_diacritics
from ..i18n.formatting import local_today
from .models import (
    BHXH_TN_STATUSES,
    POTENTIAL_GROUPS,
    Household,
    Person,
    person_name_tokens,
    person_tags,
    tag_token,
)

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
    #: A fact of the person's commune that holds today (new-rural standard, escaped poverty, island commune).
    commune_fact: str | None = None

    @classmethod
    def from_args(cls, args) -> PeopleFilter:
        """The filters of a query string or form; unknown values are dropped, numbers are not names."""
        name = " ".join((args.get("q") or "").split())[:120]
        if any(ch.isdigit() for ch in name):
            name = ""
        return cls(name=name, **{c.name: c.parse(args.get(c.arg)) for c in CONDITIONS})

    def query_args(self, **extra) -> dict[str, Any]:
        """Query-string arguments that reproduce the filter (the digits of a number search are left out)."""
        args = {"q": self.name or None, **{c.arg: getattr(self, c.name) for c in CONDITIONS}, **extra}
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


# --- The filters, declared once --------------------------------------------------------------------------


@dataclass(frozen=True)
class Drive:
    """How a filter's value can start a search (search_plan.py): a range of a people index, or the search rows
    of a token (a tag's), that holds exactly the people the value selects."""

    #: The people index (named to SQLite, see :func:`people_through`) whose range the value is.
    index: str | None = None
    #: Whether the range is in name order (walked, stopping at COUNT_CAP + 1) or read whole and sorted.
    ordered: bool = True
    #: Whether the index holds every column of :data:`COVERING_COLUMNS` (no people row read for the checks).
    covering: bool = False
    #: The search rows token of a value (``tag_token``) instead of an index: walked like a name word.
    token: Callable[[Any], str] | None = None
    #: Whether a value has a range at all ("compulsory" is a flag, not a status: no range).
    accepts: Callable[[Any], bool] = lambda value: True


@dataclass(frozen=True)
class Condition:
    """One search filter: how a query string gives its value, the SQL it applies, how often sampled people
    pass it, and whether it can drive a search. Every search plan, the plain query and the planner's sample
    read these declarations (:data:`CONDITIONS`), so a new filter is one more of them."""

    #: The :class:`PeopleFilter` field holding the value (None: the filter is off).
    name: str
    #: The query-string argument, and the value it gives (None when absent or not allowed).
    arg: str
    parse: Callable[[Any], Any]
    #: The people columns ``where`` reads: a plan checks the filter on its index rows when they carry them,
    #: and reads the person's row otherwise.
    columns: tuple[str, ...]
    #: ``where(value, today, c)``: the SQL clause on the people columns ``c`` (a table's ``.c``, or a plan's
    #: index rows with the same names).
    where: Callable[[Any, date, Any], Any]
    #: ``test(value, today)``: a function telling whether a sampled person (search_sample.Row, with the same
    #: columns) passes: the planner's estimate of how selective the filter is, with the query's other parts.
    test: Callable[[Any, date], Callable[[Any], bool]]
    #: How the value can start a search, or None (checked on the rows of another driver only).
    drive: Drive | None = None
    #: ``probe(value, sort_key, person_id)``: a cheaper check on a search row's key than ``where`` (a tag:
    #: its own search row), used by every plan instead of ``where``.
    probe: Callable[[Any, Any, Any], Any] | None = None


def _tag_probe(tag: str, sort_key, person_id):
    t = person_name_tokens.alias("tag_row")
    return exists().where(t.c.token == tag_token(tag), t.c.words_after == 0, t.c.sort_key == sort_key,
                          t.c.person_id == person_id)


def _status_where(status: str, today: date, c):
    return c.compulsory_insured.is_(True) if status == "compulsory" else c.bhxh_tn_status == status


def _bhyt_test(choice: str, today: date):
    if choice == "expired":
        return lambda r: r.bhyt_expires_on is not None and r.bhyt_expires_on < today
    if choice == "none":
        return lambda r: r.bhyt_expires_on is None
    end = today + timedelta(days=int(choice))
    return lambda r: r.bhyt_expires_on is not None and today <= r.bhyt_expires_on <= end


def _one_of(choices):
    return lambda value: value if value in choices else None


def _id(value):
    return _int(value, 1, 2**31)


def _age(value):
    return _int(value, 0, 120)


#: Every search filter. The order is the planner's order of preference between equally good drivers.
CONDITIONS: tuple[Condition, ...] = (
    Condition("tag", "tag", _one_of(POTENTIAL_GROUPS), ("id",),
              lambda tag, today, c: exists().where(person_tags.c.person_id == c.id, person_tags.c.tag == tag),
              lambda tag, today: lambda r: tag in r.tags,
              drive=Drive(token=tag_token), probe=_tag_probe),
    Condition("status", "status", _one_of(STATUSES), ("bhxh_tn_status", "compulsory_insured"), _status_where,
              lambda status, today: (lambda r: bool(r.compulsory_insured)) if status == "compulsory"
              else lambda r: r.bhxh_tn_status == status,
              drive=Drive(index="ix_people_status_sort", accepts=lambda status: status != "compulsory")),
    Condition("bhyt", "bhyt", _one_of(BHYT_CHOICES), ("bhyt_expires_on",),
              lambda choice, today, c: bhyt_clause(choice, today, c.bhyt_expires_on), _bhyt_test,
              drive=Drive(index="ix_people_bhyt", ordered=False, covering=True)),
    Condition("hamlet_id", "hamlet", _id, ("hamlet_id",), lambda hamlet, today, c: c.hamlet_id == hamlet,
              lambda hamlet, today: lambda r: r.hamlet_id == hamlet, drive=Drive(index="ix_people_hamlet_sort")),
    # The merged "commune" plan walks the communes of the scope, or this filter's one commune.
    Condition("commune_id", "commune", _id, ("commune_id",), lambda commune, today, c: c.commune_id == commune,
              lambda commune, today: lambda r: r.commune_id == commune),
    Condition("min_age", "min_age", _age, ("date_of_birth",),
              lambda age, today, c: c.date_of_birth <= years_before(today, age),
              lambda age, today: lambda r, born_by=years_before(today, age): (
                  r.date_of_birth is not None and r.date_of_birth <= born_by)),
    Condition("max_age", "max_age", _age, ("date_of_birth",),
              lambda age, today, c: c.date_of_birth > years_before(today, age + 1),
              lambda age, today: lambda r, born_after=years_before(today, age + 1): (
                  r.date_of_birth is not None and r.date_of_birth > born_after)),
    # People living in communes of a kind (dated commune facts, portal.geo.facts).
    Condition("commune_fact", "commune_fact", _one_of(COMMUNE_FACTS), ("commune_id",),
              lambda fact, today, c: facts.holding_clause(c.commune_id, fact, today),
              lambda fact, today: lambda r, ids=facts.communes_holding(fact, today): r.commune_id in ids),
)


def active(f: PeopleFilter) -> list[tuple[Condition, Any]]:
    """The filters a query sets, with their values."""
    return [(c, getattr(f, c.name)) for c in CONDITIONS if getattr(f, c.name) not in (None, "")]


def filter_clauses(f: PeopleFilter, today: date, columns=None) -> list:
    """WHERE clauses of all the filters (not the name or number) on ``columns``, by default the people
    table's."""
    c = Person.__table__.c if columns is None else columns
    return [condition.where(value, today, c) for condition, value in active(f)]


#: The people columns searches and due lists check (and ix_people_sort, ix_people_commune_sort and
#: ix_people_bhyt carry).
COVERING_COLUMNS = ("id", "sort_key", "commune_id", "hamlet_id", "search_name", "bhxh_tn_status",
                    "compulsory_insured", "bhyt_expires_on", "paid_until", "date_of_birth")


def people_through(index: str):
    """The people table read through one of its indexes: on SQLite a derived table ``SELECT ... FROM people
    INDEXED BY index`` (SQLite flattens it and keeps the index, which its planner, blind to LIMIT, might not
    choose), elsewhere the table itself. Either way its ``.c`` has the columns searches and every filter
    (CONDITIONS) check; those the index lacks are read from the people row."""
    if db.engine.dialect.name != "sqlite":
        return Person.__table__
    table = Person.__table__
    names = [*COVERING_COLUMNS]
    names += [name for condition in CONDITIONS for name in condition.columns if name not in names]
    names = list(dict.fromkeys(names))
    columns = [column(name, table.c[name].type) for name in names]
    return text(f"SELECT {', '.join(names)} FROM people INDEXED BY {index}").columns(  # noqa: S608
        *columns).subquery("people_by_index")


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
