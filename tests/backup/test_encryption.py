"""Backups encrypted to public keys (age): unreadable without the secret key, restored with it, refused with a
missing or wrong key or a damaged file; retention and the file store know the encrypted name."""

from __future__ import annotations

import os
import stat
import tarfile

import pytest
from sqlalchemy import select

from portal.backup import encryption
from portal.backup.restore import RestoreRefused, restore_backup
from portal.backup.services import create_backup
from portal.extensions import db
from portal.households.models import Person
from portal.storage import AREAS, scratch_dir, storage

from .helpers import audit_actions, populate, scratch_app

pytestmark = pytest.mark.real_commits  # backups read the database through connections of their own


@pytest.fixture
def keys(app, tmp_path, runner):
    """Two key pairs made by `flask backup-key`; backups are encrypted to the first."""
    made = {}
    for name in ("office", "stranger"):
        path = tmp_path / f"{name}.key"
        result = runner.invoke(args=["backup-key", str(path)])
        assert result.exit_code == 0, result.output
        made[name] = (path, result.output.split("BACKUP_RECIPIENTS=")[1].strip())
    app.config["BACKUP_RECIPIENTS"] = made["office"][1]
    yield made
    app.config["BACKUP_RECIPIENTS"] = []


def test_an_encrypted_backup_restores_only_with_its_secret_key(app, world, keys, tmp_path, runner):
    populate(world)
    result = runner.invoke(args=["backup", "--output", str(tmp_path / "portal.tar.gz")])
    assert result.exit_code == 0, result.output
    archive = tmp_path / "portal.tar.gz.age"
    assert "Đã mã hoá cho 1 khoá công khai" in result.output and str(archive) in result.output
    assert not (tmp_path / "portal.tar.gz").exists()
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert encryption.is_encrypted(archive) and not tarfile.is_tarfile(archive)
    assert audit_actions()[-1] == "backup.create"

    with scratch_app(tmp_path, "encrypted"):
        with pytest.raises(RestoreRefused, match="đã được mã hoá: cho tệp khoá bí mật"):
            restore_backup(archive)
        with pytest.raises(RestoreRefused, match="không giải mã được"):
            restore_backup(archive, identity=keys["stranger"][0])
        restored = restore_backup(archive, identity=keys["office"][0])
        assert restored.rows["people"] >= 4
        assert db.session.scalar(select(Person.full_name).where(Person.full_name == "Lò Thị Hoa"))
        assert not [p for p in os.listdir(scratch_dir()) if p.startswith("decrypt-")]  # the plain copy is gone


def test_a_cut_or_changed_encrypted_archive_is_refused(app, world, keys, tmp_path):
    populate(world)
    archive = create_backup(tmp_path / "portal.tar.gz").path
    data = archive.read_bytes()
    cut, changed = tmp_path / "cut.tar.gz.age", tmp_path / "changed.tar.gz.age"
    cut.write_bytes(data[: len(data) // 2])
    changed.write_bytes(data[:-40] + bytes(b ^ 1 for b in data[-40:]))
    with scratch_app(tmp_path, "tampered"):
        for path in (cut, changed):
            with pytest.raises(RestoreRefused, match="không giải mã được"):
                restore_backup(path, identity=keys["office"][0])


def test_keys_and_settings_are_checked(app, tmp_path, runner, keys):
    again = runner.invoke(args=["backup-key", str(keys["office"][0])])
    assert again.exit_code == 1 and "không ghi đè" in again.output
    assert stat.S_IMODE(keys["office"][0].stat().st_mode) == 0o600
    app.config["BACKUP_RECIPIENTS"] = "age1notakey"
    refused = runner.invoke(args=["backup", "--output", str(tmp_path / "x.tar.gz")])
    assert refused.exit_code == 1 and "BACKUP_RECIPIENTS có khoá không hợp lệ" in refused.output
    not_a_key = tmp_path / "not.key"
    not_a_key.write_text("# nothing here\nhello\n")
    with pytest.raises(encryption.EncryptionError, match="không chứa khoá bí mật"):
        encryption.read_identity(not_a_key)


def test_the_store_and_retention_keep_encrypted_backups_by_name(app, world, keys):
    assert "portal-20261201-000000.tar.gz.age".endswith(AREAS["backups/"])
    result = create_backup()
    try:
        assert result.key.endswith(".tar.gz.age") and result.recipients == 1
        assert encryption.is_encrypted(result.path)
    finally:
        storage().delete(result.key)  # the instance folder is the run's: leave no archive for other tests
