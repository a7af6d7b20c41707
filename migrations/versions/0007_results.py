"""Invitations, attendance, sign-ups, event results, evidence files.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 17:16:20.807606

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('event_results',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['users.id'], name=op.f('fk_event_results_confirmed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_results_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_event_results'))
    )
    op.create_table('evidence_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('original_name', sa.String(length=200), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_evidence_files_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_evidence_files_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_files')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_evidence_files_stored_name'))
    )
    with op.batch_alter_table('evidence_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_files_event_id'), ['event_id'], unique=False)

    op.create_table('invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('agent_id', sa.Integer(), nullable=True),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.Column('expected_attendees', sa.Integer(), nullable=False),
    sa.Column('delivered_at', sa.DateTime(), nullable=True),
    sa.Column('sheet_row', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_invitations_agent_id_agents')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_invitations_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_invitations_household_id_households'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_invitations_person_id_people'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations')),
    sa.UniqueConstraint('event_id', 'household_id', name='uq_invitations_event_household'),
    sa.UniqueConstraint('event_id', 'sheet_row', name='uq_invitations_event_sheet_row'),
    sa.UniqueConstraint('token', name=op.f('uq_invitations_token'))
    )
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitations_household_id'), ['household_id'], unique=False)

    op.create_table('signups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('agent_id', sa.Integer(), nullable=True),
    sa.Column('credited_agent_id', sa.Integer(), nullable=True),
    sa.Column('scheme', sa.String(length=10), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('chosen_income', sa.Integer(), nullable=True),
    sa.Column('payment_mode', sa.String(length=20), nullable=True),
    sa.Column('months', sa.Integer(), nullable=False),
    sa.Column('member_order', sa.Integer(), nullable=True),
    sa.Column('amount_due', sa.Integer(), nullable=False),
    sa.Column('support', sa.Integer(), nullable=False),
    sa.Column('local_support', sa.Integer(), nullable=False),
    sa.Column('net', sa.Integer(), nullable=False),
    sa.Column('computed_net', sa.Integer(), nullable=False),
    sa.Column('override_reason', sa.String(length=300), nullable=True),
    sa.Column('receipt_number', sa.String(length=40), nullable=True),
    sa.Column('signed_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('sheet_row', sa.Integer(), nullable=True),
    sa.Column('export_batch_id', sa.Integer(), nullable=True),
    sa.Column('submission_key', sa.String(length=64), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('new', 'renewal', 'adjustment')", name=op.f('ck_signups_kind')),
    sa.CheckConstraint("scheme IN ('bhxh_tn', 'bhyt_hgd')", name=op.f('ck_signups_scheme')),
    sa.CheckConstraint("status IN ('recorded', 'confirmed')", name=op.f('ck_signups_status')),
    sa.CheckConstraint('net >= 0 AND amount_due >= 0', name=op.f('ck_signups_amounts')),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_signups_agent_id_agents')),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_signups_commune_id_communes')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_signups_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['credited_agent_id'], ['agents.id'], name=op.f('fk_signups_credited_agent_id_agents')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_signups_event_id_events'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_signups_household_id_households')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_signups_person_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signups')),
    sa.UniqueConstraint('submission_key', name=op.f('uq_signups_submission_key'))
    )
    with op.batch_alter_table('signups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signups_agent_id'), ['agent_id'], unique=False)
        batch_op.create_index('ix_signups_commune_signed', ['commune_id', 'signed_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_signups_credited_agent_id'), ['credited_agent_id'], unique=False)
        batch_op.create_index('ix_signups_event', ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_signups_export_batch_id'), ['export_batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_signups_person_id'), ['person_id'], unique=False)
        batch_op.create_index('ix_signups_signed_on', ['signed_on'], unique=False)
        batch_op.create_index('uq_signups_event_person_scheme', ['event_id', 'person_id', 'scheme'], unique=True, postgresql_where=sa.text('event_id IS NOT NULL'), sqlite_where=sa.text('event_id IS NOT NULL'))

    op.create_table('attendances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('household_id', sa.Integer(), nullable=True),
    sa.Column('invitation_id', sa.Integer(), nullable=True),
    sa.Column('walk_in', sa.Boolean(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=True),
    sa.Column('phone', sa.String(length=10), nullable=True),
    sa.Column('hamlet_id', sa.Integer(), nullable=True),
    sa.Column('checked_in_at', sa.DateTime(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('from_paper', sa.Boolean(), nullable=False),
    sa.Column('submission_key', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_attendances_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['hamlet_id'], ['hamlets.id'], name=op.f('fk_attendances_hamlet_id_hamlets')),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_attendances_household_id_households'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitations.id'], name=op.f('fk_attendances_invitation_id_invitations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_attendances_person_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_attendances_recorded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendances')),
    sa.UniqueConstraint('submission_key', name=op.f('uq_attendances_submission_key'))
    )
    with op.batch_alter_table('attendances', schema=None) as batch_op:
        batch_op.create_index('ix_attendances_event', ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attendances_person_id'), ['person_id'], unique=False)
        batch_op.create_index('uq_attendances_event_person', ['event_id', 'person_id'], unique=True, postgresql_where=sa.text('person_id IS NOT NULL'), sqlite_where=sa.text('person_id IS NOT NULL'))



def downgrade():
    with op.batch_alter_table('attendances', schema=None) as batch_op:
        batch_op.drop_index('uq_attendances_event_person', postgresql_where=sa.text('person_id IS NOT NULL'), sqlite_where=sa.text('person_id IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_attendances_person_id'))
        batch_op.drop_index('ix_attendances_event')

    op.drop_table('attendances')
    with op.batch_alter_table('signups', schema=None) as batch_op:
        batch_op.drop_index('uq_signups_event_person_scheme', postgresql_where=sa.text('event_id IS NOT NULL'), sqlite_where=sa.text('event_id IS NOT NULL'))
        batch_op.drop_index('ix_signups_signed_on')
        batch_op.drop_index(batch_op.f('ix_signups_person_id'))
        batch_op.drop_index(batch_op.f('ix_signups_export_batch_id'))
        batch_op.drop_index('ix_signups_event')
        batch_op.drop_index(batch_op.f('ix_signups_credited_agent_id'))
        batch_op.drop_index('ix_signups_commune_signed')
        batch_op.drop_index(batch_op.f('ix_signups_agent_id'))

    op.drop_table('signups')
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitations_household_id'))

    op.drop_table('invitations')
    with op.batch_alter_table('evidence_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_files_event_id'))

    op.drop_table('evidence_files')
    op.drop_table('event_results')
