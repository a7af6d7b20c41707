"""An uploaded file is parsed without holding SQLite's write lock: other users keep saving meanwhile. The import
pages state the limits a file must keep within."""

from __future__ import annotations

import io
import sqlite3

import pytest
from sqlalchemy.engine import make_url

from portal.core import tabular

from ..conftest import TEST_DATABASE_URL

pytestmark = [pytest.mark.real_commits,  # another connection must be able to take the lock
              pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="SQLite's database-wide write lock")]

CSV = "Họ và tên,Ngày sinh,Giới tính,Thôn/Tổ,Quan hệ với chủ hộ\nLò Văn Pọm,05/03/1970,Nam,{hamlet},Chủ hộ\n"


def _try_to_write(path: str) -> str:
    """What another user's save would meet right now: "free", or SQLite's refusal."""
    other = sqlite3.connect(path, timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return "free"
    except sqlite3.OperationalError as exc:
        return str(exc)
    finally:
        other.close()


def test_others_can_write_while_an_upload_is_parsed(client, auth, world, database_url, monkeypatch):
    path = make_url(database_url).database
    met: list[str] = []
    real_read_rows = tabular.read_rows

    def read_rows_and_probe(data, filename):
        met.append(_try_to_write(path))
        return real_read_rows(data, filename)

    monkeypatch.setattr(tabular, "read_rows", read_rows_and_probe)
    auth.login(world.users["local_officer"])
    # The request took the lock with its first statement: the probe outside a parse meets it.
    data = CSV.format(hamlet=world.own.hamlet.name).encode()
    response = client.post(f"/households/import?commune={world.own.commune.id}", data={
        "commune": str(world.own.commune.id), "file": (io.BytesIO(data), "ds.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert met == ["free"]
    assert "1 người mới" in response.get_data(as_text=True) or "Lò Văn Pọm" in response.get_data(as_text=True)


def test_the_write_lock_is_kept_once_something_was_written(app, world, database_url):
    from portal.audit import services as audit
    from portal.database import without_write_lock
    from portal.extensions import db

    path = make_url(database_url).database
    audit.record("test.write", object_type="test")
    db.session.flush()
    with without_write_lock():
        assert _try_to_write(path) == "database is locked"  # a written row is never committed half-way
    db.session.rollback()


def test_import_pages_state_the_limits(client, auth, world):
    auth.login(world.users["local_officer"])
    html = client.get(f"/households/import?commune={world.own.commune.id}").get_data(as_text=True)
    assert "20 MB" in html and "60.000" in html and "200" in html and "2.000.000" in html
