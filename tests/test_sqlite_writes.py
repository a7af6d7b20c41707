"""SQLite write transactions start with BEGIN IMMEDIATE, so concurrent writers wait instead of failing."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import create_engine, event, text

import portal.database  # noqa: F401  (registers the engine listeners)


@pytest.fixture
def sqlite_engine(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path}/w.sqlite3")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)"))
        conn.execute(text("INSERT INTO counter (id, n) VALUES (1, 0)"))
    yield engine
    engine.dispose()


def test_transactions_outside_requests_begin_immediate(sqlite_engine):
    statements = []

    @event.listens_for(sqlite_engine, "before_cursor_execute")
    def _record(conn, cursor, statement, *args):
        statements.append(statement)

    with sqlite_engine.begin() as conn:
        conn.execute(text("SELECT n FROM counter"))
    assert "BEGIN IMMEDIATE" in statements


def test_twenty_concurrent_read_then_write_transactions_lose_nothing(sqlite_engine):
    errors = []

    def worker():
        try:
            for _ in range(10):
                with sqlite_engine.begin() as conn:
                    n = conn.execute(text("SELECT n FROM counter WHERE id = 1")).scalar()
                    conn.execute(text("UPDATE counter SET n = :n WHERE id = 1"), {"n": n + 1})
        except Exception as exc:  # noqa: BLE001 - any error fails the test below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with sqlite_engine.connect() as conn:
        assert conn.execute(text("SELECT n FROM counter")).scalar() == 200
