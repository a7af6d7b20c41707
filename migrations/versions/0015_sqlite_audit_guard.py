"""The audit log append-only on SQLite too: triggers refuse UPDATE and DELETE of audit entries unless the
transaction holds a purge permit (the retention command and a restore take one and give it back).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 14:40:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

_GUARD = """
CREATE TRIGGER audit_entries_no_{op} BEFORE {OP} ON audit_entries
WHEN NOT EXISTS (SELECT 1 FROM audit_purge_permits)
BEGIN
    SELECT RAISE(ABORT, 'audit entries cannot be changed or deleted ({OP})');
END
"""


def upgrade():
    if op.get_bind().dialect.name != "sqlite":
        return  # PostgreSQL has its trigger since 0010
    op.execute("CREATE TABLE audit_purge_permits (id INTEGER PRIMARY KEY)")
    for name in ("update", "delete"):
        op.execute(_GUARD.format(op=name, OP=name.upper()))


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in ("update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS audit_entries_no_{name}")
    op.execute("DROP TABLE IF EXISTS audit_purge_permits")
