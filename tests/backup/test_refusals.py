"""Restores that must not happen, and leave the target as it was: damaged archives, newer schemas, non-empty
targets, rows the database refuses half-way."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from portal.backup import archive as archive_module
from portal.backup.restore import RestoreRefused, restore_backup
from portal.backup.services import create_backup
from portal.extensions import db
from portal.households.models import Person
from portal.results.models import Evidence
from portal.storage import storage

from .helpers import manifest_of, populate, rewrite, scratch_app, table_file

pytestmark = pytest.mark.real_commits  # backups read the database through connections of their own


@pytest.fixture
def archive(app, world, tmp_path):
    populate(world)
    path = tmp_path / "portal.tar.gz"
    create_backup(path)
    return path


def _total_rows() -> int:
    from portal.backup.tables import tables

    return sum(db.session.scalar(select(func.count()).select_from(t)) for t in tables())


def test_a_changed_table_file_is_refused_as_damaged(archive, tmp_path):
    damaged = tmp_path / "damaged.tar.gz"
    name = table_file(manifest_of(archive), "people")
    rewrite(archive, damaged, members={name: lambda data: data.replace("Lò Thị Hoa".encode(), "Lò Thị Hoà".encode())})
    with scratch_app(tmp_path, "damaged"):
        with pytest.raises(archive_module.DamagedArchive, match="SHA-256"):
            restore_backup(damaged)
        with db.engine.connect() as conn:
            from portal.backup.services import database_revision

            assert database_revision(conn) is None  # refused before anything was created
        assert not list(storage().list(Evidence.PREFIX))


def _signed(manifest: dict) -> dict:
    return {**manifest, archive_module.SIGNATURE: archive_module.sign(manifest)}


def test_a_changed_row_with_its_checksum_recomputed_is_refused_unsigned(archive, tmp_path):
    import hashlib

    assert archive.stat().st_mode & 0o777 == 0o600
    forged = tmp_path / "forged.tar.gz"
    name = table_file(manifest_of(archive), "people")
    changed = {}

    def change(data: bytes) -> bytes:
        changed["data"] = data.replace("Lò Thị Hoa".encode(), "Lò Thị Hoà".encode())
        return changed["data"]

    rewrite(archive, tmp_path / "step.tar.gz", members={name: change})

    def recompute(manifest: dict) -> dict:
        for table in manifest["tables"]:
            if table["file"] == name:
                table["sha256"] = hashlib.sha256(changed["data"]).hexdigest()
                table["size"] = len(changed["data"])
        return manifest

    rewrite(archive, forged, members={name: change}, manifest=recompute)
    with scratch_app(tmp_path, "forged"):
        with pytest.raises(archive_module.DamagedArchive, match="chữ ký"):
            restore_backup(forged)
        with db.engine.connect() as conn:
            from portal.backup.services import database_revision

            assert database_revision(conn) is None  # refused before anything was created


def test_a_truncated_or_foreign_archive_is_refused(archive, tmp_path):
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    extra = tmp_path / "extra.tar.gz"
    rewrite(archive, extra, manifest=lambda m: {**m, "files": m["files"] + [
        {"path": "files/evidence/missing.pdf", "size": 1, "sha256": "0" * 64}]})
    foreign = tmp_path / "foreign.tar.gz"
    rewrite(archive, foreign, manifest=lambda m: {**m, "format": "something-else"})
    with scratch_app(tmp_path, "truncated"):
        # Cut inside a member, the stream fails; cut between two, the members after the cut are missing.
        with pytest.raises(archive_module.DamagedArchive, match="không đọc được|thiếu [0-9.]+ mục"):
            restore_backup(truncated)
        with pytest.raises(archive_module.DamagedArchive, match="thiếu 1 mục"):
            restore_backup(extra)
        with pytest.raises(archive_module.DamagedArchive, match="không phải tệp sao lưu"):
            restore_backup(foreign)


def test_an_archive_from_a_newer_schema_is_refused(archive, tmp_path):
    newer = tmp_path / "newer.tar.gz"
    # A genuine archive of a newer version (signed with the same key).
    rewrite(archive, newer, manifest=lambda m: _signed({**m, "alembic_revision": "0999", "app_version": "9.0.0"}))
    with scratch_app(tmp_path, "newer"):
        with pytest.raises(RestoreRefused, match="0999.*9.0.0"):
            restore_backup(newer)


def test_a_non_empty_target_is_refused_without_yes(archive, tmp_path, runner):
    before = _total_rows()
    with pytest.raises(RestoreRefused, match="đã có dữ liệu"):
        restore_backup(archive)
    db.session.expire_all()
    assert _total_rows() == before
    result = runner.invoke(args=["restore", str(archive)])
    assert result.exit_code == 1 and "Cơ sở dữ liệu không thay đổi" in result.output


def test_a_row_the_database_refuses_rolls_everything_back(archive, tmp_path):
    """A sign-up pointing at a person who is not there: the tables loaded before it are not kept either."""
    manifest = manifest_of(archive)
    name = table_file(manifest, "signups")
    columns = next(t["columns"] for t in manifest["tables"] if t["name"] == "signups")

    def orphan(data: bytes) -> bytes:
        rows = [json.loads(line) for line in data.splitlines()]
        rows[0][columns.index("person_id")] = 999_999
        return b"".join(json.dumps(r, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode() + b"\n"
                        for r in rows)

    def fix_checksum(m: dict) -> dict:
        import hashlib
        import tarfile

        with tarfile.open(archive, "r:gz") as tar:
            data = orphan(tar.extractfile(name).read())
        for t in m["tables"]:
            if t["file"] == name:
                t["sha256"], t["size"] = hashlib.sha256(data).hexdigest(), len(data)
        return _signed(m)  # as if the portal itself had written the bad row

    bad = tmp_path / "orphan.tar.gz"
    rewrite(archive, bad, members={name: orphan}, manifest=fix_checksum)
    with scratch_app(tmp_path, "orphan"):
        with pytest.raises(RestoreRefused, match="bảng signups, từ dòng 1"):
            restore_backup(bad)
        assert _total_rows() == 0
        assert db.session.scalar(select(func.count()).select_from(Person)) == 0
        assert not list(storage().list(Evidence.PREFIX))
