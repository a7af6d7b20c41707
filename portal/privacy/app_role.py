"""The app role on PostgreSQL: the portal connects as a role that reads and writes every table but may not
change, delete or truncate the audit log, and does not own the tables (so it cannot switch the audit trigger
off or change the schema). Migrations, restores and the retention run connect as the owner
(``DATABASE_OWNER_URL``, see :func:`portal.database.as_owner`).

``grant_app_role`` is run once by the owner (``flask database grant-app ROLE``); tables that later migrations
create get the same privileges through the owner's default privileges. On SQLite there are no roles: the
triggers of migration 0015 are the guard.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import text
from sqlalchemy.engine import Connection, make_url

#: The append-only table.
AUDIT_TABLE = "audit_entries"
#: What no role but the owner may do to the audit log.
FORBIDDEN_ON_AUDIT = ("UPDATE", "DELETE", "TRUNCATE", "TRIGGER", "REFERENCES")


class RoleError(ValueError):
    """The role cannot be set up (not PostgreSQL, unknown role, or the owner itself)."""


def _quoted(conn: Connection, role: str) -> str:
    return conn.dialect.identifier_preparer.quote(role)


def grant_app_role(conn: Connection, role: str) -> None:
    """As the owner: give ``role`` what the portal needs and nothing on the audit log beyond SELECT and INSERT."""
    if conn.dialect.name != "postgresql":
        raise RoleError("chỉ PostgreSQL có vai trò (role); trên SQLite nhật ký được bảo vệ bằng trigger")
    if conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :role"), {"role": role}).first() is None:
        raise RoleError(f"không có vai trò {role} trên máy chủ: tạo trước bằng CREATE ROLE … LOGIN")
    if role == conn.execute(text("SELECT current_user")).scalar_one():
        raise RoleError(f"{role} là chủ sở hữu đang kết nối: vai trò của ứng dụng phải là một vai trò khác")
    name = _quoted(conn, role)
    for statement in (
        f"GRANT USAGE ON SCHEMA public TO {name}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {name}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {name}",
        f"REVOKE {', '.join(FORBIDDEN_ON_AUDIT)} ON {AUDIT_TABLE} FROM {name}",
        # The portal reads the schema's revision; only migrations (the owner) write it.
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM {name}",
        # Tables and sequences created later by the owner's migrations.
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {name}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {name}",
    ):
        conn.exec_driver_sql(statement)


def keep_app_role(conn: Connection) -> None:
    """After migrations run as the owner: grant the app role (DATABASE_URL's user) again, so that a table a
    migration created or re-created has the same limits (the audit log above all)."""
    if conn.dialect.name != "postgresql" or not current_app.config.get("DATABASE_OWNER_URL"):
        return
    role = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).username
    if role and role != conn.execute(text("SELECT current_user")).scalar_one():
        grant_app_role(conn, role)


def audit_log_powers(conn: Connection) -> list[str]:
    """What the connected role can do to the audit log beyond reading and adding: owning it (which allows
    switching its trigger off), being a superuser, or any of FORBIDDEN_ON_AUDIT. Empty on SQLite."""
    if conn.dialect.name != "postgresql":
        return []
    powers = []
    if conn.execute(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).scalar_one():
        powers.append("SUPERUSER")
    owner = conn.execute(text("SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = :t"),
                         {"t": AUDIT_TABLE}).scalar()
    if owner == conn.execute(text("SELECT current_user")).scalar_one():
        powers.append("OWNER")
    for privilege in FORBIDDEN_ON_AUDIT:
        if conn.execute(text("SELECT has_table_privilege(current_user, :t, :p)"),
                        {"t": AUDIT_TABLE, "p": privilege}).scalar_one():
            powers.append(privilege)
    return powers
