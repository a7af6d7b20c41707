"""How each test gets a clean database.

By default a test runs inside a transaction that is rolled back afterwards. One connection holds an outer
transaction; the world of ``tests/world.py``, when a test asks for it, is built once inside it (under its own
savepoint) and kept for the following tests that ask for it too; each test then runs under a savepoint of its
own that is rolled back at its end. Every session of the test application (the test's own and each request's,
which run in their own application contexts) is bound to that connection with
``join_transaction_mode="create_savepoint"``, so a ``commit()`` releases a savepoint and a ``rollback()``
returns to one: the code under test behaves as it does against a real database, and nothing it writes
outlives the test.

A test marked ``real_commits`` (browser tests, backups, worker processes: anything where another connection,
thread or process must see the test's data) gets the plain engine instead: its writes are committed and every
table is emptied after it, as before. The outer transaction is closed first, since on SQLite it holds the write
lock and on PostgreSQL its locks would stop the emptying.
"""

from __future__ import annotations

from flask import Flask, current_app, has_app_context
from sqlalchemy import inspect, select, text
from sqlalchemy.engine import Connection, Transaction

from portal.extensions import db


def empty_all_tables() -> None:
    """Delete every row of every table (after a test that committed for real)."""
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    if not tables:
        return
    if db.engine.dialect.name == "postgresql":
        # TRUNCATE gives every table and index new files, which costs far more than the test itself when most
        # tables are empty: truncate only the tables that hold rows, and rewind the sequences that were used.
        holding = " UNION ALL ".join(f"SELECT '{t}' WHERE EXISTS (SELECT 1 FROM \"{t}\")" for t in tables)  # noqa: S608
        used = db.session.scalars(text(holding)).all()  # table names from our metadata
        if used:
            db.session.execute(text("TRUNCATE {} CASCADE".format(", ".join(f'"{t}"' for t in used))))
        db.session.execute(text("SELECT setval(format('%I.%I', schemaname, sequencename), 1, false) "
                                "FROM pg_sequences WHERE last_value IS NOT NULL"))
    else:
        from portal.privacy.audit_guard import allow_audit_purge, end_audit_purge

        allow_audit_purge(db.session.connection())
        for table in tables:
            db.session.execute(text(f'DELETE FROM "{table}"'))  # noqa: S608 - names from our metadata
        end_audit_purge(db.session.connection())
    db.session.commit()


