"""``PORTAL_ENV=production`` refuses unsafe settings with a clear message; the gunicorn settings in deploy/."""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
import time
from pathlib import Path
from urllib.error import URLError
from urllib.request import urlopen

import pytest
from flask import request

from portal import UnsafeConfiguration, create_app
from portal.config import INSECURE_SECRET, MIN_SECRET_KEY_LENGTH

pytestmark = pytest.mark.once  # the same whatever the test database (tests/README.md, "Run once")

ROOT = Path(__file__).resolve().parents[1]
GOOD_SECRET = "a-real-random-secret-" + "k" * 40


@pytest.fixture
def production(tmp_path, monkeypatch):
    """Production mode with an instance folder of its own and nothing from the caller's environment."""
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("PORTAL_ENV", "production")
    for name in ("DATABASE_URL", "SECRET_KEY", "PORTAL_WORKERS", "TRUSTED_PROXIES", "FLASK_DEBUG", "PUBLIC_URL",
                 "TRUSTED_HOSTS"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def _refusal(config: dict) -> str:
    with pytest.raises(UnsafeConfiguration) as info:
        create_app(config)
    return str(info.value)


def test_a_missing_secret_key_is_refused(production):
    message = _refusal({"SECRET_KEY": ""})
    assert "SECRET_KEY is not set" in message
    assert "instance/config.py" in message


def test_the_development_secret_key_is_refused(production):
    assert "development default" in _refusal({"SECRET_KEY": INSECURE_SECRET})


def test_a_short_secret_key_is_refused(production):
    message = _refusal({"SECRET_KEY": "s" * (MIN_SECRET_KEY_LENGTH - 1)})
    assert f"{MIN_SECRET_KEY_LENGTH - 1} characters long" in message
    assert "token_urlsafe" in message


def test_a_secret_key_of_the_minimum_length_is_accepted(production):
    app = create_app({"SECRET_KEY": "s" * MIN_SECRET_KEY_LENGTH})
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_the_secret_key_from_the_environment_is_checked_too(production, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "short")
    (production / "config.py").write_text(f"SECRET_KEY = {GOOD_SECRET!r}\n")
    assert "5 characters long" in _refusal(None)


def test_the_instance_secret_written_on_first_start_is_accepted(production):
    app = create_app()
    assert len(app.config["SECRET_KEY"]) >= MIN_SECRET_KEY_LENGTH


def test_debug_from_the_settings_is_refused(production):
    assert "debug mode is on" in _refusal({"SECRET_KEY": GOOD_SECRET, "DEBUG": True})


def test_debug_from_flask_debug_is_refused(production, monkeypatch):
    monkeypatch.setenv("FLASK_DEBUG", "1")
    assert "debug mode is on" in _refusal({"SECRET_KEY": GOOD_SECRET})


def test_testing_mode_is_refused(production):
    assert "TESTING is on" in _refusal({"SECRET_KEY": GOOD_SECRET, "TESTING": True})


def test_every_problem_is_listed_at_once(production):
    message = _refusal({"SECRET_KEY": INSECURE_SECRET, "DEBUG": True})
    assert message.startswith("Refusing to start with PORTAL_ENV=production")
    assert "development default" in message and "debug mode is on" in message


def test_sqlite_in_memory_with_several_workers_is_refused(production, monkeypatch):
    monkeypatch.setenv("PORTAL_WORKERS", "3")
    message = _refusal({"SECRET_KEY": GOOD_SECRET, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert "not WAL" in message and "3 server processes" in message
    assert "PostgreSQL" in message


def test_sqlite_file_with_several_workers_runs_in_wal(production, monkeypatch):
    monkeypatch.setenv("PORTAL_WORKERS", "3")
    app = create_app({"SECRET_KEY": GOOD_SECRET})
    assert app.config["WORKERS"] == 3
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")


def test_sqlite_in_memory_with_one_worker_is_allowed(production):
    app = create_app({"SECRET_KEY": GOOD_SECRET, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["WORKERS"] == 1


def test_sqlite_that_cannot_be_opened_is_refused_with_several_workers(production, monkeypatch):
    monkeypatch.setenv("PORTAL_WORKERS", "2")
    url = f"sqlite:///{production}/missing/folder/portal.sqlite3"
    assert "cannot be opened" in _refusal({"SECRET_KEY": GOOD_SECRET, "SQLALCHEMY_DATABASE_URI": url})


def test_postgresql_with_several_workers_is_not_checked_for_wal(production, monkeypatch):
    # Nothing connects at start: an unreachable PostgreSQL host does not stop the factory.
    monkeypatch.setenv("PORTAL_WORKERS", "5")
    monkeypatch.setenv("DATABASE_URL", "postgresql://portal@db.invalid/portal")
    app = create_app({"SECRET_KEY": GOOD_SECRET})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://portal@db.invalid/portal"


def test_a_worker_count_that_is_not_a_number_is_refused(production, monkeypatch):
    monkeypatch.setenv("PORTAL_WORKERS", "many")
    with pytest.raises(UnsafeConfiguration, match="PORTAL_WORKERS must be a whole number"):
        create_app({"SECRET_KEY": GOOD_SECRET})


def test_development_mode_does_not_check(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("PORTAL_ENV", raising=False)
    app = create_app({"SECRET_KEY": "short", "DEBUG": True})
    assert app.config["PORTAL_ENV"] == "development"


def test_trusted_proxies_give_the_client_address(production, monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", "1")
    app = create_app({"SECRET_KEY": GOOD_SECRET})
    seen = []
    app.after_request(lambda response: seen.append((request.remote_addr, request.scheme)) or response)
    app.test_client().get("/healthz", headers={"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"},
                          environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert seen == [("203.0.113.7", "https")]


def test_without_trusted_proxies_forwarded_headers_are_ignored(production):
    app = create_app({"SECRET_KEY": GOOD_SECRET})
    seen = []
    app.after_request(lambda response: seen.append(request.remote_addr) or response)
    app.test_client().get("/healthz", headers={"X-Forwarded-For": "203.0.113.7"},
                          environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert seen == ["127.0.0.1"]


# --- deploy/gunicorn.conf.py -------------------------------------------------------------------------------

def _gunicorn_settings(monkeypatch, **env) -> dict:
    for name in ("GUNICORN_WORKERS", "WEB_CONCURRENCY", "GUNICORN_MAX_REQUESTS", "GUNICORN_BIND", "GUNICORN_THREADS",
                 "GUNICORN_WORKER_CLASS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("PORTAL_WORKERS", raising=False)
    settings = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    settings["exported_workers"] = os.environ.get("PORTAL_WORKERS")
    return settings


def test_gunicorn_workers_follow_the_cores_and_are_told_to_the_app(monkeypatch):
    settings = _gunicorn_settings(monkeypatch)
    assert settings["workers"] == (os.cpu_count() or 1) * 2 + 1
    assert settings["exported_workers"] == str(settings["workers"])
    assert settings["preload_app"] is True
    assert settings["worker_class"] == "sync" and settings["threads"] == 1
    assert settings["timeout"] > 0 and settings["graceful_timeout"] > 0


def test_gunicorn_threads_when_asked(monkeypatch):
    settings = _gunicorn_settings(monkeypatch, GUNICORN_THREADS="4")
    assert settings["worker_class"] == "gthread" and settings["threads"] == 4
    assert _gunicorn_settings(monkeypatch, GUNICORN_THREADS="4", GUNICORN_WORKER_CLASS="sync")["worker_class"] == "sync"


def test_gunicorn_settings_come_from_the_environment(monkeypatch):
    settings = _gunicorn_settings(monkeypatch, GUNICORN_WORKERS="2", GUNICORN_MAX_REQUESTS="0",
                                  GUNICORN_BIND="127.0.0.1:9001")
    assert settings["workers"] == 2 and settings["exported_workers"] == "2"
    assert settings["max_requests"] == 0 and settings["max_requests_jitter"] == 0
    assert settings["bind"] == "127.0.0.1:9001"


def test_gunicorn_access_log_leaves_out_query_strings_and_referrers(monkeypatch):
    fmt = _gunicorn_settings(monkeypatch)["access_log_format"]
    assert "%(U)s" in fmt
    for atom in ("%(r)s", "%(q)s", "%(f)s", "%({referer}i)s"):
        assert atom not in fmt


def test_gunicorn_trusts_forwarded_headers_only_from_the_local_proxy(monkeypatch):
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    assert _gunicorn_settings(monkeypatch)["forwarded_allow_ips"] == "127.0.0.1,::1"


def _gunicorn(tmp_path, port: int, **env) -> subprocess.Popen:
    environment = {**os.environ, "PORTAL_INSTANCE_PATH": str(tmp_path), "PORTAL_ENV": "production",
                   "GUNICORN_WORKERS": "2", "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_LOG_LEVEL": "warning",
                   # A worker still starting when TERM comes is given this long, not the production 30 s.
                   "GUNICORN_GRACEFUL_TIMEOUT": "5",
                   "GUNICORN_ACCESS_LOG": str(tmp_path / "access.log"), **env}
    environment.pop("DATABASE_URL", None)
    with open(tmp_path / "gunicorn.out", "w") as out:
        return subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-c", "deploy/gunicorn.conf.py",
                                 "wsgi:app"], cwd=ROOT, env=environment, stdout=out, stderr=subprocess.STDOUT)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_refuses_to_start_with_the_default_secret(tmp_path):
    process = _gunicorn(tmp_path, _free_port(), SECRET_KEY=INSECURE_SECRET)
    assert process.wait(timeout=60) != 0
    output = (tmp_path / "gunicorn.out").read_text()
    assert "Refusing to start with PORTAL_ENV=production" in output
    assert "development default" in output


def test_gunicorn_serves_with_a_safe_configuration(tmp_path):
    port = _free_port()
    process = _gunicorn(tmp_path, port, SECRET_KEY=GOOD_SECRET)
    try:
        body = None
        for _ in range(150):
            try:
                with urlopen(f"http://127.0.0.1:{port}/healthz?who=Nguyen", timeout=2) as response:  # noqa: S310
                    body = response.read()
                break
            except (URLError, ConnectionError):
                assert process.poll() is None, (tmp_path / "gunicorn.out").read_text()
                time.sleep(0.2)
        assert body is not None and b'"status":"ok"' in body.replace(b" ", b"")
    finally:
        process.terminate()
        process.wait(timeout=60)
    log = (tmp_path / "access.log").read_text()
    assert "GET /healthz HTTP/1.1" in log
    assert "Nguyen" not in log
