"""Database engine behaviour shared by SQLite and PostgreSQL.

SQLite is the embedded default. Each connection gets WAL, foreign keys and a busy timeout. Transactions are
begun by us rather than by the sqlite3 module so that a transaction that will write starts with
``BEGIN IMMEDIATE``: it waits (up to the busy timeout) for the write lock at its start instead of failing with
"database is locked" when it tries to upgrade a read lock half-way through. Read-only requests (GET, HEAD,
OPTIONS) begin deferred transactions so that readers never queue behind writers; a read request that must
write (an audit entry for a print, say) calls :func:`begin_write` first.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app, g, has_app_context, has_request_context, request
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from .extensions import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _wants_immediate() -> bool:
    if has_app_context():
        flag = g.get("sqlite_write")
        if flag is not None:
            return bool(flag)
    if has_request_context():
        return request.method not in SAFE_METHODS
    # CLI commands, background jobs and scripts write more often than not.
    return True


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection, connection_record):  # pragma: no cover - exercised via SQLite
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Hand transaction control to SQLAlchemy's "begin" event below.
    dbapi_connection.isolation_level = None
    timeout = 15_000
    if has_app_context():
        timeout = int(current_app.config.get("SQLITE_BUSY_TIMEOUT_MS", timeout))
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {timeout:d}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_on_begin(conn):
    if conn.dialect.name != "sqlite":
        return
    conn.exec_driver_sql("BEGIN IMMEDIATE" if _wants_immediate() else "BEGIN")


def begin_write() -> None:
    """Make the rest of a read-only request write safely.

    Ends the current deferred transaction (it has written nothing) so that the next one starts with
    ``BEGIN IMMEDIATE`` on SQLite. On PostgreSQL it only sets the flag.
    """
    if not has_app_context() or g.get("sqlite_write"):
        return
    g.sqlite_write = True
    if db.session.get_bind().dialect.name == "sqlite" and db.session().in_transaction():
        db.session.commit()


@event.listens_for(Session, "after_flush")
def _remember_writes(session, flush_context):
    if has_app_context():
        g.flushed_writes = True


@contextmanager
def without_write_lock() -> Iterator[None]:
    """Run work that needs no database (parsing an uploaded file) without holding SQLite's write lock, so that
    other users keep saving meanwhile. A write request holds the lock from its first statement; when it has
    written nothing yet, its transaction (reads only) is ended here and the next one begins as the request's
    would. Nothing happens on PostgreSQL (row locks only) or once the request has written something.
    """
    session = db.session
    if (not has_app_context() or session.get_bind().dialect.name != "sqlite" or g.get("flushed_writes")
            or session.new or session.dirty or session.deleted):
        yield
        return
    if session().in_transaction():
        session.commit()  # it holds reads only: this gives the lock back
    try:
        yield
    finally:
        if session().in_transaction():  # a read inside the block: end it, so the next begins with the lock
            session.commit()


def is_sqlite() -> bool:
    """Whether the bound database is SQLite."""
    return db.engine.dialect.name == "sqlite"


@contextmanager
def as_owner() -> Iterator[None]:
    """Run a command's database work as the database owner (``DATABASE_OWNER_URL``), when one is configured.

    In production on PostgreSQL the portal connects as an app role that may not change, delete or truncate the
    audit log (``flask database grant-app``); migrations, a restore and the retention run need the owner. For
    commands only (migrations, CLI): the application's engine is swapped for the block, for every thread.
    """
    url = current_app.config.get("DATABASE_OWNER_URL")
    if not url:
        yield
        return
    engines = db.engines  # the application's own mapping of bind keys to engines
    app_engine = engines[None]
    owner = create_engine(url, poolclass=NullPool)
    db.session.remove()
    engines[None] = owner  # type: ignore[index]
    try:
        yield
    finally:
        db.session.remove()
        engines[None] = app_engine  # type: ignore[index]
        owner.dispose()