class Transactions:
    """The outer transaction of one test process, the world kept in it, and each test's savepoint."""

    def __init__(self, app: Flask):
        self.app = app
        self.connection: Connection | None = None
        self.outer: Transaction | None = None
        self.world_savepoint: Transaction | None = None
        self.kept: str | None = None  # what the world savepoint holds: "world", "demo" or nothing
        self.demo_added = 0  # what load_demo() answered when the kept demo was built
        self.world_refs = None  # what build_world() made, as (class, primary key) references
        self.world_snapshot: dict = {}  # the world's objects by reference, loaded and detached
        self.world_files: dict = {}  # files the world wrote, restored when a test removed or changed them
        self.test_savepoint: Transaction | None = None
        self._factory_kw: dict | None = None

    # -- the outer transaction ------------------------------------------------------------------------------

    def _open(self) -> None:
        if self.connection is not None:
            return
        with self.app.app_context():
            self.connection = db.engine.connect()
        self.outer = self.connection.begin()  # outside a request: BEGIN IMMEDIATE on SQLite
        factory = db.session.session_factory
        self._factory_kw = dict(factory.kw)
        factory.configure(bind=self.connection, join_transaction_mode="create_savepoint")
        factory.class_.get_bind = _bound_get_bind(factory.class_, self.app, self.connection)

    def close(self) -> None:
        """Roll back everything (the world included) and give the sessions their engine back."""
        if self.connection is None:
            return
        factory = db.session.session_factory
        factory.kw = self._factory_kw
        del factory.class_.get_bind
        try:
            self.outer.rollback()
        finally:
            self.connection.close()
            self.connection = self.outer = self.world_savepoint = self.test_savepoint = None
            self.world_refs, self.world_snapshot, self.world_files, self.kept = None, {}, {}, None

    # -- the world --------------------------------------------------------------------------------------------

    def _drop_world(self) -> None:
        if self.world_savepoint is not None:
            self.world_savepoint.rollback()
        self.world_savepoint, self.world_refs, self.world_files, self.kept = None, None, {}, None
        self.world_snapshot = {}

    def _build_world(self) -> None:
        from .world import build_world, world_files, world_refs

        self.world_savepoint = self.connection.begin_nested()
        self.kept = "world"
        with self.app.app_context():
            built = build_world()
            self.world_refs = world_refs(built)
            self.world_files = world_files(built)
            db.session.remove()
            # Its objects as the database holds them, loaded once and kept detached: each test gets copies of
            # them in its own session without a query (``merge(load=False)``).
            loaded = load(self.world_refs[1])
            db.session.expunge_all()
            self.world_snapshot = loaded
            db.session.remove()

    def _build_demo(self) -> None:
        """The demo data of ``flask demo load``, kept like the world (it takes far longer to build)."""
        from portal.demo.loader import load_demo

        self.world_savepoint = self.connection.begin_nested()
        self.kept = "demo"
        with self.app.app_context():
            self.demo_added = load_demo()
            db.session.commit()
            db.session.remove()

    def world(self):
        """The kept world, its objects copied into the current session (or, for a test that asked for it too
        late to have it kept, one built for this test)."""
        from .world import build_world, fill_world

        if self.world_refs is None:
            return build_world()
        copies = {ref: db.session.merge(obj, load=False) for ref, obj in self.world_snapshot.items()}
        return fill_world(self.world_refs[0], copies)

    # -- each test -------------------------------------------------------------------------------------------

    def begin_test(self, wants: str | None) -> None:
        """Open a savepoint for a test (after building or dropping the world or the demo as it needs)."""
        self._open()
        if wants != self.kept:
            self._drop_world()
            if wants == "world":
                self._build_world()
            elif wants == "demo":
                self._build_demo()
        self.test_savepoint = self.connection.begin_nested()

    def end_test(self) -> None:
        """Undo what the test wrote (every session bound to the connection has been closed by now)."""
        try:
            if self.test_savepoint is not None and self.test_savepoint.is_active:
                self.test_savepoint.rollback()
        except Exception:  # the test broke the transaction itself: start the next one afresh
            self.close()
            raise
        finally:
            self.test_savepoint = None
        for path, content in self.world_files.items():
            if not path.exists() or path.read_bytes() != content:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)


def _bound_get_bind(session_class: type, app: Flask, connection: Connection):
    """``Session.get_bind`` that answers the test connection for the test application's sessions only (an
    application a test makes for a database of its own keeps its engine)."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if bind is None and has_app_context() and current_app._get_current_object() is app:
            return connection
        return super(session_class, self).get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)

    return get_bind


def identity(obj) -> tuple:
    """(class, primary key) of a persistent object."""
    return type(obj), inspect(obj).identity


def load(refs: list[tuple]) -> dict[tuple, object]:
    """Load objects by reference into the current session, one query per class."""
    by_class: dict[type, list] = {}
    for cls, key in refs:
        by_class.setdefault(cls, []).append(key)
    # The session's identity map holds its objects weakly: the loaded rows are kept referenced here until every
    # ``get`` below has found them (otherwise each ``get`` would query again, one object at a time).
    loaded = []
    for cls, keys in by_class.items():
        columns = inspect(cls).primary_key
        if len(columns) == 1:
            loaded += db.session.scalars(select(cls).where(columns[0].in_([k[0] for k in keys]))).all()
    return {(cls, key): db.session.get(cls, key) for cls, key in refs}


__all__ = ["Transactions", "empty_all_tables", "identity", "load"]
