"""Data protection: data-subject requests, erasures, retention runs; the audit log append-only on PostgreSQL.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 08:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

# UPDATE and DELETE of audit entries are refused unless the transaction set portal.audit_purge (the retention
# command does; see portal/privacy/audit_guard.py).
AUDIT_GUARD = """
CREATE FUNCTION audit_entries_append_only() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('portal.audit_purge', true), '') = 'on' THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    RAISE EXCEPTION 'audit entries cannot be changed or deleted (%)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries
    FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only();
"""


def upgrade():
    op.create_table('data_subject_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('requester_name', sa.String(length=120), nullable=False),
    sa.Column('channel', sa.String(length=12), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('acknowledge_by', sa.Date(), nullable=False),
    sa.Column('answer_by', sa.Date(), nullable=False),
    sa.Column('acknowledged_on', sa.Date(), nullable=True),
    sa.Column('answered_on', sa.Date(), nullable=True),
    sa.Column('details', sa.Text(), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("channel IN ('in_person', 'letter', 'phone', 'email', 'other')", name=op.f('ck_data_subject_requests_channel')),
    sa.CheckConstraint("kind IN ('access', 'correction', 'deletion', 'objection')", name=op.f('ck_data_subject_requests_kind')),
    sa.CheckConstraint("status IN ('received', 'acknowledged', 'done', 'refused')", name=op.f('ck_data_subject_requests_status')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_data_subject_requests_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_data_subject_requests_person_id_people'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_subject_requests'))
    )
    with op.batch_alter_table('data_subject_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_data_subject_requests_person_id'), ['person_id'], unique=False)
        batch_op.create_index('ix_data_subject_requests_status_answer', ['status', 'answer_by'], unique=False)

    op.create_table('erasures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('object_type', sa.String(length=10), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('erased_by_id', sa.Integer(), nullable=True),
    sa.Column('erased_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("object_type IN ('person', 'household')", name=op.f('ck_erasures_object_type')),
    sa.ForeignKeyConstraint(['erased_by_id'], ['users.id'], name=op.f('fk_erasures_erased_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['request_id'], ['data_subject_requests.id'], name=op.f('fk_erasures_request_id_data_subject_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_erasures'))
    )
    with op.batch_alter_table('erasures', schema=None) as batch_op:
        batch_op.create_index('ix_erasures_object', ['object_type', 'object_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_erasures_request_id'), ['request_id'], unique=False)

    op.create_table('retention_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('dry_run', sa.Boolean(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=True),
    sa.Column('results', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_retention_runs'))
    )

    if op.get_bind().dialect.name == 'postgresql':
        op.execute(AUDIT_GUARD)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER IF EXISTS audit_entries_append_only ON audit_entries")
        op.execute("DROP FUNCTION IF EXISTS audit_entries_append_only()")

    op.drop_table('retention_runs')
    with op.batch_alter_table('erasures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_erasures_request_id'))
        batch_op.drop_index('ix_erasures_object')

    op.drop_table('erasures')
    with op.batch_alter_table('data_subject_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_data_subject_requests_status_answer')
        batch_op.drop_index(batch_op.f('ix_data_subject_requests_person_id'))

    op.drop_table('data_subject_requests')
