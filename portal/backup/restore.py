"""Restoring an archive: checked first, then loaded in one transaction, then the evidence files put in the store.

Refused, with nothing changed: an archive whose members differ from its manifest (damaged), one written at a
schema revision this code does not know (newer), a target database whose schema is not at this code's revision,
and a target that already holds data unless ``replace`` is given. The load runs in a single transaction that
also empties the target when replacing; before it commits, every table of the same revision is read back and
compared with the manifest's checksum. PostgreSQL sequences are moved past the restored ids.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import Integer, Table, func, insert, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from ..audit.models import AuditEntry
from ..audit.services import mask_personal
from ..extensions import db
from ..i18n.formatting import format_number
from ..results.models import Evidence
from ..storage import scratch_dir, storage
from . import archive, encryption
from .services import (
    cli_username,
    database_revision,
    evidence_names_in,
    head_revision,
    known_revisions,
)
from .tables import CHUNK, digest, parse_lines, self_references, tables


class RestoreRefused(Exception):
    """The restore was not attempted (the message says why); nothing was changed."""


@dataclass
class RestoreResult:
    """What a restore did."""

    revision: str | None
    rows: dict[str, int]
    files: int
    replaced_rows: int
    schema_created: bool
    verified_tables: int
    seconds: float

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def _check_archive_revision(manifest: archive.Manifest) -> None:
    if manifest.revision not in known_revisions():
        raise RestoreRefused(f"tệp được tạo ở phiên bản lược đồ {manifest.revision}, mới hơn phiên bản này của cổng "
                             f"thông tin: hãy khôi phục bằng phiên bản {manifest.data.get('app_version')} hoặc mới hơn")
    for entry in manifest.tables:
        if entry["name"] not in db.metadata.tables:
            raise RestoreRefused(f"bảng {entry['name']} trong tệp không có ở phiên bản này")


def _check_target_revision(target_revision: str | None) -> None:
    known = known_revisions()
    if target_revision != known[-1]:
        raise RestoreRefused(f"cơ sở dữ liệu đích ở phiên bản lược đồ {target_revision}, mã nguồn ở {known[-1]}: "
                             "chạy `flask --app portal db upgrade` trước")


def _row_counts(conn: Connection) -> dict[str, int]:
    found = {}
    for table in tables():
        count = conn.execute(select(func.count()).select_from(table)).scalar_one()
        if count:
            found[table.name] = count
    return found


def _empty(conn: Connection) -> None:
    """Delete every row of the target, inside the restore's transaction."""
    if conn.dialect.name == "postgresql":
        # One TRUNCATE of all tables: transactional on PostgreSQL, and far faster than deleting row by row.
        names = ", ".join(f'"{table.name}"' for table in tables())
        conn.execute(text(f"TRUNCATE {names}"))  # noqa: S608 - names from our metadata
        return
    from ..privacy.audit_guard import allow_audit_purge, end_audit_purge

    allow_audit_purge(conn)  # the audit log is replaced with the archive's, inside the same transaction
    for table in reversed(tables()):
        conn.execute(table.delete())
    end_audit_purge(conn)


def _lines(path: Path) -> Iterator[bytes]:
    with path.open("rb") as fh:
        yield from fh


def _chunks(rows: Iterator[dict], size: int = CHUNK) -> Iterator[list[dict]]:
    chunk: list[dict] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _parents_first(table: Table, rows: list[dict]) -> list[dict]:
    """Order the rows of a self-referencing table so that each row comes after the row it points at."""
    columns = self_references(table)
    pk = table.primary_key.columns.keys()[0]
    placed: set = set()
    ordered: list[dict] = []
    pending = rows
    while pending:
        ready = [r for r in pending if all(r.get(c) is None or r[c] in placed or r[c] == r[pk] for c in columns)]
        if not ready:
            raise RestoreRefused(f"bảng {table.name}: các dòng trỏ vòng vào nhau")
        ordered.extend(ready)
        placed.update(r[pk] for r in ready)
        ready_ids = {id(r) for r in ready}
        pending = [r for r in pending if id(r) not in ready_ids]
    return ordered


