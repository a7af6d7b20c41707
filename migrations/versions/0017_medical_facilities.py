"""Medical facilities for initial registration under health insurance (cơ sở KCB ban đầu), and the facility
each household health insurance sign-up chose.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 15:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('facilities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('province_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=5), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('search_name', sa.String(length=200), nullable=False),
    sa.Column('sort_key', sa.String(length=800), nullable=False),
    sa.CheckConstraint("level IN ('central', 'province', 'district', 'commune', 'other')",
                       name=op.f('ck_facilities_level')),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_facilities_commune_id_communes'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['province_id'], ['provinces.id'], name=op.f('fk_facilities_province_id_provinces')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_facilities')),
    sa.UniqueConstraint('province_id', 'code', name='uq_facilities_province_code')
    )
    with op.batch_alter_table('facilities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_facilities_commune_id'), ['commune_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_facilities_province_id'), ['province_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_facilities_search_name'), ['search_name'], unique=False)

    with op.batch_alter_table('signups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('facility_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_signups_facility_id_facilities'), 'facilities', ['facility_id'],
                                    ['id'])
        batch_op.create_index(batch_op.f('ix_signups_facility_id'), ['facility_id'], unique=False)


def downgrade():
    with op.batch_alter_table('signups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signups_facility_id'))
        batch_op.drop_constraint(batch_op.f('fk_signups_facility_id_facilities'), type_='foreignkey')
        batch_op.drop_column('facility_id')

    with op.batch_alter_table('facilities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_facilities_search_name'))
        batch_op.drop_index(batch_op.f('ix_facilities_province_id'))
        batch_op.drop_index(batch_op.f('ix_facilities_commune_id'))

    op.drop_table('facilities')
