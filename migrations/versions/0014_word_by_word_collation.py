"""Sort keys compared word by word (a word's letters, then its tones, then the next word): every stored sort
key recomputed, and the copies in the people search rows. Invitations numbered after the first print of the
attendance sheet are marked late.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 13:45:00.000000

"""
import sqlalchemy as sa
from alembic import op

from portal.i18n.collation import collation_key, text_collation_key

# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

BATCH = 5000
_KINDS = ("Xã ", "Phường ", "Đặc khu ")


def _without_kind(name: str) -> str:
    for prefix in _KINDS:
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def _person(name):
    return {"sort_key": collation_key(name or "")}


def _text(name):
    return {"sort_key": text_collation_key(name or "")}


def _commune(name):
    return {"sort_key": text_collation_key(_without_kind(name or ""))}


def _rekey(table: str, columns: tuple[str, ...], derive) -> None:
    bind = op.get_bind()
    last = 0
    while True:
        rows = bind.execute(sa.text(f"SELECT id, {', '.join(columns)} FROM {table} WHERE id > :last "  # noqa: S608
                                    "ORDER BY id LIMIT :n"), {"last": last, "n": BATCH}).all()
        if not rows:
            return
        values = [{"row_id": row[0], **derive(*row[1:])} for row in rows]
        assignments = ", ".join(f"{key} = :{key}" for key in values[0] if key != "row_id")
        bind.execute(sa.text(f"UPDATE {table} SET {assignments} WHERE id = :row_id"), values)  # noqa: S608
        last = rows[-1][0]


def upgrade():
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('late', sa.Boolean(), server_default=sa.false(), nullable=False))
    _rekey("people", ("full_name",), _person)
    _rekey("households", ("head_name", "address"),
           lambda head, address: {"sort_key": collation_key(head or ""),
                                  "address_key": text_collation_key(address or "")[:700]})
    _rekey("agents", ("full_name",), _person)
    _rekey("speakers", ("full_name",), _person)
    _rekey("offices", ("name",), _text)
    _rekey("agent_organisations", ("name",), _text)
    _rekey("communes", ("name",), _commune)
    _rekey("hamlets", ("name",), _text)
    op.execute("UPDATE person_name_tokens SET sort_key = (SELECT p.sort_key FROM people p "
               "WHERE p.id = person_name_tokens.person_id)")


def downgrade():
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_column('late')
    # The earlier keys put every word's letters before any tone; the lists only change order, so the keys are
    # left as they are.
    pass
