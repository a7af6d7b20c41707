"""How a people search reads the database: one *driver*, an index range walked in name order.

Every search or list page is one SQL statement: the rows of one index range, in (sort_key, id) order, each
checked against the rest of the query, with a LIMIT of COUNT_CAP + 1. The first rows make the page, their
number the capped count, so the walk stops as soon as it has found enough. The drivers:

- ``word``: a whole word of the name, in person_name_tokens, keyed (token, sort_key, person_id): the range is
  already in name order and carries the place and the folded name, so the scope, the other words and a tag
  (a probe of the same key) are checked without reading people; the filters on other columns read the
  person's row.
- one per filter that declares a ``drive`` (search.CONDITIONS), named by its argument: ``tag`` (search rows
  "TAG:<tag>", walked like a word), ``status`` (ix_people_status_sort), ``hamlet`` (ix_people_hamlet_sort),
  ``bhyt`` (a card window on ix_people_bhyt, read whole and sorted).
- ``all``: everyone, on ix_people_sort, which holds every column the filters and the name check need.
- ``commune``: everyone in a few communes (the commune filter, or a local office's or an agent's communes),
  one walk of ix_people_commune_sort per commune merged in name order (UNION ALL ... ORDER BY ... LIMIT,
  which both databases merge lazily: SQLite as it is, PostgreSQL with each walk ordered and limited).
  ``word`` and ``tag`` have the same per-commune form on ix_person_name_tokens_commune: for an office that
  serves a tenth of the province it reads a tenth of the rows.
- and two more that are read whole and sorted, for when they are small: ``prefix`` (the unfinished last
  word, a range of words) and ``hamlets`` (an agent's hamlets).

The filters themselves are never named here: each is a search.Condition, checked on a driver's index rows
when they carry the columns it reads (Driver.columns), on the person's row otherwise, or by its probe.

The choice: each candidate's rows are counted up to SIZE_CAP in one round trip, and the smallest is taken
when it has no more than that; otherwise the random sample of people prices them (search_sample.py).
However wrong the estimate, every plan reads index ranges in name order and stops at COUNT_CAP + 1 matches.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace
from typing import Any

from sqlalchemy import exists, false, func, literal_column, select, true, union_all

from ..auth.scope import Scope
from ..extensions import db
from ..i18n.collation import WORD_SEPARATOR, text_collation_key
from . import search_sample
from .models import WORDS_AFTER_MANY, Person, person_name_tokens
from .search import (
    COVERING_COLUMNS,
    Condition,
    PeopleFilter,
    active,
    last_word_is_prefix,
    name_words,
    people_through,
    phrase_clause,
    scope_lists,
)

#: Rows counted per candidate driver: one with at most this many is taken without more ado (reading it
#: whole costs little); larger ones are priced with the sample.
SIZE_CAP = 2_000
#: Most communes walked one by one and merged (an office serves about ten), and most walks merged.
MERGE_MAX = 25
WALKS_MAX = 48


#: The people columns a search row (person_name_tokens) carries, by their people names, and those every people
#: index of a driver has (its place).
TOKEN_COLUMNS = frozenset(("id", "sort_key", "commune_id", "hamlet_id", "search_name"))
PLACE_COLUMNS = frozenset(("id", "sort_key", "commune_id", "hamlet_id"))


@dataclass
class Driver:
    """A candidate index range for a query."""

    name: str
    ordered: bool
    #: Whether its rows are search rows (person_name_tokens) rather than people.
    tokens: bool
    #: The word, prefix or tag token of a search-row driver.
    value: Any = None
    #: The index of a people driver (named to SQLite: see search.people_through).
    index: str | None = None
    #: The communes walked one by one and merged, or None for one walk.
    communes: list[int] | None = None
    size: float = 0.0
    #: Whether ``size`` was counted (exactly, below SIZE_CAP) rather than estimated.
    exact: bool = False
    cost: float = 0.0
    #: The filter whose value the driver's range is (search.CONDITIONS), if any.
    condition: Condition | None = None

    @property
    def columns(self) -> frozenset[str]:
        """The people columns its index rows carry (the filters on others read the person's row)."""
        if self.tokens:
            return TOKEN_COLUMNS
        if self.name in ("all", "commune") or (self.condition and self.condition.drive.covering):
            return frozenset(COVERING_COLUMNS)
        return PLACE_COLUMNS

    @property
    def label(self) -> str:
        return self.name if self.communes is None or self.name == "commune" else f"{self.name} by commune"


@dataclass
class Query:
    """A name search or list page, parsed, with the scope as lists of ids."""

    f: PeopleFilter
    scope: Scope
    today: date
    words: list[str]
    prefix: bool
    #: Communes and (for an agent) hamlets of the scope; None: every one.
    communes: list[int] | None = None
    hamlets: list[int] | None = None


def _successor(word: str) -> str:
    return word[:-1] + chr(ord(word[-1]) + 1)


def _token_condition(column, driver: Driver):
    if driver.name == "prefix":
        return (column >= driver.value) & (column < _successor(driver.value))
    return column == driver.value


def _candidates(q: Query, last_whole: bool = False) -> list[Driver]:
    """The drivers a query may use; with ``last_whole`` the last word is a candidate both as a whole word
    and as a prefix (until its count says which it is)."""
    f, n = q.f, len(q.words)
    found = [Driver("word", True, True, value=w) for i, w in enumerate(q.words)
             if not (q.prefix and i == n - 1) or (last_whole and i == n - 1)]
    if q.words and q.prefix:
        found.append(Driver("prefix", False, True, value=q.words[-1]))
    for condition, value in active(f):
        drive = condition.drive
        if drive is None or not drive.accepts(value):
            continue
        if drive.token is not None:
            found.append(Driver(condition.arg, True, True, value=drive.token(value), condition=condition))
        else:
            found.append(Driver(condition.arg, drive.ordered, False, index=drive.index, condition=condition))
    if q.hamlets is not None:
        found.append(Driver("hamlets", False, False, index="ix_people_hamlet_sort"))
    found.append(Driver("all", True, False, index="ix_people_sort"))
    communes = [f.commune_id] if f.commune_id else q.communes
    if communes is not None and f.commune_id and q.communes is not None and f.commune_id not in q.communes:
        communes = []  # a commune outside the scope: nobody
    if communes is not None and len(communes) <= MERGE_MAX:
        found.append(Driver("commune", True, False, index="ix_people_commune_sort", communes=communes))
        found += [Driver(d.name, True, True, value=d.value, communes=communes, condition=d.condition) for d in found
                  if d.tokens and d.ordered and len(communes) * len(walks(d, q)) <= WALKS_MAX]
    return found


def _own_rows(driver: Driver, q: Query):
    """A select of the rows of a driver's range alone, over the whole country (for counting it)."""
    tokens = person_name_tokens.c
    if driver.tokens:
        return select(tokens.person_id).where(_token_condition(tokens.token, driver))
    if driver.name == "hamlets":
        return select(Person.id).where(Person.hamlet_id.in_(q.hamlets))
    value = getattr(q.f, driver.condition.name)
    return select(Person.id).where(driver.condition.where(value, q.today, Person.__table__.c))


def _capped(stmt, cap: int):
    return select(func.count()).select_from(stmt.limit(cap + 1).subquery()).scalar_subquery()


def _primary(key: str) -> str:
    """The letters part of a one-word collation key (codes are two characters and never start with 0)."""
    for index in range(0, len(key), 2):
        if key[index] == "0":
            return key[:index]
    return key


#: The Vietnamese letters a folded letter stands for, lowest and highest in the alphabet's order.
_VARIANTS = {"a": ("a", "â"), "d": ("d", "đ"), "e": ("e", "ê"), "o": ("o", "ơ"), "u": ("u", "ư")}


def given_name_keys(word: str, prefix: bool) -> tuple[str, str]:
    """[low, high) around the sort keys of the names whose given name, folded, is ``word`` (or starts with it):
    a sort key begins with the given name's letters (collation_key), and a folded letter stands for letters
    next to each other in the alphabet (a ă â, d đ, e ê, o ô ơ, u ư)."""
    low = _primary(text_collation_key("".join(_VARIANTS.get(ch, (ch, ch))[0] for ch in word)))
    high = _primary(text_collation_key("".join(_VARIANTS.get(ch, (ch, ch))[1] for ch in word)))
    if prefix:
        return low, high[:-1] + chr(ord(high[-1]) + 1)
    return low + WORD_SEPARATOR, high + "02"  # then the next word, or the end of the given name part


def walks(driver: Driver, q: Query) -> list[tuple[int | None, tuple[str, str] | None]]:
    """The (words_after, sort key range) of each ordered walk of a search-row driver (one walk, (None, None),
    for the others).

    A match's phrase either ends the name, or not. If the driver's word is the i-th of k query words, with
    t = k - 1 - i after it, then where the phrase ends the name the word has exactly t words after it and the
    given name is the last query word: one walk of (word, t) within that given name's sort keys, dense with
    matches. Elsewhere the word has more than t words after it: one walk for each words_after above t (few
    people have such long names). A name whose words are irregular has WORDS_AFTER_MANY on every word.
    """
    if driver.tokens and driver.name not in ("word", "prefix"):
        return [(0, None)]  # a filter's token (a tag): its rows have words_after 0
    if driver.name != "word":
        return [(None, None)]
    after = len(q.words) - 1 - q.words.index(driver.value)
    if after >= WORDS_AFTER_MANY:
        return [(WORDS_AFTER_MANY, None)]
    return [(after, given_name_keys(q.words[-1], q.prefix)),
            *((more, None) for more in range(after + 1, WORDS_AFTER_MANY + 1))]


def _place(q: Query, hamlet_column, commune_column, commune: int | None) -> list:
    """The scope on an index row (``commune``: the one commune an arm walks)."""
    where = []
    if commune is not None:
        where.append(commune_column == commune)
    elif q.communes is not None:
        where.append(commune_column.in_(q.communes) if q.communes else false())
    if q.hamlets is not None:
        where.append(hamlet_column.in_(q.hamlets) if q.hamlets else false())
    return where


def _filters(driver: Driver, q: Query, rows, commune: int | None) -> tuple[list, list, list]:
    """The filters of the query as (clauses on the index ``rows``, clauses on the person's row, probes), each
    where the driver's rows let it be checked most cheaply."""
    on_rows, on_person, probes = [], [], []
    for condition, value in active(q.f):
        if driver.tokens and condition is driver.condition:
            continue  # the driver's own search rows
        if condition.name == "commune_id" and commune is not None:
            continue  # the arm walks that commune
        if condition.probe is not None:
            probes.append(condition.probe(value, rows.sort_key, rows.id))
        elif set(condition.columns) <= driver.columns or not driver.tokens:
            on_rows.append(condition.where(value, q.today, rows))
        else:
            on_person.append(condition.where(value, q.today, Person.__table__.c))
    return on_rows, on_person, probes


def _arm(driver: Driver, q: Query, commune: int | None, source, after: int | None = None,
         keys: tuple[str, str] | None = None):
    """A select of (id, sort key) of the people one walk of ``source`` (the search rows, or people through
    the driver's index) finds (no order: see :func:`statement`)."""
    if driver.tokens:
        d = source
        rows = SimpleNamespace(id=d.c.person_id, sort_key=d.c.sort_key, commune_id=d.c.commune_id,
                               hamlet_id=d.c.hamlet_id, search_name=d.c.search_name)
        on_rows, on_person, probes = _filters(driver, q, rows, commune)
        where = [_token_condition(d.c.token, driver), *_place(q, d.c.hamlet_id, d.c.commune_id, commune), *on_rows]
        if after is not None:
            where.append(d.c.words_after == after)
        if keys is not None:
            where += [d.c.sort_key >= keys[0], d.c.sort_key < keys[1]]
        if q.words and not (driver.name == "prefix" and len(q.words) == 1):
            where.append(phrase_clause(q.words, q.prefix, d.c.search_name))
        where += probes
        if on_person:
            where.append(exists().where(Person.id == d.c.person_id, *on_person))
        stmt = select(d.c.person_id.label("id"), d.c.sort_key.label("sort_key")).where(*where)
        return stmt.distinct() if driver.name == "prefix" else stmt  # two words may start with the prefix
    p = source.c
    on_rows, _on_person, probes = _filters(driver, q, p, commune)
    where = [*_place(q, p.hamlet_id, p.commune_id, commune), *on_rows]
    if q.words:
        where.append(phrase_clause(q.words, q.prefix, p.search_name))
    return select(p.id.label("id"), p.sort_key.label("sort_key")).where(*where, *probes)


def statement(driver: Driver, q: Query, limit: int):
    """The one SQL statement of a plan: (id, sort key) of the first ``limit`` people in name order."""
    if driver.communes == []:
        return select(literal_column("0").label("id"), literal_column("''").label("sort_key")).where(false())
    source = person_name_tokens.alias("d") if driver.tokens else people_through(driver.index)
    arms = [_arm(driver, q, commune, source, after, keys) for commune in driver.communes or [None]
            for after, keys in walks(driver, q)]
    order = (literal_column("sort_key"), literal_column("id"))
    if len(arms) == 1:
        return arms[0].order_by(*order).limit(limit)
    if db.engine.dialect.name == "postgresql":  # a Merge Append of limited arms; else it sorts them all
        arms = [arm.order_by(*order).limit(limit) for arm in arms]
    return union_all(*arms).order_by(*order).limit(limit)


def _sizes(drivers: list[Driver], q: Query) -> None:
    """Count the candidates' rows up to SIZE_CAP, in one round trip (the merged ones: see the sample)."""
    counted = [d for d in drivers if d.name not in ("all", "commune") and d.communes is None]
    if counted:
        row = db.session.execute(select(*[_capped(_own_rows(d, q), SIZE_CAP) for d in counted])).one()
        for d, size in zip(counted, row, strict=True):
            d.size, d.exact = float(size), size <= SIZE_CAP
    for d in drivers:
        if d.communes is not None and d.name != "commune":
            d.size = next(c.size for c in counted if c.name == d.name and c.value == d.value)


def choose(q: Query, need: int, driver: str | None = None) -> Driver:
    """The driver of a query: the one named (tests, benchmarks; its label, e.g. "word by commune"), or the
    cheapest."""
    ambiguous = len(q.words) > 1 and len(q.words[-1]) > 1  # the last word: whole, or being typed?
    if ambiguous:
        q.prefix = True
    drivers = _candidates(q, last_whole=ambiguous)
    _sizes(drivers, q)
    if ambiguous:
        whole = next(d.size for d in drivers if d.name == "word" and d.value == q.words[-1])
        q.prefix = last_word_is_prefix(q.words, int(whole))
        drivers = [d for d in drivers if not (d.name == "word" and d.value == q.words[-1] and q.prefix)
                   and not (d.name == "prefix" and not q.prefix)]
    if driver is not None:
        named = [d for d in drivers if d.label == driver]
        if not named:
            raise ValueError(f"no {driver} driver for this query")
        return named[0]
    counted = [d for d in drivers if d.name not in ("all", "commune") and d.communes is None]
    small = min(counted, key=lambda d: (d.size, not d.ordered), default=None)
    if small is not None and small.size <= SIZE_CAP:
        merged = [d for d in drivers if d.communes is not None and d.name == small.name and d.value == small.value]
        return merged[0] if merged and small.size else small  # a merged walk reads only its communes' rows
    search_sample.price(q, drivers, need, SIZE_CAP, walks)
    return min(drivers, key=lambda d: (d.cost, not d.ordered))


def find(f: PeopleFilter, scope: Scope, today: date, limit: int, *, driver: str | None = None) -> tuple[str, list[int]]:
    """(the driver's label, the ids of the first ``limit`` people the filter finds in name order)."""
    words = name_words(f.name)
    communes, hamlets = scope_lists(scope)
    q = Query(f=f, scope=scope, today=today, words=words, prefix=len(words) < 2 or len(words[-1]) == 1,
              communes=communes, hamlets=hamlets)
    chosen = choose(q, limit, driver)
    if chosen.exact and chosen.size == 0:
        return chosen.label, []
    _serial_walks()
    return chosen.label, [row[0] for row in db.session.execute(statement(chosen, q, limit))]


def _serial_walks() -> None:
    """No parallel workers for the rest of this transaction on PostgreSQL: a walk stops after a thousand
    rows, and workers (planned when a range looks long) would only add their start-up time."""
    if db.engine.dialect.name != "postgresql":
        return
    transaction = db.session().get_transaction()
    if db.session.info.get("serial_walks") is not transaction:
        db.session.execute(select(func.set_config("max_parallel_workers_per_gather", "0", true())))
        db.session.info["serial_walks"] = transaction
