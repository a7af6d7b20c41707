"""Native full-text search drivers for the people search, behind the planner's interface, for comparison.

Each driver answers ``find(f, scope, today, limit)`` like :func:`portal.households.search_plan.find`: the
ids of the first ``limit`` people a filter finds in the scope, in name order. The name is found through the
database's own text index, the filters and the scope are plain WHERE clauses, and the database's planner
decides how to read them (``ORDER BY sort_key, id LIMIT``):

- ``fts5`` (SQLite): an external-content FTS5 table over ``people.search_name`` (the name folded to
  plain letters), unicode61 tokenizer with prefix indexes of 1-3 letters: ``"nguyen van an"`` is a phrase of
  whole words, ``"nguyen van t" *`` one whose last word is unfinished, so words match at word starts only.
- ``trgm`` (PostgreSQL): a pg_trgm GIN index on ``search_name``; ``search_name LIKE '%nguyen van an%'``
  uses it (three letters or more), the word-start check runs on the rows it returns.
- ``tsvector`` (PostgreSQL): a GIN index on ``to_tsvector('simple', search_name)``; ``nguyen <-> van <-> an``
  (``t:*`` for an unfinished last word).

Every driver keeps the planner's rules (the last word unfinished when it is one letter, the only word, or no
name has it whole; the exact phrase check of :func:`portal.households.search.phrase_clause`), so each returns
the same people as the planner. ``install(driver)`` creates the index once in a bench database.
"""

from __future__ import annotations

import time
from datetime import date

from sqlalchemy import false, func, literal_column, select, text

from portal.auth.scope import Scope
from portal.extensions import db
from portal.households import search_plan
from portal.households.models import Person
from portal.households.search import (
    PeopleFilter,
    filter_clauses,
    last_word_is_prefix,
    name_words,
    phrase_clause,
    scope_lists,
)

DRIVERS = {"sqlite": ("fts5",), "postgresql": ("trgm", "tsvector")}


def install(driver: str) -> float:
    """Create the driver's text index if it is missing; the seconds it took (0 when it was there)."""
    started = time.perf_counter()
    if driver == "fts5":
        if db.session.scalar(text("SELECT count(*) FROM sqlite_master WHERE name = 'people_fts'")):
            return 0.0
        db.session.execute(text("CREATE VIRTUAL TABLE people_fts USING fts5(search_name, content='people', "
                                "content_rowid='id', tokenize='unicode61', prefix='1 2 3')"))
        db.session.execute(text("INSERT INTO people_fts(people_fts) VALUES ('rebuild')"))
    elif driver == "trgm":
        if db.session.scalar(text("SELECT to_regclass('ix_people_search_trgm') IS NOT NULL")):
            return 0.0
        db.session.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        db.session.execute(text("CREATE INDEX ix_people_search_trgm ON people USING gin (search_name gin_trgm_ops)"))
        db.session.execute(text("ANALYZE people"))
    elif driver == "tsvector":
        if db.session.scalar(text("SELECT to_regclass('ix_people_search_tsv') IS NOT NULL")):
            return 0.0
        db.session.execute(text("CREATE INDEX ix_people_search_tsv ON people "
                                "USING gin (to_tsvector('simple', search_name))"))
        db.session.execute(text("ANALYZE people"))
    else:
        raise ValueError(driver)
    db.session.commit()
    return time.perf_counter() - started


def _fts5_query(words: list[str], prefix: bool) -> str:
    return '"' + " ".join(words) + '"' + (" *" if prefix else "")


def _tsquery(words: list[str], prefix: bool) -> str:
    return " <-> ".join(words) + (":*" if prefix else "")


def _whole_word_exists(driver: str, word: str) -> int:
    """1 when some name has ``word`` as a whole word (the planner counts the same to read the last word)."""
    if driver == "fts5":
        stmt = text("SELECT count(*) FROM (SELECT rowid FROM people_fts WHERE people_fts MATCH :q LIMIT 1)")
        return db.session.scalar(stmt, {"q": _fts5_query([word], False)})
    if driver == "tsvector":
        stmt = text("SELECT count(*) FROM (SELECT 1 FROM people WHERE to_tsvector('simple', search_name) "
                    "@@ to_tsquery('simple', :q) LIMIT 1) AS found")
        return db.session.scalar(stmt, {"q": word})
    return db.session.scalar(select(func.count()).select_from(
        select(Person.id).where(Person.search_name.like(f"%{word}%"), phrase_clause([word], False))
        .limit(1).subquery()))


def _name_clauses(driver: str, words: list[str], prefix: bool) -> list:
    exact = phrase_clause(words, prefix)
    if driver == "fts5":
        return [Person.id.in_(text("SELECT rowid FROM people_fts WHERE people_fts MATCH :fts").bindparams(
            fts=_fts5_query(words, prefix)).columns(literal_column("rowid"))), exact]
    if driver == "tsvector":
        return [func.to_tsvector(literal_column("'simple'"), Person.search_name).op("@@")(
            func.to_tsquery(literal_column("'simple'"), _tsquery(words, prefix))), exact]
    return [Person.search_name.like("%" + " ".join(words) + "%"), exact]


def find(driver: str, f: PeopleFilter, scope: Scope, today: date, limit: int) -> tuple[str, list[int]]:
    """(the driver's name, the ids of the first ``limit`` people the filter finds in name order)."""
    words = name_words(f.name)
    prefix = len(words) < 2 or len(words[-1]) == 1
    if len(words) > 1 and not prefix:
        prefix = last_word_is_prefix(words, _whole_word_exists(driver, words[-1]))
    communes, hamlets = scope_lists(scope)
    where = []
    if communes is not None:
        where.append(Person.commune_id.in_(communes) if communes else false())
    if hamlets is not None:
        where.append(Person.hamlet_id.in_(hamlets) if hamlets else false())
    where += filter_clauses(f, today)
    if words:
        where += _name_clauses(driver, words, prefix)
    search_plan._serial_walks()  # noqa: SLF001 - the same session settings as the planner's statements
    stmt = select(Person.id).where(*where).order_by(Person.sort_key, Person.id).limit(limit)
    return driver, list(db.session.scalars(stmt))


def use(driver: str | None):
    """Route searches through a native driver (None: back to the planner); returns the previous find."""
    original = getattr(use, "_original", None) or search_plan.find
    use._original = original
    if driver is None:
        search_plan.find = original
    else:
        search_plan.find = lambda f, scope, today, limit, driver=None, _native=driver: find(
            _native, f, scope, today, limit)
    return original
