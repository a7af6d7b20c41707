"""Backup and restore round trips: same rows (by a digest of every table), same evidence files, sequences reset;
across SQLite and PostgreSQL when the run has PostgreSQL."""

from __future__ import annotations

import hashlib
import tarfile
from pathlib import Path

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.backup import tables
from portal.backup.restore import restore_backup
from portal.backup.services import create_backup
from portal.extensions import db
from portal.geo.models import Province
from portal.results.models import Evidence
from portal.storage import storage

from ..conftest import TEST_DATABASE_URL
from .helpers import audit_actions, manifest_of, populate, scratch_app

pytestmark = pytest.mark.real_commits  # backups read the database through connections of their own


def _restored_matches(manifest: dict) -> None:
    """Every table of the current app equals the archive, but for the restore's own audit entry."""
    with db.engine.connect() as conn:
        for entry in manifest["tables"]:
            table = db.metadata.tables[entry["name"]]
            if entry["name"] == "audit_entries":
                rows = list(tables.read_rows(conn, table))
                assert rows[-1].action == "backup.restore"
                rows = rows[:-1]
                sha = hashlib.sha256(b"".join(tables.line(r) for r in rows)).hexdigest()
                assert (len(rows), sha) == (entry["rows"], entry["sha256"])
            else:
                assert tables.digest(conn, table) == (entry["rows"], entry["sha256"]), entry["name"]


def _evidence_checksums() -> dict[str, str]:
    return {e.stored_name: hashlib.sha256(storage().read(e.storage_key)).hexdigest()
            for e in db.session.scalars(select(Evidence))}


def test_backup_restores_every_row_and_evidence_file(app, world, tmp_path):
    populate(world)
    archive = tmp_path / "portal.tar.gz"
    before = _evidence_checksums()
    with db.engine.connect() as conn:
        live = tables.digests(conn)

    result = create_backup(archive)

    manifest = manifest_of(archive)
    assert result.path == archive and result.size == archive.stat().st_size > 0
    assert manifest["alembic_revision"] == result.revision and manifest["app_version"]
    assert {t["name"]: (t["rows"], t["sha256"]) for t in manifest["tables"]} == live
    assert result.rows["people"] == live["people"][0] >= 4 and result.rows["signups"] == 1
    assert sorted(f["path"].rsplit("/", 1)[1] for f in manifest["files"]) == sorted(before)
    assert {f["path"].rsplit("/", 1)[1]: f["sha256"] for f in manifest["files"]} == before
    assert audit_actions()[-1] == "backup.create"

    with scratch_app(tmp_path, "restored"):
        restored = restore_backup(archive)
        assert restored.schema_created and restored.verified_tables == len(manifest["tables"])
        assert restored.rows == {t["name"]: t["rows"] for t in manifest["tables"]}
        _restored_matches(manifest)
        assert _evidence_checksums() == before
        assert audit_actions()[-1] == "backup.restore"
        # Sequences were moved past the restored ids: a new row gets a fresh id.
        province = Province(code="99", name="Thử Nghiệm", division_type="tỉnh")
        db.session.add(province)
        db.session.commit()
        assert province.id > max(db.session.scalars(select(Province.id).where(Province.code != "99")))


def test_restore_replaces_a_non_empty_database_when_asked(app, world, tmp_path):
    populate(world)
    archive = tmp_path / "portal.tar.gz"
    create_backup(archive)
    manifest = manifest_of(archive)
    with scratch_app(tmp_path, "replaced"):
        restore_backup(archive)
        stray = Evidence.key_of("old-file.pdf")
        storage().put(stray, b"old")
        first = db.session.scalar(select(Evidence))
        first.stored_name = "old-file.pdf"
        db.session.commit()

        result = restore_backup(archive, replace=True)

        assert result.replaced_rows > 0
        db.session.expire_all()
        assert not storage().exists(stray)  # the replaced database's evidence file went with it
        with db.engine.connect() as conn:
            assert tables.digest(conn, db.metadata.tables["people"])[1] == next(
                t["sha256"] for t in manifest["tables"] if t["name"] == "people")
        assert audit_actions().count("backup.restore") == 1  # the replaced log went too


def test_backup_and_restore_from_the_command_line(app, world, runner, tmp_path):
    populate(world)
    archive = tmp_path / "cli.tar.gz"
    result = runner.invoke(args=["backup", "--output", str(archive)])
    assert result.exit_code == 0, result.output
    assert "Đã sao lưu" in result.output and str(archive) in result.output
    assert tarfile.is_tarfile(archive)
    refused = runner.invoke(args=["restore", str(archive)])
    assert refused.exit_code == 1
    assert "đã có dữ liệu" in refused.output and "--yes" in refused.output


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="needs PostgreSQL (TEST_DATABASE_URL)")
def test_postgresql_to_sqlite_and_back(app, world, tmp_path):
    populate(world)
    from_postgres = tmp_path / "from-postgres.tar.gz"
    create_backup(from_postgres)
    manifest = manifest_of(from_postgres)
    from_sqlite = tmp_path / "from-sqlite.tar.gz"
    with scratch_app(tmp_path, "lite", kind="sqlite"):
        restore_backup(from_postgres)
        _restored_matches(manifest)
        create_backup(from_sqlite)
    with scratch_app(tmp_path, "back", kind="postgresql"):
        restore_backup(from_sqlite)
        second = manifest_of(from_sqlite)
        _restored_matches(second)
        for first_table, second_table in zip(manifest["tables"], second["tables"], strict=True):
            if first_table["name"] != "audit_entries":
                assert first_table["sha256"] == second_table["sha256"], first_table["name"]
        entries = db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("backup.%"))).all()
        assert entries.count("backup.restore") == 2


def test_the_archive_names_only_its_own_members(app, world, tmp_path):
    populate(world)
    archive = tmp_path / "portal.tar.gz"
    create_backup(archive)
    with tarfile.open(archive, "r:gz") as tar:
        names = tar.getnames()
    assert names[0] == "manifest.json"
    assert all(n.startswith(("data/", "files/evidence/")) for n in names[1:])
    assert not Path(str(archive) + ".part").exists()
