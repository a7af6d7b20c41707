"""Territory: geography, offices, agents, audit log, login throttling.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 16:53:39.498026

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_throttles',
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('window_start', sa.DateTime(), nullable=False),
    sa.Column('blocked_until', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_login_throttles'))
    )
    op.create_table('provinces',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=2), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('division_type', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_provinces')),
    sa.UniqueConstraint('code', name=op.f('uq_provinces_code'))
    )
    op.create_table('offices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('province_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('sort_key', sa.String(length=800), nullable=False),
    sa.CheckConstraint("kind IN ('province', 'local')", name=op.f('ck_offices_kind')),
    sa.ForeignKeyConstraint(['parent_id'], ['offices.id'], name=op.f('fk_offices_parent_id_offices')),
    sa.ForeignKeyConstraint(['province_id'], ['provinces.id'], name=op.f('fk_offices_province_id_provinces')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offices')),
    sa.UniqueConstraint('code', name=op.f('uq_offices_code'))
    )
    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_offices_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_offices_province_id'), ['province_id'], unique=False)

    op.create_table('agent_organisations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('sort_key', sa.String(length=800), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_agent_organisations_office_id_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agent_organisations'))
    )
    with op.batch_alter_table('agent_organisations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agent_organisations_office_id'), ['office_id'], unique=False)

    op.create_table('communes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=5), nullable=False),
    sa.Column('province_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('division_type', sa.String(length=20), nullable=False),
    sa.Column('legacy_district', sa.String(length=100), nullable=True),
    sa.Column('office_id', sa.Integer(), nullable=True),
    sa.Column('search_name', sa.String(length=100), nullable=False),
    sa.Column('sort_key', sa.String(length=400), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_communes_office_id_offices'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['province_id'], ['provinces.id'], name=op.f('fk_communes_province_id_provinces')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_communes')),
    sa.UniqueConstraint('code', name=op.f('uq_communes_code'))
    )
    with op.batch_alter_table('communes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_communes_office_id'), ['office_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_communes_province_id'), ['province_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_communes_search_name'), ['search_name'], unique=False)
        batch_op.create_index(batch_op.f('ix_communes_sort_key'), ['sort_key'], unique=False)

    op.create_table('agents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('full_name', sa.String(length=120), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('trained_on', sa.Date(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('sort_key', sa.String(length=400), nullable=False),
    sa.Column('search_name', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_agents_office_id_offices')),
    sa.ForeignKeyConstraint(['organisation_id'], ['agent_organisations.id'], name=op.f('fk_agents_organisation_id_agent_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agents')),
    sa.UniqueConstraint('code', name=op.f('uq_agents_code'))
    )
    with op.batch_alter_table('agents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agents_office_id'), ['office_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agents_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agents_search_name'), ['search_name'], unique=False)
        batch_op.create_index(batch_op.f('ix_agents_sort_key'), ['sort_key'], unique=False)

    op.create_table('hamlets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('sort_key', sa.String(length=500), nullable=False),
    sa.Column('search_name', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_hamlets_commune_id_communes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hamlets')),
    sa.UniqueConstraint('commune_id', 'name', name='uq_hamlets_commune_name')
    )
    with op.batch_alter_table('hamlets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hamlets_commune_id'), ['commune_id'], unique=False)

    op.create_table('agent_communes',
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_agent_communes_agent_id_agents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_agent_communes_commune_id_communes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('agent_id', 'commune_id', name=op.f('pk_agent_communes'))
    )
    with op.batch_alter_table('agent_communes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agent_communes_commune_id'), ['commune_id'], unique=False)

    op.create_table('agent_hamlets',
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('hamlet_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_agent_hamlets_agent_id_agents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['hamlet_id'], ['hamlets.id'], name=op.f('fk_agent_hamlets_hamlet_id_hamlets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('agent_id', 'hamlet_id', name=op.f('pk_agent_hamlets'))
    )
    with op.batch_alter_table('agent_hamlets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agent_hamlets_hamlet_id'), ['hamlet_id'], unique=False)

    op.create_table('audit_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('username', sa.String(length=64), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('object_type', sa.String(length=40), nullable=True),
    sa.Column('object_id', sa.Integer(), nullable=True),
    sa.Column('ip', sa.String(length=45), nullable=True),
    sa.Column('outcome', sa.String(length=10), nullable=False),
    sa.Column('details', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_audit_entries_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entries'))
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entries_action'), ['action'], unique=False)
        batch_op.create_index('ix_audit_entries_at', ['at'], unique=False)
        batch_op.create_index('ix_audit_entries_object', ['object_type', 'object_id'], unique=False)
        batch_op.create_index('ix_audit_entries_user_at', ['user_id', 'at'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('office_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('agent_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_users_office_id'), ['office_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_users_agent_id'), ['agent_id'])
        batch_op.create_foreign_key(batch_op.f('fk_users_agent_id_agents'), 'agents', ['agent_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_users_office_id_offices'), 'offices', ['office_id'], ['id'])



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_users_office_id_offices'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_users_agent_id_agents'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_users_agent_id'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_users_office_id'))
        batch_op.drop_column('agent_id')
        batch_op.drop_column('office_id')

    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entries_user_at')
        batch_op.drop_index('ix_audit_entries_object')
        batch_op.drop_index('ix_audit_entries_at')
        batch_op.drop_index(batch_op.f('ix_audit_entries_action'))

    op.drop_table('audit_entries')
    with op.batch_alter_table('agent_hamlets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agent_hamlets_hamlet_id'))

    op.drop_table('agent_hamlets')
    with op.batch_alter_table('agent_communes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agent_communes_commune_id'))

    op.drop_table('agent_communes')
    with op.batch_alter_table('hamlets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hamlets_commune_id'))

    op.drop_table('hamlets')
    with op.batch_alter_table('agents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agents_sort_key'))
        batch_op.drop_index(batch_op.f('ix_agents_search_name'))
        batch_op.drop_index(batch_op.f('ix_agents_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_agents_office_id'))

    op.drop_table('agents')
    with op.batch_alter_table('communes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_communes_sort_key'))
        batch_op.drop_index(batch_op.f('ix_communes_search_name'))
        batch_op.drop_index(batch_op.f('ix_communes_province_id'))
        batch_op.drop_index(batch_op.f('ix_communes_office_id'))

    op.drop_table('communes')
    with op.batch_alter_table('agent_organisations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agent_organisations_office_id'))

    op.drop_table('agent_organisations')
    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_offices_province_id'))
        batch_op.drop_index(batch_op.f('ix_offices_parent_id'))

    op.drop_table('offices')
    op.drop_table('provinces')
    op.drop_table('login_throttles')
