"""Files in the portal's PostgreSQL database, for several hosts that share nothing else.

A file is a row of ``stored_files`` and its bytes are rows of ``stored_file_chunks`` (1 MiB each by default).
A write streams its source chunk by chunk in one transaction of its own (readers keep seeing the earlier file
until it commits; two writers of one key queue on an advisory lock); a read fetches one chunk at a time, each
in a short query, so neither side ever holds a whole file in memory and no connection is held while a slow
client downloads. Large objects were the other choice: chunk rows need no clean-up of orphans (deleting the
row deletes its chunks), travel with ``pg_dump``, and work the same through SQLAlchemy on every driver.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from typing import BinaryIO

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from ..types import utcnow
from .base import Entry, NotStored, Storage, StorageError, blocks, check_key, check_prefix
from .models import StoredChunk, StoredFile

FILES = StoredFile.__table__
CHUNKS = StoredChunk.__table__
#: Bytes per chunk row.
CHUNK_SIZE = 1024 * 1024
#: First half of the advisory lock taken by a write (the second is a hash of the key).
LOCK_CLASS = 0x5354  # "ST"


def _like_prefix(prefix: str) -> str:
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class DatabaseStorage(Storage):
    """Files as chunked rows in the database of ``engine`` (PostgreSQL for several hosts)."""

    kind = "database"
    shared = True

    def __init__(self, engine: Engine, chunk_size: int = CHUNK_SIZE):
        self.engine = engine
        self.chunk_size = chunk_size

    def put(self, key: str, source: bytes | BinaryIO) -> Entry:
        check_key(key)
        now = utcnow()
        sha = hashlib.sha256()
        size = 0
        with self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(select(func.pg_advisory_xact_lock(LOCK_CLASS, func.hashtext(key))))
            conn.execute(delete(FILES).where(FILES.c.key == key))  # its chunks go by ON DELETE CASCADE
            file_id = conn.execute(insert(FILES).values(key=key, size=0, sha256="", chunk_size=self.chunk_size,
                                                        created_at=now, modified_at=now)
                                   .returning(FILES.c.id)).scalar_one()
            for seq, block in enumerate(blocks(source, self.chunk_size)):
                conn.execute(insert(CHUNKS).values(file_id=file_id, seq=seq, data=block))
                sha.update(block)
                size += len(block)
            conn.execute(update(FILES).where(FILES.c.id == file_id).values(size=size, sha256=sha.hexdigest()))
        return Entry(key, size, now, sha.hexdigest())

    def open(self, key: str) -> BinaryIO:
        check_key(key)
        with self.engine.connect() as conn:
            row = conn.execute(select(FILES.c.id, FILES.c.size, FILES.c.chunk_size)
                               .where(FILES.c.key == key)).first()
        if row is None:
            raise NotStored(key)
        return io.BufferedReader(ChunkReader(self.engine, key, *row), buffer_size=row.chunk_size)

    def delete(self, key: str) -> bool:
        check_key(key)
        with self.engine.begin() as conn:
            return conn.execute(delete(FILES).where(FILES.c.key == key)).rowcount > 0

    def info(self, key: str) -> Entry | None:
        check_key(key)
        with self.engine.connect() as conn:
            row = conn.execute(select(FILES.c.key, FILES.c.size, FILES.c.modified_at, FILES.c.sha256)
                               .where(FILES.c.key == key)).first()
        return Entry(*row) if row else None

    def list(self, prefix: str = "") -> Iterator[Entry]:
        check_prefix(prefix)
        stmt = select(FILES.c.key, FILES.c.size, FILES.c.modified_at, FILES.c.sha256).order_by(FILES.c.key)
        if prefix:
            stmt = stmt.where(FILES.c.key.like(_like_prefix(prefix), escape="\\"))
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        # LIKE ignores case on SQLite: keep exact matches only.
        return iter([Entry(*row) for row in rows if row.key.startswith(prefix)])

    def touch(self, key: str) -> None:
        check_key(key)
        with self.engine.begin() as conn:
            conn.execute(update(FILES).where(FILES.c.key == key).values(modified_at=utcnow()))

    def check(self) -> None:
        try:
            with self.engine.connect() as conn:
                conn.execute(select(FILES.c.id).limit(1)).all()
        except SQLAlchemyError as exc:
            raise StorageError(f"table stored_files cannot be read: {type(exc.orig or exc).__name__}") from None

    def describe(self) -> str:
        return f"database {self.engine.url.render_as_string(hide_password=True)} (table stored_files)"

    def usage(self, prefix: str = "") -> tuple[int, int]:
        """Number of files and bytes under a prefix."""
        stmt = select(func.count(), func.coalesce(func.sum(FILES.c.size), 0))
        if prefix:
            stmt = stmt.where(FILES.c.key.like(_like_prefix(check_prefix(prefix)), escape="\\"))
        with self.engine.connect() as conn:
            count, total = conn.execute(stmt).one()
        return int(count), int(total)


class ChunkReader(io.RawIOBase):
    """Reads a stored file chunk by chunk, one short query per chunk; seekable."""

    def __init__(self, engine: Engine, key: str, file_id: int, size: int, chunk_size: int):
        self.engine = engine
        self.key = key
        self.file_id = file_id
        self.length = size
        self.chunk_size = chunk_size
        self.position = 0
        self._seq: int | None = None
        self._chunk = b""

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.length}[whence]
        self.position = max(0, base + offset)
        return self.position

    def _load(self, seq: int) -> bytes:
        if seq != self._seq:
            with self.engine.connect() as conn:
                data = conn.execute(select(CHUNKS.c.data).where(CHUNKS.c.file_id == self.file_id,
                                                                CHUNKS.c.seq == seq)).scalar()
            if data is None:
                raise OSError(f"{self.key}: the stored file was replaced or removed while it was read")
            self._seq, self._chunk = seq, bytes(data)
        return self._chunk

    def readinto(self, buffer) -> int:
        if self.position >= self.length or not len(buffer):
            return 0
        seq, offset = divmod(self.position, self.chunk_size)
        chunk = self._load(seq)
        part = chunk[offset:offset + len(buffer)]
        if not part:
            raise OSError(f"{self.key}: chunk {seq} is shorter than recorded")
        buffer[:len(part)] = part
        self.position += len(part)
        return len(part)

