"""Pre-visit lists, assignments, visits, agent quotas.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 17:14:08.981482

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('visit_lists',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('criteria', sa.JSON(), nullable=True),
    sa.Column('next_row', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_visit_lists_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_visit_lists_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_lists')),
    sa.UniqueConstraint('event_id', name=op.f('uq_visit_lists_event_id'))
    )
    op.create_table('agent_quotas',
    sa.Column('visit_list_id', sa.Integer(), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('max_visits', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_agent_quotas_agent_id_agents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['visit_list_id'], ['visit_lists.id'], name=op.f('fk_agent_quotas_visit_list_id_visit_lists'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('visit_list_id', 'agent_id', name=op.f('pk_agent_quotas'))
    )
    op.create_table('visit_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visit_list_id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('hamlet_id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('row_number', sa.Integer(), nullable=False),
    sa.Column('walk_key', sa.String(length=1200), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.Column('outcome_at', sa.DateTime(), nullable=True),
    sa.Column('follow_up_on', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("outcome IN ('consulted', 'not_home', 'interested', 'invited', 'declined', 'already_insured') OR outcome IS NULL", name=op.f('ck_visit_assignments_outcome')),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_visit_assignments_agent_id_agents')),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_visit_assignments_commune_id_communes')),
    sa.ForeignKeyConstraint(['hamlet_id'], ['hamlets.id'], name=op.f('fk_visit_assignments_hamlet_id_hamlets')),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_visit_assignments_household_id_households'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['visit_list_id'], ['visit_lists.id'], name=op.f('fk_visit_assignments_visit_list_id_visit_lists'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_assignments')),
    sa.UniqueConstraint('visit_list_id', 'household_id', name='uq_visit_assignments_list_household'),
    sa.UniqueConstraint('visit_list_id', 'row_number', name='uq_visit_assignments_list_row')
    )
    with op.batch_alter_table('visit_assignments', schema=None) as batch_op:
        batch_op.create_index('ix_visit_assignments_agent_list', ['agent_id', 'visit_list_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_assignments_household_id'), ['household_id'], unique=False)
        batch_op.create_index('ix_visit_assignments_list_order', ['visit_list_id', 'walk_key'], unique=False)

    op.create_table('visits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=True),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('agent_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('decline_reason', sa.String(length=24), nullable=True),
    sa.Column('expected_attendees', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('follow_up_on', sa.Date(), nullable=True),
    sa.Column('from_paper', sa.Boolean(), nullable=False),
    sa.Column('after_event', sa.Boolean(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('submission_key', sa.String(length=64), nullable=True),
    sa.CheckConstraint("outcome IN ('consulted', 'not_home', 'interested', 'invited', 'declined', 'already_insured')", name=op.f('ck_visits_outcome')),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_visits_agent_id_agents')),
    sa.ForeignKeyConstraint(['assignment_id'], ['visit_assignments.id'], name=op.f('fk_visits_assignment_id_visit_assignments'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_visits_household_id_households'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_visits_person_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_visits_recorded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visits')),
    sa.UniqueConstraint('submission_key', name=op.f('uq_visits_submission_key'))
    )
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visits_agent_id'), ['agent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visits_assignment_id'), ['assignment_id'], unique=False)
        batch_op.create_index('ix_visits_household_at', ['household_id', 'recorded_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_visits_person_id'), ['person_id'], unique=False)



def downgrade():
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visits_person_id'))
        batch_op.drop_index('ix_visits_household_at')
        batch_op.drop_index(batch_op.f('ix_visits_assignment_id'))
        batch_op.drop_index(batch_op.f('ix_visits_agent_id'))

    op.drop_table('visits')
    with op.batch_alter_table('visit_assignments', schema=None) as batch_op:
        batch_op.drop_index('ix_visit_assignments_list_order')
        batch_op.drop_index(batch_op.f('ix_visit_assignments_household_id'))
        batch_op.drop_index('ix_visit_assignments_agent_list')

    op.drop_table('visit_assignments')
    op.drop_table('agent_quotas')
    op.drop_table('visit_lists')
