"""Reminder contacts of the retention work: who was reminded of a due payment, how, and with what outcome.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 17:10:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('retention_contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('hamlet_id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('scheme', sa.String(length=10), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('method', sa.String(length=8), nullable=False),
    sa.Column('outcome', sa.String(length=14), nullable=False),
    sa.Column('promised_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('agent_id', sa.Integer(), nullable=True),
    sa.Column('contacted_on', sa.Date(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('submission_key', sa.String(length=64), nullable=True),
    sa.CheckConstraint("scheme IN ('bhxh_tn', 'bhyt_hgd')", name=op.f('ck_retention_contacts_scheme')),
    sa.CheckConstraint("method IN ('visit', 'phone', 'sms')", name=op.f('ck_retention_contacts_method')),
    sa.CheckConstraint("outcome IN ('paid', 'promised', 'cannot_afford', 'moved', 'died', 'compulsory', 'refused', "
                       "'no_answer')", name=op.f('ck_retention_contacts_outcome')),
    sa.CheckConstraint("(outcome = 'promised') = (promised_on IS NOT NULL)",
                       name=op.f('ck_retention_contacts_promised_on')),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_retention_contacts_agent_id_agents')),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_retention_contacts_commune_id_communes')),
    sa.ForeignKeyConstraint(['hamlet_id'], ['hamlets.id'], name=op.f('fk_retention_contacts_hamlet_id_hamlets')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_retention_contacts_person_id_people'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_retention_contacts_recorded_by_id_users'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_retention_contacts')),
    sa.UniqueConstraint('submission_key', name=op.f('uq_retention_contacts_submission_key'))
    )
    with op.batch_alter_table('retention_contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_retention_contacts_agent_id'), ['agent_id'], unique=False)
        batch_op.create_index('ix_retention_contacts_person', ['person_id', 'scheme', 'id', 'outcome'], unique=False)
        batch_op.create_index('ix_retention_contacts_commune_day',
                              ['commune_id', 'contacted_on', 'scheme', 'outcome', 'method', 'hamlet_id'], unique=False)
        batch_op.create_index('ix_retention_contacts_promised', ['promised_on', 'commune_id', 'hamlet_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('retention_contacts', schema=None) as batch_op:
        batch_op.drop_index('ix_retention_contacts_promised')
        batch_op.drop_index('ix_retention_contacts_commune_day')
        batch_op.drop_index('ix_retention_contacts_person')
        batch_op.drop_index(batch_op.f('ix_retention_contacts_agent_id'))
    op.drop_table('retention_contacts')
