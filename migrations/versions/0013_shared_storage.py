"""Shared file store: files (print jobs, evidence, pending uploads, PDF cache, backups) as chunked rows, for
several hosts (STORAGE = "database"; unused with the default instance folder).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 10:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'stored_files',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=400), nullable=False),
        sa.Column('size', sa.BigInteger(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('chunk_size', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('modified_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_stored_files')),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table('stored_files', schema=None) as batch_op:
        batch_op.create_index('ux_stored_files_key', ['key'], unique=True,
                              postgresql_ops={'key': 'text_pattern_ops'})
    op.create_table(
        'stored_file_chunks',
        sa.Column('file_id', sa.Integer(), nullable=False),
        sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['file_id'], ['stored_files.id'],
                                name=op.f('fk_stored_file_chunks_file_id_stored_files'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('file_id', 'seq', name=op.f('pk_stored_file_chunks')),
    )
    if op.get_bind().dialect.name == 'postgresql':
        # PDFs, scans and gzip archives are compressed already: store the chunks as they are, out of line.
        op.execute('ALTER TABLE stored_file_chunks ALTER COLUMN data SET STORAGE EXTERNAL')


def downgrade():
    op.drop_table('stored_file_chunks')
    with op.batch_alter_table('stored_files', schema=None) as batch_op:
        batch_op.drop_index('ux_stored_files_key', postgresql_ops={'key': 'text_pattern_ops'})
    op.drop_table('stored_files')
