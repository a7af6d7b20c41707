"""Finding people fast on a province: name words, phone and ID numbers, filters; due-payment lists.

A search picks one of three plans, because no single index answers every question on a million people:

- ``number``: a phone, CCCD or insurance code is an equality on a unique or indexed column.
- ``candidates``: something selective narrows the people to a few thousand ids first (the rarest word of the
  name in ``person_name_tokens``, intersected with the other words; or a potential-group tag); those are
  checked against the scope and filters and sorted by the Vietnamese sort key.
- ``walk``: nothing is selective (no name, or only very common words such as "nguyen van"), so matches are
  dense: each commune (or hamlet) of the scope is walked in sort-key order on its ``(commune_id, sort_key)``
  index until it gives a page, and the short per-commune lists are merged.

Counts stop at :data:`COUNT_CAP` ("more than 1,000"), and pages stop there too: past that, narrow the search.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Integer, String, and_, any_, bindparam, exists, func, or_, select, tuple_
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import aliased

from ..auth.scope import AGENT, OFFICE, PROVINCE, Scope, current_scope, scoped
from ..extensions import db
from ..geo.models import Commune, Hamlet
from ..i18n.collation import fold_diacritics
from ..i18n.formatting import local_today
from ..org.models import Agent, agent_hamlets
from .models import BHXH_TN_STATUSES, POTENTIAL_GROUPS, Household, Person, person_name_tokens, person_tags

COUNT_CAP = 1000
PER_PAGE = 25
#: Index entries counted per candidate source at first; the typed last word (usually the given name) is
#: counted further when every source is common.
FIRST_COUNT_CAP = 5_000
LAST_WORD_COUNT_CAP = 150_000
#: People among whom a whole name word is counted to estimate its share (ids are in no name order).
SAMPLE_IDS = 20_000
#: Share of people assumed for a tag or card window counted past the cap.
COMMON_SHARE = 0.4
#: Rough costs in microseconds, measured on SQLite with a warm cache (PostgreSQL is of the same order): a
#: probe of the (token, person_id) key; a candidate people row read, checked and sorted; a row read while
#: walking the sort index.
PROBE_US = 0.5
CANDIDATE_ROW_US = 2.5
WALK_ROW_US = 1.3
#: Most candidate ids listed first on PostgreSQL, whose planner misjudges the size of a token intersection
#: and then joins the scope badly; SQLite runs the ids as a sub-query.
IDS_LIST_MAX = 60_000
#: Most communes or hamlets merged by the walk plan (beyond that, e.g. an admin's whole country, one query).
WALK_UNITS_MAX = 400
#: Most rows an export writes.
EXPORT_MAX = 50_000
STATUSES = (*BHXH_TN_STATUSES, "compulsory")
BHYT_CHOICES = ("30", "60", "90", "expired", "none")
MAX_WORDS = 6


def _years_before(day: date, years: int) -> date:
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
class SearchResult:
    """One page of people, with a count that stops at COUNT_CAP; quacks like core Page for the pager."""

    rows: list
    page: int
    per_page: int
    count: int
    more: bool
    plan: str

    @property
    def items(self) -> list:
        return self.rows

    @property
    def total(self) -> int:
        return self.count

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def first_index(self) -> int:
        return 0 if not self.count else (self.page - 1) * self.per_page + 1

    @property
    def last_index(self) -> int:
        return min(self.count, self.page * self.per_page)


def name_words(name: str) -> list[str]:
    """The folded words of a name query, without repeats."""
    words: list[str] = []
    for word in fold_diacritics(name).split():
        word = word[:40]
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _successor(word: str) -> str:
    return word[:-1] + chr(ord(word[-1]) + 1)


def _token_match(column, word: str, prefix: bool):
    # A range rather than LIKE 'w%': it uses the (token, person_id) key on both databases.
    return and_(column >= word, column < _successor(word)) if prefix else column == word


def phrase_clause(words: list[str], prefix: bool = True):
    """The words, in this order, starting at word starts of the folded name; with ``prefix`` the last word may
    be unfinished, otherwise it must end where a word ends."""
    phrase = _escape_like(" ".join(words))
    # LIKEs on the bare column rather than on ' ' || search_name: PostgreSQL then estimates them from the
    # column's statistics, and walks the sort index for common words instead of sorting a whole commune.
    if prefix:
        return or_(Person.search_name.like(phrase + "%", escape="\\"),
                   Person.search_name.like("% " + phrase + "%", escape="\\"))
    return or_(Person.search_name == " ".join(words), Person.search_name.like(phrase + " %", escape="\\"),
               Person.search_name.like("% " + phrase, escape="\\"),
               Person.search_name.like("% " + phrase + " %", escape="\\"))


def last_word_is_prefix(words: list[str], whole_word_count: int) -> bool:
    """Whether the last word is read as unfinished: when it is the only word, a single letter, or no name has
    it as a whole word ("nguyen van an" finds An and Ân; "nguyen van tua" finds Tuấn)."""
    return len(words) == 1 or len(words[-1]) == 1 or whole_word_count == 0


def number_clause(digits: str):
    """12 digits: a CCCD; 10 digits: a phone or a social insurance code."""
    if len(digits) == 12:
        return Person.cccd == digits
    return or_(Person.phone == digits, Person.bhxh_code == digits)


def filter_clauses(f: PeopleFilter, today: date) -> list:
    """WHERE clauses of the filters (not the name or number)."""
    clauses = []
    if f.commune_id:
        clauses.append(Person.commune_id == f.commune_id)
    if f.hamlet_id:
        clauses.append(Person.hamlet_id == f.hamlet_id)
    if f.tag:
        clauses.append(exists().where(person_tags.c.person_id == Person.id, person_tags.c.tag == f.tag))
    if f.status == "compulsory":
        clauses.append(Person.compulsory_insured.is_(True))
    elif f.status:
        clauses.append(Person.bhxh_tn_status == f.status)
    if f.bhyt == "expired":
        clauses.append(Person.bhyt_expires_on < today)
    elif f.bhyt == "none":
        clauses.append(Person.bhyt_expires_on.is_(None))
    elif f.bhyt:
        clauses.append(Person.bhyt_expires_on.between(today, today + timedelta(days=int(f.bhyt))))
    if f.min_age is not None:
        clauses.append(Person.date_of_birth <= _years_before(today, f.min_age))
    if f.max_age is not None:
        clauses.append(Person.date_of_birth > _years_before(today, f.max_age + 1))
    return clauses


@dataclass
class _Source:
    """A selective condition that yields candidate person ids, and what using it would cost."""

    ids: Any = field(repr=False)
    #: Entries read from its index (exact up to the cap).
    size: int
    #: Probes and people rows it leads to, estimated.
    cost_us: float = 0.0
    #: The part of that spent in index entries alone (the whole list of ids, before any people row).
    ids_us: float = 0.0
    #: Share of people expected to match the whole query (used to price the walk instead).
    share: float = 1.0


def _capped(stmt, cap: int) -> Any:
    return select(func.count()).select_from(stmt.limit(cap + 1).subquery()).scalar_subquery()


@dataclass
class _Plan:
    """How to find a query's people: candidate sources with their prices, and how the name is matched."""

    sources: list[_Source]
    #: Share of people expected to match (used to price walking the sort index).
    share: float
    #: Whether the last word of the name is matched as the start of a word.
    prefix: bool


