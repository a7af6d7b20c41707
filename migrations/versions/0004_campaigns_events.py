"""Campaigns, targets, events, speakers.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 17:02:08.128566

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('speakers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('full_name', sa.String(length=120), nullable=False),
    sa.Column('position', sa.String(length=200), nullable=True),
    sa.Column('phone', sa.String(length=10), nullable=True),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('sort_key', sa.String(length=400), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_speakers_office_id_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_speakers'))
    )
    with op.batch_alter_table('speakers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_speakers_office_id'), ['office_id'], unique=False)

    op.create_table('campaigns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('province_id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('may_month', 'wave', 'other')", name=op.f('ck_campaigns_kind')),
    sa.CheckConstraint("status IN ('draft', 'active', 'closed')", name=op.f('ck_campaigns_status')),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_campaigns_period')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_campaigns_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_campaigns_office_id_offices')),
    sa.ForeignKeyConstraint(['province_id'], ['provinces.id'], name=op.f('fk_campaigns_province_id_provinces')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaigns'))
    )
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaigns_office_id'), ['office_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_campaigns_province_id'), ['province_id'], unique=False)

    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=True),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('hamlet_id', sa.Integer(), nullable=True),
    sa.Column('venue', sa.String(length=200), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('organiser_office_id', sa.Integer(), nullable=False),
    sa.Column('co_organiser_id', sa.Integer(), nullable=True),
    sa.Column('expected_attendance', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('cancel_reason', sa.String(length=300), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('conference', 'training', 'door_to_door', 'mobile_propaganda', 'dialogue')", name=op.f('ck_events_kind')),
    sa.CheckConstraint("status IN ('draft', 'scheduled', 'held', 'results_entered', 'closed', 'cancelled')", name=op.f('ck_events_status')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_events_period')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_events_campaign_id_campaigns'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['co_organiser_id'], ['agent_organisations.id'], name=op.f('fk_events_co_organiser_id_agent_organisations')),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_events_commune_id_communes')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_events_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['hamlet_id'], ['hamlets.id'], name=op.f('fk_events_hamlet_id_hamlets')),
    sa.ForeignKeyConstraint(['organiser_office_id'], ['offices.id'], name=op.f('fk_events_organiser_office_id_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_campaign', ['campaign_id'], unique=False)
        batch_op.create_index('ix_events_commune_starts', ['commune_id', 'starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_hamlet_id'), ['hamlet_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_organiser_office_id'), ['organiser_office_id'], unique=False)
        batch_op.create_index('ix_events_starts', ['starts_at'], unique=False)

    op.create_table('targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=8), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=True),
    sa.Column('commune_id', sa.Integer(), nullable=True),
    sa.Column('agent_id', sa.Integer(), nullable=True),
    sa.Column('subject_key', sa.String(length=24), nullable=False),
    sa.Column('metric', sa.String(length=16), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.CheckConstraint("level IN ('office', 'commune', 'agent')", name=op.f('ck_targets_level')),
    sa.CheckConstraint("metric IN ('new_bhxh_tn', 'new_bhyt_hgd', 'renewals', 'conferences', 'attendees')", name=op.f('ck_targets_metric')),
    sa.CheckConstraint('value >= 0', name=op.f('ck_targets_value')),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_targets_agent_id_agents')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_targets_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_targets_commune_id_communes')),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_targets_office_id_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_targets')),
    sa.UniqueConstraint('campaign_id', 'metric', 'subject_key', name='uq_targets_campaign_metric_subject')
    )
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_targets_agent_id'), ['agent_id'], unique=False)
        batch_op.create_index('ix_targets_campaign_level', ['campaign_id', 'level'], unique=False)
        batch_op.create_index(batch_op.f('ix_targets_commune_id'), ['commune_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_targets_office_id'), ['office_id'], unique=False)

    op.create_table('event_agents',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_event_agents_agent_id_agents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_agents_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'agent_id', name=op.f('pk_event_agents'))
    )
    with op.batch_alter_table('event_agents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_agents_agent_id'), ['agent_id'], unique=False)

    op.create_table('event_audiences',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_audiences_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'tag', name=op.f('pk_event_audiences'))
    )
    op.create_table('event_speakers',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('speaker_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_speakers_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['speaker_id'], ['speakers.id'], name=op.f('fk_event_speakers_speaker_id_speakers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'speaker_id', name=op.f('pk_event_speakers'))
    )
    with op.batch_alter_table('event_speakers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_speakers_speaker_id'), ['speaker_id'], unique=False)



def downgrade():
    with op.batch_alter_table('event_speakers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_speakers_speaker_id'))

    op.drop_table('event_speakers')
    op.drop_table('event_audiences')
    with op.batch_alter_table('event_agents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_agents_agent_id'))

    op.drop_table('event_agents')
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_targets_office_id'))
        batch_op.drop_index(batch_op.f('ix_targets_commune_id'))
        batch_op.drop_index('ix_targets_campaign_level')
        batch_op.drop_index(batch_op.f('ix_targets_agent_id'))

    op.drop_table('targets')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_starts')
        batch_op.drop_index(batch_op.f('ix_events_organiser_office_id'))
        batch_op.drop_index(batch_op.f('ix_events_hamlet_id'))
        batch_op.drop_index('ix_events_commune_starts')
        batch_op.drop_index('ix_events_campaign')

    op.drop_table('events')
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaigns_province_id'))
        batch_op.drop_index(batch_op.f('ix_campaigns_office_id'))

    op.drop_table('campaigns')
    with op.batch_alter_table('speakers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_speakers_office_id'))

    op.drop_table('speakers')
