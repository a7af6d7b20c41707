"""Island communes (xã đảo, đặc khu) for the island rate of state support; policy values marked unconfirmed (the
2027 poverty line as the minimum chosen income); the base salary before July 2019 corrected to its real dates.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 15:00:00.000000

"""
from datetime import date

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('communes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('island', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('policy_values', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confirmed', sa.Boolean(), server_default=sa.true(), nullable=False))
    communes = sa.table('communes', sa.column('island', sa.Boolean()), sa.column('division_type', sa.String()))
    op.execute(communes.update().where(communes.c.division_type == 'đặc khu').values(island=True))
    values = sa.table('policy_values', sa.column('key', sa.String()), sa.column('effective_from', sa.Date()),
                      sa.column('value', sa.Numeric()), sa.column('source', sa.String()),
                      sa.column('confirmed', sa.Boolean()), sa.column('created_by_id', sa.Integer()))
    shipped = values.c.created_by_id.is_(None)
    op.execute(values.update().where(shipped, values.c.key == 'rural_poverty_line',
                                     values.c.effective_from == date(2027, 1, 1)).values(confirmed=False))
    # The shipped base salary from 1/1/2018 was the 2019 amount: 1.300.000 until 30/6/2018 (Decree 47/2017),
    # 1.390.000 from 1/7/2018 (Decree 72/2018), 1.490.000 from 1/7/2019 (Decree 38/2019). The seed adds the
    # rows of the real dates; the shipped row of 1/1/2018 takes the amount then in force.
    op.execute(values.update().where(shipped, values.c.key == 'base_salary', values.c.value == 1490000,
                                     values.c.effective_from == date(2018, 1, 1))
               .values(value=1300000, source='Nghị định 47/2017/NĐ-CP'))


def downgrade():
    with op.batch_alter_table('policy_values', schema=None) as batch_op:
        batch_op.drop_column('confirmed')
    with op.batch_alter_table('communes', schema=None) as batch_op:
        batch_op.drop_column('island')
