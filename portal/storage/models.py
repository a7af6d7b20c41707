"""The shared file store's tables: one row per file, its bytes in chunks of a fixed size (see database.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..types import UTCDateTime


class StoredFile(db.Model):
    """A file kept in the database for several hosts (``STORAGE = "database"``)."""

    __tablename__ = "stored_files"
    __table_args__ = (
        # Unique lookups by key, and listings by prefix (LIKE 'jobs/%'), which on PostgreSQL can use the index
        # only with the pattern operator class whatever the database's collation.
        Index("ux_stored_files_key", "key", unique=True, postgresql_ops={"key": "text_pattern_ops"}),
        # Ids are never reused (SQLite would hand a deleted file's id to the next one): a reader holding a
        # replaced file's id then finds no chunks, never another file's.
        {"sqlite_autoincrement": True},
    )

    #: Surrogate key, never reused; chunks point at it, so a replaced file's chunks go with the old row.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The storage key, a relative path such as "jobs/3f9c….pdf" or "uploads/evidence/….jpg".
    key: Mapped[str] = mapped_column(String(400))
    #: Size in bytes (filled in when the last chunk is written, in the same transaction).
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    #: SHA-256 of the bytes, hex.
    sha256: Mapped[str] = mapped_column(String(64), default="")
    #: Bytes per chunk (every chunk but the last is this long).
    chunk_size: Mapped[int] = mapped_column(Integer)
    #: When the file was written, and last written or used (the PDF cache trims by it), UTC.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    modified_at: Mapped[datetime] = mapped_column(UTCDateTime)


class StoredChunk(db.Model):
    """A piece of a stored file's bytes."""

    __tablename__ = "stored_file_chunks"

    #: The file.
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id", ondelete="CASCADE"), primary_key=True)
    #: Position, from 0.
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    #: The bytes (at most the file's chunk_size).
    data: Mapped[bytes] = mapped_column(LargeBinary)


#: Tables of the file store: a backup carries the files themselves, not these rows (see portal.backup).
TABLES = (StoredFile.__tablename__, StoredChunk.__tablename__)
