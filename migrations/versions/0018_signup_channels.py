"""The channel of each sign-up: at an event, door to door, at a collection point or counter, online, other.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 16:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('signups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=10), server_default='event', nullable=False))
        batch_op.create_check_constraint(
            'channel', "channel IN ('event', 'door', 'counter', 'online', 'other')")


def downgrade():
    with op.batch_alter_table('signups', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_signups_channel'), type_='check')
        batch_op.drop_column('channel')