def _plan(words: list[str], f: PeopleFilter, today: date) -> _Plan:
    """Size the candidate sources of a query in one round trip, decide how the last word matches, price them.

    Each source is counted up to FIRST_COUNT_CAP. A whole name word is also counted among the first
    SAMPLE_IDS people (the (token, person_id) key makes that a short range), which estimates its share of
    people even when it is common ("nguyen" 38%, "van" 26%). When nothing is rare, a second round trip counts
    the unfinished last word, the tag and the card window further. The name source starts from its rarest
    word and checks the other whole words on the key before any people row is read.
    """
    tokens = person_name_tokens.c
    n = len(words)
    window = None
    if f.bhyt and f.bhyt.isdigit():
        window = Person.bhyt_expires_on.between(today, today + timedelta(days=int(f.bhyt)))
    whole = [select(tokens.person_id).where(tokens.token == w) for w in words]
    sampled = [select(tokens.person_id).where(tokens.token == w, tokens.person_id <= bindparam("sample_ids"))
               for w in words]
    others = {}  # source name -> ids select (counted up to the cap)
    if words:
        others["prefix"] = select(tokens.person_id).where(_token_match(tokens.token, words[-1], True))
    if f.tag:
        others["tag"] = select(person_tags.c.person_id).where(person_tags.c.tag == f.tag)
    if window is not None:
        others["window"] = select(Person.id).where(window)
    if not words and not others:
        return _Plan([], 1.0, True)
    people = max(db.session.scalar(select(func.max(Person.id))) or 0, 1)
    sample = min(people, SAMPLE_IDS)
    row = db.session.execute(select(*[_capped(c, FIRST_COUNT_CAP) for c in [*whole, *others.values()]],
                                    *[_capped(c, SAMPLE_IDS) for c in sampled]), {"sample_ids": sample}).one()
    whole_counts, other_counts = list(row[:n]), dict(zip(others, row[n:n + len(others)], strict=True))
    samples = list(row[n + len(others):])
    prefix = last_word_is_prefix(words, whole_counts[-1]) if words else True

    # Sizes in index entries (exact up to the cap, else estimated or unknown) and shares of people.
    word_sizes: list[float | None] = []
    for i in range(n):
        if i == n - 1 and prefix:
            count = other_counts["prefix"]
            word_sizes.append(float(count) if count <= FIRST_COUNT_CAP else None)
        else:
            count = whole_counts[i]
            word_sizes.append(float(count) if count <= FIRST_COUNT_CAP else samples[i] / sample * people)
    other_sizes = {k: (float(c) if c <= FIRST_COUNT_CAP else None) for k, c in other_counts.items() if k != "prefix"}
    rare = [x for x in [*word_sizes, *other_sizes.values()] if x is not None and x <= FIRST_COUNT_CAP]
    if not rare:
        again = {}
        if words and prefix and word_sizes[-1] is None:
            again["prefix"] = others["prefix"]
        again.update({k: others[k] for k, v in other_sizes.items() if v is None})
        if again:
            recounted = db.session.execute(select(*[_capped(c, LAST_WORD_COUNT_CAP) for c in again.values()])).one()
            for key, count in zip(again, recounted, strict=True):
                size = float(count) if count <= LAST_WORD_COUNT_CAP else None
                if key == "prefix":
                    word_sizes[-1] = size
                else:
                    other_sizes[key] = size

    def share_of(size: float | None) -> float:
        return COMMON_SHARE if size is None else min(1.0, size / people)

    share = 1.0
    for size in [*word_sizes, *other_sizes.values()]:
        share *= share_of(size)
    sources: list[_Source] = []
    known = [i for i in range(n) if word_sizes[i] is not None]
    if known:
        lead = min(known, key=lambda i: word_sizes[i])
        t0 = aliased(person_name_tokens, name="t0")
        ids = select(t0.c.person_id).where(_token_match(t0.c.token, words[lead], prefix and lead == n - 1))
        size = word_sizes[lead]
        rows, probes = size, 0.0
        # The other whole words, rarest first (an unfinished last word is left to the LIKE on the name).
        checks = [i for i in range(n) if i != lead and not (prefix and i == n - 1)]
        for i in sorted(checks, key=lambda i: word_sizes[i] if word_sizes[i] is not None else people):
            t = aliased(person_name_tokens, name=f"t{i + 1}")
            ids = ids.where(exists().where(t.c.token == words[i], t.c.person_id == t0.c.person_id))
            probes += rows
            rows *= share_of(word_sizes[i])
        sources.append(_Source(ids=ids, size=int(size), cost_us=PROBE_US * (size + probes) + CANDIDATE_ROW_US * rows,
                               ids_us=PROBE_US * (size + probes)))
    for key, size in other_sizes.items():
        if size is not None:
            sources.append(_Source(ids=others[key], size=int(size), cost_us=(PROBE_US + CANDIDATE_ROW_US) * size,
                                   ids_us=PROBE_US * size))
    return _Plan(sources, share, prefix)