class _CopyRefused(Exception):
    """PostgreSQL refused a row of a COPY."""


def _insert(conn: Connection, table: Table, rows: list[dict]) -> None:
    """Insert rows: PostgreSQL's COPY (one stream instead of a round trip per row), executemany on SQLite.

    COPY gets each value through the column type's own bind processing (UTC datetimes, JSON), as an INSERT
    would; the checksums compared before commit prove the rows are the archive's.
    """
    if conn.dialect.name != "postgresql":
        conn.execute(insert(table), rows)
        return
    from psycopg import sql

    names = list(rows[0])
    processors = [table.c[name].type.dialect_impl(conn.dialect).bind_processor(conn.dialect) for name in names]
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(sql.Identifier(name) for name in names))
    import psycopg

    try:
        with conn.connection.dbapi_connection.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([process(row[name]) if process else row[name]
                                for name, process in zip(names, processors, strict=True)])
    except psycopg.Error as exc:
        raise _CopyRefused(str(exc)) from exc


def _load_table(conn: Connection, table: Table, entry: dict, data_dir: Path) -> int:
    rows = parse_lines(table, entry["columns"], _lines(data_dir / entry["file"][len("data/"):]))
    if self_references(table):
        rows = iter(_parents_first(table, list(rows)))
    count = 0
    chunks = _chunks(rows)
    while True:
        try:
            chunk = next(chunks, None)
        except ValueError as exc:  # a row that is not what the manifest's columns say
            raise RestoreRefused(f"bảng {table.name}: {exc}") from exc
        if chunk is None:
            break
        try:
            _insert(conn, table, chunk)
        except (SQLAlchemyError, _CopyRefused) as exc:
            first = chunk[0]
            key = ", ".join(f"{c}={first.get(c)}" for c in table.primary_key.columns.keys())
            raise RestoreRefused(f"bảng {table.name}, từ dòng {count + 1} của tệp ({key}): cơ sở dữ liệu từ chối: "
                                 f"{mask_personal(str(getattr(exc, 'orig', None) or exc))[:300]}") from exc
        count += len(chunk)
    if count != entry["rows"]:
        raise RestoreRefused(f"bảng {table.name}: đọc được {count} dòng, bản kê ghi {entry['rows']}")
    return count


def _reset_sequences(conn: Connection) -> None:
    """Move each serial column's sequence past the largest restored id (PostgreSQL)."""
    if conn.dialect.name != "postgresql":
        return
    for table in tables():
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, Integer) or pk[0].foreign_keys:
            continue
        column = pk[0].name
        conn.execute(text(
            f'SELECT setval(pg_get_serial_sequence(:table, :column), '  # noqa: S608 - names from our metadata
            f'COALESCE((SELECT MAX("{column}") FROM "{table.name}"), 0) + 1, false)'),
            {"table": table.name, "column": column})


def _verify(conn: Connection, manifest: archive.Manifest) -> int:
    """Read back every table whose columns match the archive's and compare with the manifest; return how many."""
    checked = 0
    for entry in manifest.tables:
        table = db.metadata.tables[entry["name"]]
        if [c.name for c in table.columns] != entry["columns"]:
            continue
        rows, sha = digest(conn, table)
        if rows != entry["rows"] or sha != entry["sha256"]:
            raise RestoreRefused(f"bảng {table.name}: dữ liệu đọc lại khác với tệp sao lưu "
                                 f"({rows} dòng, bản kê ghi {entry['rows']})")
        checked += 1
    return checked


