"""Targets beyond offices, communes and agents: an office's split by channel, an agent organisation's own plan,
a hamlet's share of its commune; and an agent organisation as the organiser of an event.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06 19:40:00.000000

"""
import sqlalchemy as sa
from alembic import op

OLD_LEVELS = "level IN ('office', 'commune', 'agent')"
NEW_LEVELS = "level IN ('office', 'commune', 'agent', 'channel', 'organisation', 'hamlet')"
CHANNELS = "channel IN ('event', 'door', 'counter', 'online', 'other') OR channel IS NULL"


# revision identifiers, used by Alembic.
revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.alter_column('level', existing_type=sa.String(length=8), type_=sa.String(length=12),
                              existing_nullable=False)
        batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('hamlet_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('channel', sa.String(length=10), nullable=True))
        batch_op.drop_constraint(batch_op.f('ck_targets_level'), type_='check')
        batch_op.create_check_constraint('level', NEW_LEVELS)
        batch_op.create_check_constraint('channel', CHANNELS)
        batch_op.create_foreign_key(batch_op.f('fk_targets_organisation_id_agent_organisations'),
                                    'agent_organisations', ['organisation_id'], ['id'], ondelete='CASCADE')
        batch_op.create_foreign_key(batch_op.f('fk_targets_hamlet_id_hamlets'), 'hamlets', ['hamlet_id'], ['id'],
                                    ondelete='CASCADE')
        batch_op.create_index(batch_op.f('ix_targets_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_targets_hamlet_id'), ['hamlet_id'], unique=False)

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organiser_organisation_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_events_organiser_organisation_id_agent_organisations'),
                                    'agent_organisations', ['organiser_organisation_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_events_organiser_organisation_id'), ['organiser_organisation_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_organiser_organisation_id'))
        batch_op.drop_constraint(batch_op.f('fk_events_organiser_organisation_id_agent_organisations'),
                                 type_='foreignkey')
        batch_op.drop_column('organiser_organisation_id')

    targets = sa.table('targets', sa.column('level', sa.String()))
    op.execute(targets.delete().where(targets.c.level.in_(('channel', 'organisation', 'hamlet'))))
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_targets_hamlet_id'))
        batch_op.drop_index(batch_op.f('ix_targets_organisation_id'))
        batch_op.drop_constraint(batch_op.f('fk_targets_hamlet_id_hamlets'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_targets_organisation_id_agent_organisations'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('ck_targets_channel'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_targets_level'), type_='check')
        batch_op.create_check_constraint('level', OLD_LEVELS)
        batch_op.drop_column('channel')
        batch_op.drop_column('hamlet_id')
        batch_op.drop_column('organisation_id')
        batch_op.alter_column('level', existing_type=sa.String(length=12), type_=sa.String(length=8),
                              existing_nullable=False)
