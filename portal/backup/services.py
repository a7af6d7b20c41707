"""Making a backup: a consistent snapshot of the database, the evidence files, one archive, an audit entry.

SQLite is copied first with its online backup API (the app may keep running: readers and writers go on while
the pages are copied) and the copy is read; PostgreSQL is read inside one REPEATABLE READ, READ ONLY
transaction, which sees a single snapshot however long the dump takes.
"""

from __future__ import annotations

import getpass
import hashlib
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.pool import NullPool

from .. import __version__
from ..audit import services as audit
from ..extensions import db
from ..results.models import Evidence
from ..storage import NotStored, scratch_dir, storage
from ..storage.base import file_digest
from . import archive, encryption
from .tables import line, read_rows, tables


class BackupError(Exception):
    """A backup cannot be made as asked (the message says why)."""


@dataclass
class BackupResult:
    """What a backup wrote: a local file, or (without --output) a file of the store (portal.storage) which is
    also a local file when the store is the instance folder."""

    path: Path | None
    size: int
    seconds: float
    revision: str | None
    rows: dict[str, int]
    files: int
    missing_files: list[str] = field(default_factory=list)
    changed_files: list[str] = field(default_factory=list)
    #: The archive's key in the store when it went there ("backups/portal-<time>.tar.gz").
    key: str | None = None
    #: How many recipients it was encrypted to (0: not encrypted).
    recipients: int = 0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def cli_username() -> str:
    """How a command-line run is named in the audit log."""
    try:
        return f"cli:{getpass.getuser()}"[:64]
    except (KeyError, OSError):  # no passwd entry in some containers
        return "cli"


#: Where backups made without --output are kept in the store.
BACKUPS_PREFIX = "backups/"


