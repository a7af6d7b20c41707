"""The audit log cannot be edited or deleted from the interface: no route mutates audit rows; on PostgreSQL
the database itself refuses, except inside the retention run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import event, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.exc import ObjectDeletedError

from portal.audit.models import AuditEntry
from portal.audit.services import mask_personal
from portal.extensions import db
from portal.privacy.audit_guard import allow_audit_purge

from ..test_authz_matrix import MATRIX

PORTAL = Path(__file__).resolve().parents[2] / "portal"
MUTATION = re.compile(r"(UPDATE|DELETE\s+FROM)\s+\"?audit_entries", re.IGNORECASE)


def test_audit_pages_only_read(app):
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("audit.")]
    assert rules
    for rule in rules:
        assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule


def test_only_retention_and_restore_write_deletes_or_updates_of_audit_rows():
    writers = set()
    for path in PORTAL.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        if re.search(r"(update|delete)\(\s*AuditEntry|AuditEntry\.__table__\.(update|delete)|audit_purge", source):
            writers.add(path.relative_to(PORTAL).as_posix())
    assert writers <= {"privacy/retention.py", "privacy/audit_guard.py", "backup/restore.py"}, writers


def test_no_route_mutates_audit_rows(client, auth, world):
    """Every route of the matrix, called by an administrator: no UPDATE or DELETE of audit entries is sent."""
    seen: list[str] = []

    def watch(conn, cursor, statement, parameters, context, executemany):
        if MUTATION.search(statement):
            seen.append(statement)

    called = skipped = 0
    event.listen(db.engine, "before_cursor_execute", watch)
    try:
        auth.login(world.users["admin"])
        # Reads first; then the writes, some of which remove what a later route's URL is built from.
        for endpoint, route in sorted(MATRIX.items(), key=lambda item: (item[1].method != "GET", item[0])):
            if endpoint == "auth.logout":
                continue
            try:
                url = route.url(world, world.own) if route.territorial else route.url
                data = route.data(world, world.own) if callable(route.data) else dict(route.data)
            except ObjectDeletedError:
                db.session.rollback()
                skipped += 1
                continue
            response = client.get(url) if route.method == "GET" else client.post(url, data=data)
            response.close()
            called += 1
    finally:
        event.remove(db.engine, "before_cursor_execute", watch)
    assert called > 0.9 * len(MATRIX) and skipped < 0.1 * len(MATRIX)
    assert db.session.scalar(select(AuditEntry.id).limit(1)) is not None
    assert seen == []


def test_masking_leaves_no_identity_number(app):
    masked = mask_personal({"note": "CCCD 012345678901, BHXH 0101234567, ĐT 0912 345 678, +84912345678",
                            "list": ["012345678901"], "amount": "330.000"})
    assert not re.search(r"\d{8,}", str(masked).replace(" ", "").replace(".", ""))
    assert masked["amount"] == "330.000"


@pytest.mark.real_commits  # the permission lasts until the end of a real transaction, not of a savepoint
def test_postgresql_refuses_changes_outside_retention(app, world):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only")
    entry = AuditEntry(action="auth.login", outcome="success")
    db.session.add(entry)
    db.session.commit()
    for statement in (update(AuditEntry).values(action="x"), text("DELETE FROM audit_entries")):
        with pytest.raises(DBAPIError, match="cannot be changed"):
            db.session.execute(statement)
        db.session.rollback()
    allow_audit_purge(db.session.connection())
    db.session.execute(text("DELETE FROM audit_entries"))
    db.session.commit()
    assert db.session.scalar(select(AuditEntry.id).limit(1)) is None
    # The permission ended with its transaction.
    db.session.add(AuditEntry(action="auth.login", outcome="success"))
    db.session.commit()
    with pytest.raises(DBAPIError):
        db.session.execute(text("DELETE FROM audit_entries"))
    db.session.rollback()


def test_sqlite_refuses_changes_outside_retention(app, world):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the triggers of migration 0015 are SQLite's")
    from portal.privacy.audit_guard import end_audit_purge

    db.session.add(AuditEntry(action="auth.login", outcome="success"))
    db.session.commit()
    for statement in (update(AuditEntry).values(action="x"), text("DELETE FROM audit_entries")):
        with pytest.raises(DBAPIError, match="cannot be changed"):
            db.session.execute(statement)
        db.session.rollback()
    allow_audit_purge(db.session.connection())
    db.session.execute(text("DELETE FROM audit_entries"))
    end_audit_purge(db.session.connection())
    db.session.commit()
    assert db.session.scalar(select(AuditEntry.id).limit(1)) is None
    db.session.add(AuditEntry(action="auth.login", outcome="success"))
    db.session.commit()
    with pytest.raises(DBAPIError, match="cannot be changed"):
        db.session.execute(text("DELETE FROM audit_entries"))
    db.session.rollback()
