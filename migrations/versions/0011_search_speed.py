"""Search speed: search rows carry each person's sort key, place and folded name, and tags; covering indexes
for list pages and due lists.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

SEARCH_COLUMNS = "token, words_after, sort_key, person_id, commune_id, hamlet_id, search_name"
SEARCHED = ['commune_id', 'hamlet_id', 'search_name', 'bhxh_tn_status', 'compulsory_insured', 'bhyt_expires_on', 'date_of_birth']


def _words_after(dialect: str) -> str:
    """SQL for a kept word's words_after, as portal.households.models.words_after computes it: the words after
    its place in the folded name, at most 3; 3 for a word that comes twice, and for every word of a name that
    is not plain letters with as many words as the full name."""
    find = "strpos" if dialect == "postgresql" else "instr"
    plain = "p.search_name !~ '[^a-z ]'" if dialect == "postgresql" else "p.search_name NOT GLOB '*[^a-z ]*'"
    smallest = "LEAST" if dialect == "postgresql" else "min"
    padded = "(' ' || p.search_name || ' ')"
    needle = "(' ' || t.token || ' ')"
    rest = f"substr({padded}, {find}({padded}, {needle}) + length({needle}) - 1)"
    return (f"CASE WHEN NOT ({plain}) "
            "OR length(p.full_name) - length(replace(p.full_name, ' ', '')) "
            "<> length(p.search_name) - length(replace(p.search_name, ' ', '')) "
            f"OR {find}({padded}, {needle}) = 0 OR {find}({rest}, {needle}) > 0 THEN 3 "
            f"ELSE {smallest}(3, length({rest}) - length(replace({rest}, ' ', '')) - 1) END")


def _create_search_rows():
    op.create_table('person_name_tokens',
    sa.Column('token', sa.String(length=40), nullable=False),
    sa.Column('words_after', sa.Integer(), nullable=False),
    sa.Column('sort_key', sa.String(length=400), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('hamlet_id', sa.Integer(), nullable=False),
    sa.Column('search_name', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_person_name_tokens_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token', 'words_after', 'sort_key', 'person_id', name=op.f('pk_person_name_tokens'),
                            postgresql_include=['commune_id', 'hamlet_id', 'search_name']),
    sqlite_with_rowid=False,
    )
    with op.batch_alter_table('person_name_tokens', schema=None) as batch_op:
        batch_op.create_index('ix_person_name_tokens_commune', ['token', 'commune_id', 'words_after', 'sort_key', 'person_id', 'hamlet_id', 'search_name'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_name_tokens_person_id'), ['person_id'], unique=False)


def _create_old_tokens():
    op.create_table('person_name_tokens',
    sa.Column('token', sa.String(length=40), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_person_name_tokens_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token', 'person_id', name=op.f('pk_person_name_tokens'))
    )
    with op.batch_alter_table('person_name_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_name_tokens_person_id'), ['person_id'], unique=False)


def _drop_tokens():
    op.drop_table('person_name_tokens')


def upgrade():
    # The words are kept (they are the name's words); the copies come from people, the tag rows from tags.
    op.execute("CREATE TABLE person_name_tokens_0010 AS SELECT token, person_id FROM person_name_tokens")
    _drop_tokens()
    _create_search_rows()
    dialect = op.get_bind().dialect.name
    op.execute(f"INSERT INTO person_name_tokens ({SEARCH_COLUMNS}) "
               f"SELECT t.token, {_words_after(dialect)}, p.sort_key, p.id, p.commune_id, p.hamlet_id, p.search_name "
               "FROM person_name_tokens_0010 t JOIN people p ON p.id = t.person_id")
    op.execute(f"INSERT INTO person_name_tokens ({SEARCH_COLUMNS}) "
               "SELECT 'TAG:' || g.tag, 0, p.sort_key, p.id, p.commune_id, p.hamlet_id, p.search_name "
               "FROM person_tags g JOIN people p ON p.id = g.person_id")
    op.drop_table('person_name_tokens_0010')

    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_index('ix_people_paid_until')
        batch_op.drop_index('ix_people_bhyt_expires_on')
        batch_op.drop_index('ix_people_commune_sort')
        batch_op.create_index('ix_people_sort', ['sort_key', 'id', *SEARCHED], unique=False)
        batch_op.create_index('ix_people_commune_sort', ['commune_id', 'sort_key', 'id', *SEARCHED[1:]], unique=False)
        batch_op.create_index('ix_people_status_sort', ['bhxh_tn_status', 'sort_key', 'id', 'commune_id', 'hamlet_id'], unique=False)
        batch_op.create_index('ix_people_status_paid', ['bhxh_tn_status', 'paid_until', 'commune_id', 'hamlet_id'], unique=False)
        batch_op.create_index('ix_people_bhyt', ['bhyt_expires_on', 'commune_id', 'hamlet_id', 'sort_key', 'id', 'search_name', 'bhxh_tn_status', 'compulsory_insured', 'date_of_birth'], unique=False)


def downgrade():
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_index('ix_people_bhyt')
        batch_op.drop_index('ix_people_status_paid')
        batch_op.drop_index('ix_people_status_sort')
        batch_op.drop_index('ix_people_commune_sort')
        batch_op.drop_index('ix_people_sort')
        batch_op.create_index('ix_people_commune_sort', ['commune_id', 'sort_key'], unique=False)
        batch_op.create_index('ix_people_bhyt_expires_on', ['bhyt_expires_on'], unique=False)
        batch_op.create_index('ix_people_paid_until', ['paid_until'], unique=False)

    op.execute("CREATE TABLE person_name_tokens_0011 AS SELECT token, person_id FROM person_name_tokens "
               "WHERE token NOT LIKE 'TAG:%'")
    _drop_tokens()
    _create_old_tokens()
    op.execute("INSERT INTO person_name_tokens (token, person_id) SELECT token, person_id FROM person_name_tokens_0011")
    op.drop_table('person_name_tokens_0011')
