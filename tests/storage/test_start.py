"""Hosts started together migrate the database once: `flask db upgrade` waits on an advisory lock."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from alembic.script import ScriptDirectory

from ..conftest import TEST_DATABASE_URL, reset_postgres_database

pytestmark = [pytest.mark.real_commits,  # other connections, processes and app instances read what is written
              pytest.mark.skipif(not TEST_DATABASE_URL, reason="the advisory lock is PostgreSQL's "
                                                               "(TEST_DATABASE_URL)")]
ROOT = Path(__file__).resolve().parents[2]


def test_three_hosts_upgrading_at_once_migrate_once(tmp_path):
    url = f"{TEST_DATABASE_URL}_start"
    reset_postgres_database(url)
    flask = str(Path(sys.executable).parent / "flask")
    processes = []
    for name in ("a", "b", "c"):
        env = {**os.environ, "DATABASE_URL": url, "PORTAL_INSTANCE_PATH": str(tmp_path / name),
               "SECRET_KEY": "start-" + "x" * 40}
        processes.append(subprocess.Popen([flask, "--app", "portal", "db", "upgrade"], cwd=ROOT, env=env,
                                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
    outputs = [p.communicate(timeout=300)[0] for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0], outputs
    # One of them ran the migrations (Alembic logs each step); the others found the head and did nothing.
    head = ScriptDirectory(str(ROOT / "migrations")).get_current_head()
    ran = [o for o in outputs if f"-> {head}," in o]
    assert len(ran) == 1, outputs
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(head,)]