def _among(source: _Source):
    """People among a source's candidate ids."""
    if db.engine.dialect.name == "postgresql":
        ids = list(db.session.scalars(source.ids.limit(IDS_LIST_MAX + 1)))
        if len(ids) <= IDS_LIST_MAX:
            return Person.id == any_(bindparam("candidate_ids", ids, type_=postgresql.ARRAY(Integer)))
    return Person.id.in_(source.ids)


def _walk_units(f: PeopleFilter, scope: Scope) -> tuple[Any, list[int]] | None:
    """The index column and the values to walk separately, or None to run one query."""
    if f.hamlet_id or f.commune_id:
        return None
    if scope.kind == AGENT:
        return Person.hamlet_id, list(db.session.scalars(scope.hamlet_ids()))
    if scope.kind in (OFFICE, PROVINCE):
        return Person.commune_id, list(db.session.scalars(scope.commune_ids()))
    if scope.is_all:
        return Person.commune_id, list(db.session.scalars(select(Commune.id).where(
            exists().where(Person.commune_id == Commune.id)).limit(WALK_UNITS_MAX + 1)))
    return None


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
                  today: date | None = None) -> SearchResult:
    """One page of the people a filter finds in the scope, in Vietnamese name order (see the module doc)."""
    scope = scope or current_scope()
    today = today or local_today()
    page = max(1, min(page, COUNT_CAP // per_page))
    start = (page - 1) * per_page
    base = scoped(Person, select(Person.id), scope=scope).where(*filter_clauses(f, today))
    order = (Person.sort_key, Person.id)

    if f.digits:
        ids = list(db.session.scalars(base.where(number_clause(f.digits)).order_by(*order).limit(COUNT_CAP + 1)))
        return _result(ids, page, per_page, "number")

    words = name_words(f.name)
    plan = _plan(words, f, today)
    sources, share = plan.sources, plan.share
    if words:
        base = base.where(phrase_clause(words, plan.prefix))
    if any(s.size == 0 for s in sources):
        return _result([], page, per_page, "candidates")
    units = _walk_units(f, scope)
    n_units = len(units[1]) if units and 1 < len(units[1]) <= WALK_UNITS_MAX else 1
    # Walking reads about (a few rows per unit + the page + the capped count) / share rows.
    walk_us = WALK_ROW_US * (3 * n_units + start + per_page + COUNT_CAP) / max(share, 1e-6)
    best = min(sources, key=lambda s: s.cost_us, default=None)
    if best is not None and best.cost_us < walk_us:
        ids = list(db.session.scalars(base.where(_among(best)).order_by(*order).limit(COUNT_CAP + 1)))
        return _result(ids, page, per_page, "candidates")

    # Counting needs no order: through the cheapest source's ids when listing them costs less than scanning.
    scan_us = WALK_ROW_US * COUNT_CAP / max(share, 1e-6)
    by_source = best is not None and best.ids_us + CANDIDATE_ROW_US * COUNT_CAP < scan_us
    counted = base.where(_among(best)) if by_source else base
    count = db.session.scalar(select(func.count()).select_from(counted.limit(COUNT_CAP + 1).subquery())) or 0
    if n_units > 1:
        ids = _walk(base, units[0], units[1], start + per_page)[start:start + per_page]
        how = "walk"
    else:
        ids = list(db.session.scalars(base.order_by(*order).offset(start).limit(per_page)))
        how = "plain"
    return SearchResult(rows=_load(ids), page=page, per_page=per_page, count=min(count, COUNT_CAP),
                        more=count > COUNT_CAP, plan=how)


def _walk(base, column, values: list[int], wanted: int) -> list[int]:
    """The first ``wanted`` ids of ``base`` in sort order, merged from one walk of the sort index per unit.

    First every unit gives a few rows; then only the units that may hold more rows before the wanted-th
    key are asked again, between their last row and that key. Each step is one UNION ALL query.
    """
    first = -(-wanted * 2 // len(values)) + 1
    rows: dict[int, list[tuple]] = {v: [] for v in values}
    for value, row in zip(values, _branches(base, column, [(v, None, None, first) for v in values]), strict=True):
        rows[value] = row
    merged = sorted(r for branch in rows.values() for r in branch)
    bound = merged[wanted - 1] if len(merged) >= wanted else None
    again = [(v, rows[v][-1], bound, wanted) for v in values
             if len(rows[v]) == first and (bound is None or rows[v][-1] < bound)]
    if again:
        for (value, _after, _bound, _limit), row in zip(again, _branches(base, column, again), strict=True):
            rows[value].extend(row)
        merged = sorted(r for branch in rows.values() for r in branch)
    return [r[1] for r in merged[:wanted]]


def _branches(base, column, asks: list[tuple]) -> list[list[tuple]]:
    """Run one walk per (unit, after, up to, limit) in a single UNION ALL; (sort key, id) rows per unit.

    The branches differ only in their parameters, so one branch is compiled and its SQL repeated with the
    parameters renamed: building a hundred SQLAlchemy subqueries costs more than running them.
    """
    result: list[list[tuple]] = [[] for _ in asks]
    groups: dict[tuple[bool, bool], list[int]] = defaultdict(list)
    for index, (_value, after, upto, _limit) in enumerate(asks):
        groups[(after is not None, upto is not None)].append(index)
    for (has_after, has_upto), indexes in groups.items():
        stmt = base.add_columns(Person.sort_key).where(column == bindparam("w_unit"))
        if has_after:
            stmt = stmt.where(tuple_(Person.sort_key, Person.id) > tuple_(bindparam("w_after_key", type_=String),
                                                                          bindparam("w_after_id", type_=Integer)))
        if has_upto:
            stmt = stmt.where(tuple_(Person.sort_key, Person.id) <= tuple_(bindparam("w_upto_key", type_=String),
                                                                           bindparam("w_upto_id", type_=Integer)))
        stmt = stmt.order_by(Person.sort_key, Person.id).limit(bindparam("w_limit", type_=Integer))
        per_branch = []
        for index in indexes:
            value, after, upto, limit = asks[index]
            values = {"w_unit": value, "w_limit": limit}
            if after is not None:
                values.update(w_after_key=after[0], w_after_id=after[1])
            if upto is not None:
                values.update(w_upto_key=upto[0], w_upto_id=upto[1])
            per_branch.append((index, values))
        sql, params = _union_of(stmt, per_branch)
        for unit, person_id, sort_key in db.session.connection().exec_driver_sql(sql, params):
            result[unit].append((sort_key, person_id))
    for branch in result:
        branch.sort()
    return result


_NAMED_PARAM = re.compile(r"%\((\w+)\)s")


def _union_of(stmt, per_branch: list[tuple[int, dict]]) -> tuple[str, Any]:
    """The SQL and driver parameters of ``stmt`` repeated once per (index, parameter values), tagged with
    the index, joined with UNION ALL (qmark style for SQLite, pyformat for psycopg)."""
    compiled = stmt.compile(dialect=db.engine.dialect)
    defaults = compiled.params
    if compiled.positional:
        order = compiled.positiontup
        parts, params = [], []
        for index, values in per_branch:
            parts.append(f"SELECT {int(index)} AS unit, * FROM ({compiled.string})")  # noqa: S608 - values stay bound
            params.extend(values.get(name, defaults.get(name)) for name in order)
        return " UNION ALL ".join(parts), tuple(params)
    parts, named = [], {}
    for index, values in per_branch:
        body = _NAMED_PARAM.sub(lambda m, i=index: f"%({m.group(1)}_b{i})s", compiled.string)
        parts.append(f"SELECT {int(index)} AS unit, b{int(index)}.* FROM ({body}) AS b{int(index)}")  # noqa: S608
        named.update({f"{name}_b{index}": values.get(name, value) for name, value in defaults.items()})
    return " UNION ALL ".join(parts), named


def _result(ids: list[int], page: int, per_page: int, plan: str) -> SearchResult:
    start = (page - 1) * per_page
    return SearchResult(rows=_load(ids[start:start + per_page]), page=page, per_page=per_page,
                        count=min(len(ids), COUNT_CAP), more=len(ids) > COUNT_CAP, plan=plan)


def export_people(f: PeopleFilter, *, scope: Scope | None = None, today: date | None = None,
                  limit: int | None = None) -> list | None:
    """Every person the filter finds (as search rows, in name order), or None when there are more than
    ``limit`` (default EXPORT_MAX)."""
    limit = EXPORT_MAX if limit is None else limit
    scope = scope or current_scope()
    today = today or local_today()
    base = scoped(Person, select(Person.id), scope=scope).where(*filter_clauses(f, today))
    words = name_words(f.name)
    plan = _plan(words, f, today)
    if words:
        base = base.where(phrase_clause(words, plan.prefix))
    best = min(plan.sources, key=lambda s: s.cost_us, default=None)
    if best is not None:
        base = base.where(_among(best))
    count = db.session.scalar(select(func.count()).select_from(base.limit(limit + 1).subquery())) or 0
    if count > limit:
        return None
    ids = list(db.session.scalars(base.order_by(Person.sort_key, Person.id)))
    rows = []
    for chunk in range(0, len(ids), 2000):
        rows.extend(_load(ids[chunk:chunk + 2000]))
    return rows


# --- Due-payment and lapse lists -------------------------------------------------------------------------

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


def due_clause(kind: str, start: date | None, end: date | None):
    """Who is on a due list (each kind's window is a range on the paid-until or card-expiry index)."""
    if kind == "paid_until":
        return and_(Person.bhxh_tn_status == "participating", Person.paid_until.between(start, end))
    if kind == "stopped":
        if start is None:
            return Person.bhxh_tn_status == "stopped"
        return and_(Person.bhxh_tn_status == "stopped", Person.paid_until.between(start, end))
    return Person.bhyt_expires_on.between(start, end)


def due_query(kind: str, *, start: date | None, end: date | None, scope: Scope | None = None):
    """A select of the people on a due list in the scope (``kind`` "bhyt" means either card list)."""
    kind = "bhyt_expiring" if kind == "bhyt" else kind
    return scoped(Person, select(Person), scope=scope).where(due_clause(kind, start, end))


def _due_clauses(f: DueFilter, scope: Scope, today: date) -> list:
    """The WHERE clauses of a due list: scope, kind and window, and the place or agent asked for.

    When the list covers a few hamlets (an agent's, one hamlet, one agent's) they are also given as a short
    list, so that both databases read those hamlets on their index instead of the whole window.
    """
    start, end = f.window(today)
    clauses = [Person.scope_clause(scope), due_clause(f.kind, start, end)]
    if f.commune_id:
        clauses.append(Person.commune_id == f.commune_id)
    hamlets: list[int] | None = None
    if f.hamlet_id:
        hamlets = [f.hamlet_id]
    if f.agent_id:
        hamlets = list(db.session.scalars(select(agent_hamlets.c.hamlet_id)
                                          .where(agent_hamlets.c.agent_id == f.agent_id)))
        if f.hamlet_id:
            hamlets = [h for h in hamlets if h == f.hamlet_id]
    if hamlets is None and scope.kind == AGENT:
        hamlets = list(db.session.scalars(scope.hamlet_ids()))
    if hamlets is not None:
        clauses.append(Person.hamlet_id.in_(hamlets) if hamlets else Person.id.is_(None))
    return clauses


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


def _due_rows(clauses: list) -> list:
    """The rows a due list shows and exports: (Person, head, address, hamlet id, hamlet, commune)."""
    return db.session.execute(
        select(Person, Household.head_name, Household.address, Hamlet.id, Hamlet.name, Commune.name)
        .join(Household, Household.id == Person.household_id).join(Hamlet, Hamlet.id == Person.hamlet_id)
        .join(Commune, Commune.id == Person.commune_id).where(*clauses)).all()


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
    clauses = _due_clauses(f, scope, today)
    by_hamlet = dict(db.session.execute(
        select(Person.hamlet_id, func.count()).where(*clauses).group_by(Person.hamlet_id)).all())
    total = sum(by_hamlet.values())
    listed = total <= detail_max
    rows = _due_rows(clauses) if listed and total else []
    if listed:
        date_key = _row_date_key(f.kind)
        rows.sort(key=lambda row: (date_key(row), row[0].sort_key, row[0].id))
    hamlets = {h.id: h for h in db.session.execute(
        select(Hamlet.id, Hamlet.name, Hamlet.sort_key, Commune.name.label("commune"), Commune.sort_key.label("ck"))
        .join(Commune, Commune.id == Hamlet.commune_id).where(Hamlet.id.in_(list(by_hamlet)))).all()} \
        if by_hamlet else {}
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
        groups = [DueGroup(key=h, name=hamlets[h].name, detail=hamlets[h].commune, count=n)
                  for h, n in by_hamlet.items()]
        groups.sort(key=lambda g: (hamlets[g.key].ck, hamlets[g.key].sort_key, g.key))
        index = {g.key: g for g in groups}
        for row in rows:
            index[row[3]].rows.append(row)
    return DueList(groups=groups, total=total, listed=listed, start=start, end=end)


def _agent_order(agent_ids: list[int]) -> list[int]:
    if not agent_ids:
        return []
    return list(db.session.scalars(select(Agent.id).where(Agent.id.in_(agent_ids)).order_by(Agent.sort_key,
                                                                                             Agent.id)))
