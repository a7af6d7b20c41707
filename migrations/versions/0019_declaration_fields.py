"""What the declaration form (TK1-TS) and the D05-TS / D03-TS lists need beyond what was kept: a birth year
alone, nationality and contact address on people; the first month paid for, the state-support category and the
receipt date on sign-ups.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 16:40:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('birth_year_only', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('nationality', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('contact_address', sa.String(length=300), nullable=True))
    with op.batch_alter_table('signups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('from_month', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('support_category', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('receipt_date', sa.Date(), nullable=True))
        batch_op.create_check_constraint(
            'support_category',
            "support_category IN ('poor', 'island', 'near_poor', 'ethnic_minority', 'other')")


def downgrade():
    with op.batch_alter_table('signups', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_signups_support_category'), type_='check')
        batch_op.drop_column('receipt_date')
        batch_op.drop_column('support_category')
        batch_op.drop_column('from_month')
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('contact_address')
        batch_op.drop_column('nationality')
        batch_op.drop_column('birth_year_only')
