"""The audit log is append-only: on PostgreSQL a trigger (migration 0010) refuses UPDATE and DELETE of audit
entries unless the transaction has set ``portal.audit_purge``, which only the retention command does, through
:func:`allow_audit_purge`. On SQLite triggers (migration 0015) refuse them unless the transaction holds a row of
``audit_purge_permits``, which :func:`allow_audit_purge` inserts and :func:`end_audit_purge` deletes before the
commit. (A restore that replaces a database empties it with TRUNCATE, which fires no row
trigger, inside its one transaction.)"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

#: The transaction-local setting the trigger looks at.
AUDIT_PURGE_SETTING = "portal.audit_purge"


def allow_audit_purge(conn: Connection) -> None:
    """Let the current transaction delete audit entries (on SQLite until :func:`end_audit_purge`)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT set_config(:name, 'on', true)"), {"name": AUDIT_PURGE_SETTING})
    elif _has_permits(conn):
        conn.execute(text("INSERT INTO audit_purge_permits DEFAULT VALUES"))


def end_audit_purge(conn: Connection) -> None:
    """Give the permit back (SQLite; on PostgreSQL the setting ends with the transaction)."""
    if conn.dialect.name == "sqlite" and _has_permits(conn):
        conn.execute(text("DELETE FROM audit_purge_permits"))


def _has_permits(conn: Connection) -> bool:
    return conn.dialect.name == "sqlite" and conn.execute(text(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_purge_permits'")).first() is not None
