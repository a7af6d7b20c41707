"""Sign-ups outside events: receipt date, collection point, confirmation batches, and duplicates that never
count.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 17:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('signup_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('collection_point', sa.String(length=120), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('signups', sa.Integer(), nullable=False),
    sa.Column('total_net', sa.Integer(), nullable=False),
    sa.Column('handed_in', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('period_start <= period_end', name=op.f('ck_signup_batches_period')),
    sa.CheckConstraint('signups >= 0 AND total_net >= 0 AND handed_in >= 0', name=op.f('ck_signup_batches_totals')),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_signup_batches_agent_id_agents')),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['users.id'], name=op.f('fk_signup_batches_confirmed_by_id_users'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['agent_organisations.id'],
                            name=op.f('fk_signup_batches_organisation_id_agent_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signup_batches'))
    )
    with op.batch_alter_table('signup_batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signup_batches_agent_id'), ['agent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_signup_batches_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_signup_batches_confirmed_at'), ['confirmed_at'], unique=False)

    with op.batch_alter_table('signups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('collection_point', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('batch_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('duplicate_of_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_signups_batch_id'), ['batch_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_signups_batch_id_signup_batches'), 'signup_batches',
                                    ['batch_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_signups_duplicate_of_id_signups'), 'signups',
                                    ['duplicate_of_id'], ['id'], ondelete='SET NULL')
        batch_op.drop_constraint(batch_op.f('ck_signups_status'), type_='check')
        batch_op.create_check_constraint('status', "status IN ('recorded', 'confirmed', 'duplicate')")


def downgrade():
    op.execute("UPDATE signups SET status = 'recorded' WHERE status = 'duplicate'")
    with op.batch_alter_table('signups', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_signups_status'), type_='check')
        batch_op.create_check_constraint('status', "status IN ('recorded', 'confirmed')")
        batch_op.drop_constraint(batch_op.f('fk_signups_duplicate_of_id_signups'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_signups_batch_id_signup_batches'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_signups_batch_id'))
        batch_op.drop_column('duplicate_of_id')
        batch_op.drop_column('batch_id')
        batch_op.drop_column('collection_point')

    with op.batch_alter_table('signup_batches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signup_batches_confirmed_at'))
        batch_op.drop_index(batch_op.f('ix_signup_batches_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_signup_batches_agent_id'))
    op.drop_table('signup_batches')