def default_key() -> str:
    """backups/portal-<UTC time>.tar.gz (in the instance folder unless the store is shared)."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return f"{BACKUPS_PREFIX}portal-{stamp}.tar.gz"


def head_revision() -> str | None:
    """The newest migration this code knows."""
    from alembic.script import ScriptDirectory

    config = current_app.extensions["migrate"].migrate.get_config()
    return ScriptDirectory.from_config(config).get_current_head()


def known_revisions() -> list[str]:
    """Every migration this code knows, oldest first."""
    from alembic.script import ScriptDirectory

    config = current_app.extensions["migrate"].migrate.get_config()
    return [rev.revision for rev in reversed(list(ScriptDirectory.from_config(config).walk_revisions()))]


def database_revision(conn: Connection) -> str | None:
    """The migration a database is at (None: no schema yet)."""
    from sqlalchemy import inspect

    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


@contextmanager
def snapshot() -> Iterator[Connection]:
    """A read-only connection that sees one consistent state of the database."""
    engine = db.engine
    if engine.dialect.name == "sqlite":
        source_path = engine.url.database
        if not source_path or source_path == ":memory:":
            raise BackupError("không sao lưu được cơ sở dữ liệu SQLite trong bộ nhớ")
        with tempfile.TemporaryDirectory(prefix="portal-snapshot-") as tmp:
            copy = Path(tmp) / "snapshot.sqlite3"
            source = sqlite3.connect(source_path, timeout=60)
            target = sqlite3.connect(copy)
            try:
                source.backup(target)
            finally:
                target.close()
                source.close()
            snap = create_engine(f"sqlite:///{copy}", poolclass=NullPool)
            try:
                with snap.connect() as conn:
                    yield conn
            finally:
                snap.dispose()
    else:
        with engine.connect() as conn:
            conn = conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            with conn.begin():
                yield conn


def _dump_table(conn: Connection, table, path: Path) -> tuple[int, int, str]:
    sha = hashlib.sha256()
    count = size = 0
    with path.open("wb") as out:
        for row in read_rows(conn, table):
            data = line(row)
            out.write(data)
            sha.update(data)
            size += len(data)
            count += 1
    return count, size, sha.hexdigest()


def create_backup(output: Path | None = None) -> BackupResult:
    """Write a backup archive of the database and the evidence files, and audit it."""
    started = time.perf_counter()
    store = storage()
    key = None if output else default_key()
    recipients = encryption.configured_recipients()
    if recipients and key is not None:
        key += encryption.SUFFIX
    if recipients and output is not None and not str(output).endswith(encryption.SUFFIX):
        output = Path(str(output) + encryption.SUFFIX)
    with tempfile.TemporaryDirectory(prefix="portal-backup-", dir=scratch_dir()) as tmp:
        staged = Path(tmp)
        target = Path(output) if output else staged / "archive.tar.gz"
        if recipients:  # the plain archive stays in the scratch folder (0600) and is gone with it
            result = _write_backup(staged / "plain.tar.gz", staged, store)
            encryption.encrypt_file(staged / "plain.tar.gz", target, recipients)
            result.path, result.size = target, target.stat().st_size
            result.recipients = len(recipients)
        else:
            result = _write_backup(target, staged, store)
        output = target
        if key is not None:
            store.put_file(key, output, move=True)
            result.key = key
            result.path = store.local_path(key)
    audit.record("backup.create", object_type="backup", username=cli_username(),
                 details={"file": key.rsplit("/", 1)[1] if key else output.name, "size": result.size,
                          "revision": result.revision, "rows": result.total_rows, "tables": len(result.rows),
                          "files": result.files, "missing_files": len(result.missing_files),
                          "encrypted_to": result.recipients})
    db.session.commit()
    result.seconds = time.perf_counter() - started
    return result


def _write_backup(output: Path, staged: Path, store) -> BackupResult:
    if output.exists() and output.is_dir():
        raise BackupError(f"{output} là thư mục; hãy cho tên tệp")
    head = head_revision()
    manifest_tables: list[dict[str, Any]] = []
    with snapshot() as conn:
        revision = database_revision(conn)
        if revision != head:
            raise BackupError(f"cơ sở dữ liệu ở phiên bản lược đồ {revision}, mã nguồn ở {head}: chạy "
                              "`flask --app portal db upgrade` trước (hoặc dùng mã nguồn khớp với cơ sở dữ liệu)")
        for number, table in enumerate(tables(), start=1):
            name = f"data/{number:04d}-{table.name}.jsonl"
            rows, size, sha = _dump_table(conn, table, staged / f"{number:04d}.jsonl")
            manifest_tables.append({"name": table.name, "file": name, "columns": [c.name for c in table.columns],
                                    "rows": rows, "size": size, "sha256": sha})
        evidence = conn.execute(text("SELECT stored_name, sha256 FROM evidence_files ORDER BY id")).all()
    files: list[dict[str, Any]] = []
    missing: list[str] = []
    changed: list[str] = []
    for stored_name, recorded_sha in evidence:
        try:
            with store.open(Evidence.key_of(stored_name)) as fh:
                size, sha = file_digest(fh)
        except NotStored:
            missing.append(stored_name)
            continue
        if sha != recorded_sha:
            changed.append(stored_name)
        files.append({"path": f"files/evidence/{stored_name}", "size": size, "sha256": sha})
    manifest = {
        "format": archive.FORMAT, "format_version": archive.FORMAT_VERSION, "app_version": __version__,
        "alembic_revision": revision, "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "source_dialect": db.engine.dialect.name, "tables": manifest_tables, "files": files,
        "missing_files": missing, "changed_files": changed,
    }
    with archive.ArchiveWriter(output) as writer:
        writer.add_manifest(manifest)
        for number, entry in enumerate(manifest_tables, start=1):
            writer.add_file(entry["file"], staged / f"{number:04d}.jsonl", entry["size"], entry["sha256"])
        for entry in files:
            with store.open(Evidence.key_of(entry["path"].rsplit("/", 1)[1])) as fh:
                writer.add_stream(entry["path"], fh, entry["size"], entry["sha256"])
    return BackupResult(path=output, size=output.stat().st_size, seconds=0.0, revision=revision,
                        rows={t["name"]: t["rows"] for t in manifest_tables}, files=len(files),
                        missing_files=missing, changed_files=changed)


def evidence_names_in(conn: Connection) -> set[str]:
    """Stored names of the evidence files a database refers to."""
    return set(conn.execute(select(Evidence.stored_name)).scalars())