def _record(conn: Connection, path: Path, manifest: archive.Manifest, rows: int, replaced: int) -> None:
    conn.execute(insert(AuditEntry.__table__).values(
        at=datetime.now(UTC), username=cli_username(), action="backup.restore", object_type="backup",
        outcome="success", details={"file": path.name, "created_at": manifest.data.get("created_at"),
                                    "revision": manifest.revision, "rows": rows, "files": len(manifest.files),
                                    "replaced_rows": replaced}))


def ensure_schema() -> bool:
    """Create the schema of an empty database (no alembic_version yet); returns whether it did."""
    from flask_migrate import upgrade

    with db.engine.connect() as conn:
        if database_revision(conn) is not None:
            return False
    upgrade()
    return True


def _decrypted(path: Path, folder: Path, identity: Path | None) -> Path:
    """The decrypted archive, in a folder of its own (mode 0600; removed after the restore)."""
    identity = identity or current_app.config.get("BACKUP_IDENTITY_FILE")
    if not identity:
        raise RestoreRefused("tệp sao lưu đã được mã hoá: cho tệp khoá bí mật bằng --identity TỆP "
                             "(hoặc BACKUP_IDENTITY_FILE)")
    target = folder / "decrypted.tar.gz"
    try:
        encryption.decrypt_file(path, target, encryption.read_identity(Path(identity)))
    except encryption.EncryptionError as exc:
        raise RestoreRefused(str(exc)) from exc
    return target


def restore_backup(path: Path, *, replace: bool = False, identity: Path | None = None) -> RestoreResult:
    """Restore an archive into the configured database and instance folder (see the module docstring); an
    encrypted archive is first decrypted with the identity file given (or BACKUP_IDENTITY_FILE)."""
    started = time.perf_counter()
    path = Path(path)
    if not path.is_file():
        raise RestoreRefused(f"không có tệp {path}")
    store = storage()
    # Unpacked on this host first (inside the instance folder: storing them there is a rename).
    staging = scratch_dir() / f"restore-{secrets.token_hex(8)}"
    staging.mkdir()
    decrypted = scratch_dir() / f"decrypt-{secrets.token_hex(8)}"
    try:
        if encryption.is_encrypted(path):
            decrypted.mkdir(mode=0o700)
            path = _decrypted(path, decrypted, identity)
        with tempfile.TemporaryDirectory(prefix="portal-restore-") as tmp:
            manifest = archive.read(path, Path(tmp), staging)
            _check_archive_revision(manifest)
            with db.engine.connect() as conn:
                target_revision = database_revision(conn)
            if target_revision is not None:
                _check_target_revision(target_revision)
            schema_created = ensure_schema()
            same_revision = manifest.revision == head_revision()
            rows: dict[str, int] = {}
            with db.engine.begin() as conn:
                existing = _row_counts(conn)
                replaced = sum(existing.values())
                if existing and not replace:
                    raise RestoreRefused(
                        f"cơ sở dữ liệu đích đã có dữ liệu ({format_number(replaced)} dòng trong {len(existing)} bảng, ví dụ bảng "
                        f"{next(iter(existing))}): thêm --yes để thay toàn bộ")
                old_files = evidence_names_in(conn) if existing else set()
                if existing:
                    _empty(conn)
                for entry in manifest.tables:
                    table = db.metadata.tables[entry["name"]]
                    rows[table.name] = _load_table(conn, table, entry, Path(tmp))
                _reset_sequences(conn)
                verified = _verify(conn, manifest) if same_revision else 0
                _record(conn, path, manifest, sum(rows.values()), replaced)
            for name in os.listdir(staging):
                store.put_file(Evidence.key_of(name), staging / name, move=True)
            restored = {f["path"].rsplit("/", 1)[1] for f in manifest.files}
            for name in old_files - restored:
                store.delete(Evidence.key_of(name))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(decrypted, ignore_errors=True)
    return RestoreResult(revision=manifest.revision, rows=rows, files=len(manifest.files), replaced_rows=replaced,
                         schema_created=schema_created, verified_tables=verified,
                         seconds=time.perf_counter() - started)
