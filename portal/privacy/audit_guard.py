"""The audit log is append-only: on PostgreSQL a trigger (migration 0010) refuses UPDATE and DELETE of audit
entries unless the transaction has set ``portal.audit_purge``, which only the retention command does, through
:func:`allow_audit_purge`. (A restore that replaces a database empties it with TRUNCATE, which fires no row
trigger, inside its one transaction.)"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

#: The transaction-local setting the trigger looks at.
AUDIT_PURGE_SETTING = "portal.audit_purge"


def allow_audit_purge(conn: Connection) -> None:
    """Let the current transaction delete audit entries (PostgreSQL; SQLite has no trigger)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT set_config(:name, 'on', true)"), {"name": AUDIT_PURGE_SETTING})
