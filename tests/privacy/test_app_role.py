"""On PostgreSQL the portal connects as an app role that reads and adds audit entries but cannot change, delete
or truncate them, nor switch their trigger off; migrations, restores and the retention run connect as the owner
(DATABASE_OWNER_URL)."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from portal.audit.models import AuditEntry
from portal.extensions import db
from portal.privacy.app_role import audit_log_powers

from ..conftest import TEST_DATABASE_URL, make_test_app

pytestmark = [pytest.mark.real_commits,  # other roles and app instances read what is written
              pytest.mark.skipif(not TEST_DATABASE_URL, reason="roles are PostgreSQL's (TEST_DATABASE_URL)")]

ROLE = f"portal_app_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
REFUSED_TO_THE_APP = (
    "UPDATE audit_entries SET action = action WHERE false",
    "DELETE FROM audit_entries WHERE false",
    "TRUNCATE audit_entries",
    "ALTER TABLE audit_entries DISABLE TRIGGER ALL",
    "INSERT INTO alembic_version VALUES ('x')",
)


@pytest.fixture
def app_role_url(app, database_url, runner):
    """An app role of this worker, granted by the owner; its privileges go at the end."""
    with db.engine.begin() as conn:
        exists = conn.exec_driver_sql("SELECT 1 FROM pg_roles WHERE rolname = %s", (ROLE,)).first()
        if not exists:
            conn.exec_driver_sql(f"CREATE ROLE {ROLE} LOGIN")
    result = runner.invoke(args=["database", "grant-app", ROLE])
    assert result.exit_code == 0, result.output
    yield make_url(database_url).set(username=ROLE).render_as_string(hide_password=False)
    with db.engine.begin() as conn:
        conn.exec_driver_sql(f"DROP OWNED BY {ROLE}")  # its privileges and default privileges in this database


@pytest.fixture
def host_as(tmp_path):
    """Another instance of the portal connecting with the given URL (and settings)."""
    previous = os.environ.get("PORTAL_INSTANCE_PATH")
    hosts = []

    def make(url: str, **settings):
        host = make_test_app(url, str(tmp_path / f"host{len(hosts)}"), **settings)
        hosts.append(host)
        return host

    yield make
    if previous:
        os.environ["PORTAL_INSTANCE_PATH"] = previous
    for host in hosts:
        with host.app_context():
            db.session.remove()
            db.engine.dispose()


def _old_entry(conn) -> int:
    return conn.execute(insert(AuditEntry.__table__).values(
        at=datetime.now(UTC) - timedelta(days=20 * 365), username="x", action="test.old", outcome="success",
    ).returning(AuditEntry.__table__.c.id)).scalar_one()


def test_the_app_role_adds_entries_but_cannot_change_delete_or_unguard_them(app_role_url):
    engine = create_engine(app_role_url, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            assert conn.exec_driver_sql("SELECT current_user").scalar_one() == ROLE
            assert audit_log_powers(conn) == []
            entry = _old_entry(conn)
            # Every other table is read and written as usual.
            conn.exec_driver_sql("UPDATE people SET full_name = full_name WHERE false")
            conn.exec_driver_sql("DELETE FROM households WHERE false")
            assert conn.execute(select(AuditEntry.id).where(AuditEntry.id == entry)).scalar_one() == entry
        for statement in REFUSED_TO_THE_APP:
            with engine.begin() as conn, pytest.raises(DBAPIError) as refused:
                conn.exec_driver_sql(statement)
            assert "permission denied" in str(refused.value) or "must be owner" in str(refused.value), statement
        # The retention run's switch does not help a role without the privilege.
        with engine.begin() as conn, pytest.raises(DBAPIError, match="permission denied"):
            conn.execute(text("SELECT set_config('portal.audit_purge', 'on', true)"))
            conn.execute(text("DELETE FROM audit_entries WHERE id = :id"), {"id": entry})
    finally:
        engine.dispose()
    with db.engine.connect() as conn:  # the owner of the test database is a superuser
        assert {"SUPERUSER", "OWNER", "UPDATE", "DELETE", "TRUNCATE"} <= set(audit_log_powers(conn))


def test_check_says_whether_the_portal_could_change_the_audit_log(app_role_url, runner, host_as):
    refused = runner.invoke(args=["database", "check"])
    assert refused.exit_code == 1
    assert "có thể sửa hoặc xoá nhật ký" in refused.output and "SUPERUSER" in refused.output
    host = host_as(app_role_url)
    with host.app_context():
        result = host.test_cli_runner().invoke(args=["database", "check"])
    assert result.exit_code == 0, result.output
    assert f"kết nối bằng {ROLE}: nhật ký kiểm tra chỉ đọc và thêm được" in result.output


def test_grant_refuses_an_unknown_role_and_the_owner_itself(app, runner):
    unknown = runner.invoke(args=["database", "grant-app", "no_such_role_here"])
    assert unknown.exit_code == 1 and "không có vai trò no_such_role_here" in unknown.output
    with db.engine.connect() as conn:
        owner = conn.exec_driver_sql("SELECT current_user").scalar_one()
    itself = runner.invoke(args=["database", "grant-app", owner])
    assert itself.exit_code == 1 and "vai trò của ứng dụng phải là một vai trò khác" in itself.output


def test_retention_and_migrations_run_as_the_owner_and_the_portal_stays_the_app_role(app_role_url, database_url,
                                                                                    host_as):
    lone = host_as(app_role_url)  # no owner configured: the app role alone cannot purge
    with lone.app_context():
        with db.engine.begin() as conn:
            entry = _old_entry(conn)
        result = lone.test_cli_runner().invoke(args=["retention", "apply"])
        assert result.exit_code != 0
        db.session.rollback()
        assert db.session.get(AuditEntry, entry) is not None
        db.session.remove()

    host = host_as(app_role_url, DATABASE_OWNER_URL=database_url)
    runner = host.test_cli_runner()
    with host.app_context():
        assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
        result = runner.invoke(args=["retention", "apply"])
        assert result.exit_code == 0, result.output
        assert db.session.get(AuditEntry, entry) is None
        with db.engine.connect() as conn:  # back to the app role once the command is over
            assert conn.exec_driver_sql("SELECT current_user").scalar_one() == ROLE
            assert audit_log_powers(conn) == []
