"""Households and people, with potential-group tags and name tokens for search.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 17:01:10.734829

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('households',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hamlet_id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('head_name', sa.String(length=120), nullable=False),
    sa.Column('phone', sa.String(length=10), nullable=True),
    sa.Column('poverty_status', sa.String(length=10), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('match_key', sa.String(length=450), nullable=False),
    sa.Column('sort_key', sa.String(length=400), nullable=False),
    sa.Column('address_key', sa.String(length=700), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("poverty_status IN ('none', 'near_poor', 'poor')", name=op.f('ck_households_poverty_status')),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_households_commune_id_communes')),
    sa.ForeignKeyConstraint(['hamlet_id'], ['hamlets.id'], name=op.f('fk_households_hamlet_id_hamlets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_households')),
    sa.UniqueConstraint('hamlet_id', 'match_key', name='uq_households_hamlet_match')
    )
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.create_index('ix_households_commune_sort', ['commune_id', 'sort_key'], unique=False)
        batch_op.create_index('ix_households_hamlet_address', ['hamlet_id', 'address_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_households_hamlet_id'), ['hamlet_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_households_phone'), ['phone'], unique=False)

    op.create_table('people',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('hamlet_id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('full_name', sa.String(length=120), nullable=False),
    sa.Column('sort_key', sa.String(length=400), nullable=False),
    sa.Column('search_name', sa.String(length=120), nullable=False),
    sa.Column('sex', sa.String(length=6), nullable=True),
    sa.Column('date_of_birth', sa.Date(), nullable=True),
    sa.Column('cccd', sa.String(length=12), nullable=True),
    sa.Column('bhxh_code', sa.String(length=10), nullable=True),
    sa.Column('phone', sa.String(length=10), nullable=True),
    sa.Column('relation_to_head', sa.String(length=12), nullable=False),
    sa.Column('ethnicity', sa.String(length=40), nullable=True),
    sa.Column('ethnic_minority', sa.Boolean(), nullable=False),
    sa.Column('occupation', sa.String(length=120), nullable=True),
    sa.Column('income_band', sa.String(length=12), nullable=True),
    sa.Column('bhxh_tn_status', sa.String(length=14), nullable=False),
    sa.Column('paid_until', sa.Date(), nullable=True),
    sa.Column('bhyt_expires_on', sa.Date(), nullable=True),
    sa.Column('compulsory_insured', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("bhxh_tn_status IN ('never', 'participating', 'stopped')", name=op.f('ck_people_bhxh_tn_status')),
    sa.CheckConstraint("relation_to_head IN ('head', 'spouse', 'child', 'parent', 'sibling', 'grandchild', 'in_law', 'other')", name=op.f('ck_people_relation')),
    sa.CheckConstraint("sex IN ('male', 'female')", name=op.f('ck_people_sex')),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_people_commune_id_communes')),
    sa.ForeignKeyConstraint(['hamlet_id'], ['hamlets.id'], name=op.f('fk_people_hamlet_id_hamlets')),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_people_household_id_households'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_people')),
    sa.UniqueConstraint('bhxh_code', name=op.f('uq_people_bhxh_code')),
    sa.UniqueConstraint('cccd', name=op.f('uq_people_cccd'))
    )
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.create_index('ix_people_bhyt_expires_on', ['bhyt_expires_on'], unique=False)
        batch_op.create_index('ix_people_commune_sort', ['commune_id', 'sort_key'], unique=False)
        batch_op.create_index('ix_people_hamlet_sort', ['hamlet_id', 'sort_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_people_household_id'), ['household_id'], unique=False)
        batch_op.create_index('ix_people_paid_until', ['paid_until'], unique=False)
        batch_op.create_index(batch_op.f('ix_people_phone'), ['phone'], unique=False)

    op.create_table('person_name_tokens',
    sa.Column('token', sa.String(length=40), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_person_name_tokens_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token', 'person_id', name=op.f('pk_person_name_tokens'))
    )
    with op.batch_alter_table('person_name_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_name_tokens_person_id'), ['person_id'], unique=False)

    op.create_table('person_tags',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_person_tags_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', 'tag', name=op.f('pk_person_tags'))
    )
    with op.batch_alter_table('person_tags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_tags_tag'), ['tag'], unique=False)



def downgrade():
    with op.batch_alter_table('person_tags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_tags_tag'))

    op.drop_table('person_tags')
    with op.batch_alter_table('person_name_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_name_tokens_person_id'))

    op.drop_table('person_name_tokens')
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_people_phone'))
        batch_op.drop_index('ix_people_paid_until')
        batch_op.drop_index(batch_op.f('ix_people_household_id'))
        batch_op.drop_index('ix_people_hamlet_sort')
        batch_op.drop_index('ix_people_commune_sort')
        batch_op.drop_index('ix_people_bhyt_expires_on')

    op.drop_table('people')
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_households_phone'))
        batch_op.drop_index(batch_op.f('ix_households_hamlet_id'))
        batch_op.drop_index('ix_households_hamlet_address')
        batch_op.drop_index('ix_households_commune_sort')

    op.drop_table('households')
