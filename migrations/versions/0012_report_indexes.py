"""Covering indexes for the dashboards and funnels: households per event at each step, sign-ups per commune and day.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 08:20:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('visit_assignments', schema=None) as batch_op:
        batch_op.create_index('ix_visit_assignments_list_outcome', ['visit_list_id', 'outcome', 'household_id'],
                              unique=False)
    with op.batch_alter_table('attendances', schema=None) as batch_op:
        batch_op.create_index('ix_attendances_event_household', ['event_id', 'household_id'], unique=False)
    with op.batch_alter_table('signups', schema=None) as batch_op:
        batch_op.create_index('ix_signups_event_kind_household', ['event_id', 'kind', 'household_id'], unique=False)
        batch_op.create_index('ix_signups_commune_day_scheme', ['commune_id', 'signed_on', 'status', 'scheme', 'kind',
                                                                 'credited_agent_id', 'agent_id'], unique=False)


def downgrade():
    with op.batch_alter_table('signups', schema=None) as batch_op:
        batch_op.drop_index('ix_signups_commune_day_scheme')
        batch_op.drop_index('ix_signups_event_kind_household')
    with op.batch_alter_table('attendances', schema=None) as batch_op:
        batch_op.drop_index('ix_attendances_event_household')
    with op.batch_alter_table('visit_assignments', schema=None) as batch_op:
        batch_op.drop_index('ix_visit_assignments_list_outcome')
