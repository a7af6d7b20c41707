"""Application factory, configuration layers and the health check."""

from __future__ import annotations

import pytest

from portal import UnsafeConfiguration, create_app
from portal.config import INSECURE_SECRET

from .conftest import make_test_app


def test_instance_config_gets_a_random_secret(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = create_app()
    second = create_app()
    assert (tmp_path / "config.py").exists()
    assert oct((tmp_path / "config.py").stat().st_mode & 0o777) == "0o600"
    assert first.config["SECRET_KEY"] != INSECURE_SECRET
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert first.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/portal.sqlite3"


def test_environment_overrides_instance_config(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path))
    (tmp_path / "config.py").write_text("SECRET_KEY = 'from-instance'\nREDIS_URL = 'redis://instance'\n")
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db.example/portal")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/3")
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-instance"
    assert app.config["REDIS_URL"] == "redis://127.0.0.1:6379/3"
    # Plain postgres URLs are pointed at psycopg 3.
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/portal"


def test_production_refuses_the_default_secret(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("PORTAL_ENV", "production")
    with pytest.raises(UnsafeConfiguration, match="SECRET_KEY"):
        create_app({"SECRET_KEY": INSECURE_SECRET})


def test_production_sets_secure_cookies(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("PORTAL_ENV", "production")
    app = create_app({"SECRET_KEY": "a-real-secret-" + "x" * 40})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["MAX_CONTENT_LENGTH"] > 0


def test_production_refuses_debug(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("PORTAL_ENV", "production")
    with pytest.raises(UnsafeConfiguration, match="debug"):
        create_app({"SECRET_KEY": "a-real-secret-" + "x" * 40, "DEBUG": True})


def test_healthz_is_liveness_only(client, tmp_path):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}
    # It answers even when the database cannot be opened (readiness says so, not liveness).
    app = make_test_app(f"sqlite:///{tmp_path}/missing/dir/db.sqlite3", str(tmp_path / "inst"))
    assert app.test_client().get("/healthz").status_code == 200


def test_readyz_ok(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok", "storage": "ok"}


def test_readyz_reports_an_unreachable_database(tmp_path):
    # A SQLite file in a directory that does not exist cannot be opened.
    app = make_test_app(f"sqlite:///{tmp_path}/missing/dir/db.sqlite3", str(tmp_path / "inst"))
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable" and response.json["status"] == "error"


def test_readyz_reports_a_database_not_yet_migrated_redis_and_the_store(tmp_path):
    from portal.storage.local import LocalStorage

    app = make_test_app(f"sqlite:///{tmp_path}/empty.sqlite3", str(tmp_path / "inst"),
                        REDIS_URL="redis://127.0.0.1:1/0")
    (tmp_path / "a-file").write_bytes(b"")
    app.extensions["portal_storage"] = LocalStorage(tmp_path / "a-file" / "store")  # cannot be created
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json == {"status": "error", "database": "not migrated", "redis": "unreachable",
                             "storage": "unreachable"}


def test_sqlite_connections_use_wal_foreign_keys_and_busy_timeout(app):
    from sqlalchemy import text

    from portal.extensions import db

    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas")
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 15000
