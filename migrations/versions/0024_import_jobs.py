"""Imports analysed and written by background jobs: two new job kinds.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06 19:40:00.000000

"""
from alembic import op

OLD_KINDS = "kind IN ('invitations', 'campaign_leaflets')"
NEW_KINDS = "kind IN ('invitations', 'campaign_leaflets', 'import_analysis', 'import_apply')"

# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_jobs_kind'), type_='check')
        batch_op.create_check_constraint('kind', NEW_KINDS)


def downgrade():
    op.execute("DELETE FROM jobs WHERE kind IN ('import_analysis', 'import_apply')")
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_jobs_kind'), type_='check')
        batch_op.create_check_constraint('kind', OLD_KINDS)
