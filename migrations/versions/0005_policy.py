"""Effective-dated policy values.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 17:07:10.307823

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('policy_values',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Numeric(precision=16, scale=6), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_policy_values_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_policy_values')),
    sa.UniqueConstraint('key', 'effective_from', name='uq_policy_values_key_from')
    )
    with op.batch_alter_table('policy_values', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_policy_values_key'), ['key'], unique=False)



def downgrade():
    with op.batch_alter_table('policy_values', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_policy_values_key'))

    op.drop_table('policy_values')
