"""Declaration batches (D05-TS, D03-TS).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22 18:05:36.790720

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('declaration_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('form', sa.String(length=3), nullable=False),
    sa.Column('filters', sa.JSON(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("form IN ('d05', 'd03')", name=op.f('ck_declaration_batches_form')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_declaration_batches_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_declaration_batches'))
    )


def downgrade():
    op.drop_table('declaration_batches')
