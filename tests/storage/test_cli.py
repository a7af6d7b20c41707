"""``flask storage migrate`` moves an instance folder into the shared store; ``storage check`` and ``get``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from portal.extensions import db
from portal.storage import storage

from ..conftest import TEST_DATABASE_URL, make_test_app

pytestmark = [pytest.mark.real_commits,  # other connections, processes and app instances read what is written
              pytest.mark.skipif(not TEST_DATABASE_URL, reason="the shared store is PostgreSQL's "
                                                               "(TEST_DATABASE_URL)")]


@pytest.fixture
def shared(app, database_url, tmp_path):
    previous = os.environ.get("PORTAL_INSTANCE_PATH")
    host = make_test_app(database_url, str(tmp_path / "host"), STORAGE="database")
    if previous:
        os.environ["PORTAL_INSTANCE_PATH"] = previous
    with host.app_context():
        yield host
        db.session.remove()
        db.engine.dispose()


def _old_instance(root) -> dict[str, bytes]:
    files = {"jobs/a1.pdf": b"%PDF job", "uploads/evidence/e1.jpg": b"\xff\xd8\xff scan",
             "uploads/pending/p1.bin": b"xlsx", "cache/pdf/ab/ab1.pdf": b"%PDF cached",
             "backups/portal-20261201-000000.tar.gz": b"\x1f\x8b archive" * 1000}
    for key, data in files.items():
        path = root.joinpath(*key.split("/"))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (root / "config.py").write_text("SECRET_KEY = 'x'\n")  # not a file of the store
    (root / "jobs" / "notes.txt").write_text("not a job result")
    return files


def test_migrate_copies_checks_and_can_run_again(shared, tmp_path):
    old = tmp_path / "old-instance"
    files = _old_instance(old)
    runner = shared.test_cli_runner()

    dry = runner.invoke(args=["storage", "migrate", "--from", str(old), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "would copy 5 files" in dry.output and not list(storage().list(""))

    result = runner.invoke(args=["storage", "migrate", "--from", str(old)])
    assert result.exit_code == 0, result.output
    assert "copied 5 files" in result.output and "0 failed" in result.output
    assert {e.key: storage().read(e.key) for e in storage().list("")} == files
    assert (old / "jobs" / "a1.pdf").exists()  # kept unless asked

    again = runner.invoke(args=["storage", "migrate", "--from", str(old), "--delete-source"])
    assert "copied 0 files" in again.output and "5 already there" in again.output
    assert not (old / "jobs" / "a1.pdf").exists() and (old / "config.py").exists()

    check = runner.invoke(args=["storage", "check"])
    assert check.exit_code == 0 and "stored_files" in check.output and ": ok" in check.output
    out = tmp_path / "copy.tar.gz"
    got = runner.invoke(args=["storage", "get", "backups/portal-20261201-000000.tar.gz", str(out)])
    assert got.exit_code == 0 and out.read_bytes() == files["backups/portal-20261201-000000.tar.gz"]
    missing = runner.invoke(args=["storage", "get", "backups/none.tar.gz", str(out)])
    assert missing.exit_code != 0 and "no stored file" in missing.output


def test_migrate_refuses_the_instance_folder_as_target(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["storage", "migrate", "--from", str(tmp_path)])
    assert result.exit_code != 0 and "STORAGE is the instance folder" in result.output


def test_a_backup_without_output_goes_to_the_store(shared, world):
    from portal.backup.services import create_backup

    evidence = list(storage().list("uploads/evidence/"))  # the world's, made on this host
    assert evidence
    result = create_backup()
    assert result.path is None and result.key.startswith("backups/portal-") and result.key.endswith(".tar.gz")
    assert storage().size(result.key) == result.size
    assert result.files == len(evidence) and not result.missing_files
    assert not list(Path(shared.instance_path).rglob("*.gz"))  # nothing left on this host
