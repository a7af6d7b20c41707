"""Coverage: each commune's labour force and population per year, and the province's yearly coverage target;
indexes for the year's figures by channel and for the reports' fingerprint.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 16:45:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('commune_figures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('labour_force', sa.Integer(), nullable=True),
    sa.Column('population', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('year BETWEEN 2000 AND 2100', name=op.f('ck_commune_figures_year')),
    sa.CheckConstraint('labour_force >= 0 AND population >= 0', name=op.f('ck_commune_figures_counts')),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_commune_figures_commune_id_communes'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_commune_figures_updated_by_id_users'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commune_figures')),
    sa.UniqueConstraint('commune_id', 'year', name='uq_commune_figures_commune_year')
    )
    with op.batch_alter_table('commune_figures', schema=None) as batch_op:
        batch_op.create_index('ix_commune_figures_year_commune',
                              ['year', 'commune_id', 'labour_force', 'population'], unique=False)

    op.create_table('coverage_targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('province_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('bhxh_tn_share', sa.Integer(), nullable=True),
    sa.Column('bhyt_share', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('year BETWEEN 2000 AND 2100', name=op.f('ck_coverage_targets_year')),
    sa.CheckConstraint('bhxh_tn_share BETWEEN 0 AND 10000 AND bhyt_share BETWEEN 0 AND 10000',
                       name=op.f('ck_coverage_targets_shares')),
    sa.ForeignKeyConstraint(['province_id'], ['provinces.id'], name=op.f('fk_coverage_targets_province_id_provinces'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_coverage_targets_updated_by_id_users'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coverage_targets')),
    sa.UniqueConstraint('province_id', 'year', name='uq_coverage_targets_province_year')
    )
    with op.batch_alter_table('signups', schema=None) as batch_op:
        batch_op.create_index('ix_signups_day_channel',
                              ['signed_on', 'status', 'channel', 'scheme', 'kind', 'commune_id', 'net'], unique=False)
        batch_op.create_index('ix_signups_updated_at', ['updated_at'], unique=False)
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.create_index('ix_people_updated_at', ['updated_at'], unique=False)


def downgrade():
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_index('ix_people_updated_at')
    with op.batch_alter_table('signups', schema=None) as batch_op:
        batch_op.drop_index('ix_signups_updated_at')
        batch_op.drop_index('ix_signups_day_channel')
    op.drop_table('coverage_targets')
    with op.batch_alter_table('commune_figures', schema=None) as batch_op:
        batch_op.drop_index('ix_commune_figures_year_commune')
    op.drop_table('commune_figures')
