"""The one interface every file store of the portal offers, and what its callers get back."""

from __future__ import annotations

import hashlib
import io
import re
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

#: A key is a relative path of plain names: letters, digits, ``._-``, separated by single slashes.
_KEY_RE = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$")
MAX_KEY_LENGTH = 400
#: Bytes read from a source at a time while storing it.
BLOCK = 1024 * 1024


class StorageError(Exception):
    """A store cannot be used (unreachable, misconfigured, out of space)."""


class NotStored(FileNotFoundError):
    """Nothing is stored under this key."""


@dataclass(frozen=True)
class Entry:
    """One stored file: its key, size in bytes and when it was last written (or touched), in UTC."""

    key: str
    size: int
    modified: datetime
    sha256: str | None = None


def check_key(key: str) -> str:
    """The key itself, or ValueError for anything that is not a plain relative path (``..``, ``/x``, ``a//b``)."""
    if not isinstance(key, str) or len(key) > MAX_KEY_LENGTH or not _KEY_RE.match(key) or ".." in key.split("/"):
        raise ValueError(f"not a storage key: {key!r}")
    return key


def check_prefix(prefix: str) -> str:
    """A prefix is empty or a key, optionally ending with a slash."""
    if prefix:
        check_key(prefix.rstrip("/"))
    return prefix


def blocks(source: bytes | BinaryIO, size: int = BLOCK) -> Iterator[bytes]:
    """The source in blocks of ``size`` bytes (the last may be shorter), never all of it at once."""
    if isinstance(source, bytes | bytearray | memoryview):
        data = memoryview(source)
        for start in range(0, len(data), size):
            yield bytes(data[start:start + size])
        return
    while True:
        block = _read_full(source, size)
        if not block:
            return
        yield block
        if len(block) < size:
            return


def _read_full(source: BinaryIO, size: int) -> bytes:
    """Exactly ``size`` bytes unless the source ends first (a raw stream may return fewer per read)."""
    parts = []
    wanted = size
    while wanted:
        part = source.read(wanted)
        if not part:
            break
        parts.append(part)
        wanted -= len(part)
    return b"".join(parts)


class Storage(ABC):
    """Files by key: put, open for a streamed read, delete, exists, size, list by prefix.

    Writes are whole: a reader sees the earlier file or the new one, never part of it. Each call stands on its
    own (a database store writes in a transaction of its own, not in the request's), as a file system would.
    """

    #: "instance", "database" or "s3".
    kind = "abstract"
    #: Whether several hosts see the same files.
    shared = False

    @abstractmethod
    def put(self, key: str, source: bytes | BinaryIO) -> Entry:
        """Store ``source`` (bytes, or a binary stream read to its end) under ``key``, replacing any file."""

    def put_file(self, key: str, path: Path, *, move: bool = False) -> Entry:
        """Store a local file; with ``move`` the local file is gone afterwards."""
        with open(path, "rb") as fh:
            entry = self.put(key, fh)
        if move:
            Path(path).unlink(missing_ok=True)
        return entry

    @abstractmethod
    def open(self, key: str) -> BinaryIO:
        """A binary stream of the file, read as it is consumed; raises :class:`NotStored`."""

    def read(self, key: str) -> bytes:
        """The whole file (for files known to be small)."""
        with self.open(key) as fh:
            return fh.read()

    @abstractmethod
    def delete(self, key: str) -> bool:
        """Remove the file; whether there was one."""

    @abstractmethod
    def info(self, key: str) -> Entry | None:
        """The file's entry, or None."""

    def exists(self, key: str) -> bool:
        """Whether a file is stored under ``key``."""
        return self.info(key) is not None

    def size(self, key: str) -> int:
        """The file's size in bytes; raises :class:`NotStored`."""
        entry = self.info(key)
        if entry is None:
            raise NotStored(key)
        return entry.size

    @abstractmethod
    def list(self, prefix: str = "") -> Iterator[Entry]:
        """Every file whose key starts with ``prefix``, in key order."""

    def usage(self, prefix: str = "") -> tuple[int, int]:
        """How many files and bytes are under a prefix."""
        entries = list(self.list(prefix))
        return len(entries), sum(e.size for e in entries)

    def touch(self, key: str) -> None:  # noqa: B027 - optional: a store without it keeps write times
        """Mark a file as used now (the PDF cache trims the least recently used first)."""

    @abstractmethod
    def check(self) -> None:
        """Raise :class:`StorageError` unless the store can be read and written (readiness)."""

    def local_path(self, key: str) -> Path | None:
        """The file's path on this host when the store is a local folder (served with sendfile), else None."""
        return None

    def describe(self) -> str:
        """Where the files are, for logs and the command line (no secrets)."""
        return self.kind


class Prefixed(Storage):
    """A part of another store: every key is put under ``prefix`` (e.g. the PDF cache under "cache/pdf/")."""

    def __init__(self, inner: Storage, prefix: str):
        self.inner = inner
        self.prefix = check_prefix(prefix.rstrip("/") + "/")
        self.kind = inner.kind
        self.shared = inner.shared

    def _key(self, key: str) -> str:
        return self.prefix + check_key(key)

    def _strip(self, entry: Entry) -> Entry:
        return Entry(entry.key[len(self.prefix):], entry.size, entry.modified, entry.sha256)

    def put(self, key, source):
        return self._strip(self.inner.put(self._key(key), source))

    def put_file(self, key, path, *, move=False):
        return self._strip(self.inner.put_file(self._key(key), path, move=move))

    def open(self, key):
        return self.inner.open(self._key(key))

    def delete(self, key):
        return self.inner.delete(self._key(key))

    def info(self, key):
        entry = self.inner.info(self._key(key))
        return self._strip(entry) if entry else None

    def list(self, prefix=""):
        for entry in self.inner.list(self.prefix + check_prefix(prefix)):
            yield self._strip(entry)

    def usage(self, prefix=""):
        return self.inner.usage(self.prefix + check_prefix(prefix))

    def touch(self, key):
        self.inner.touch(self._key(key))

    def check(self):
        self.inner.check()

    def local_path(self, key):
        return self.inner.local_path(self._key(key))

    def describe(self):
        return f"{self.inner.describe()} ({self.prefix})"


class HashingReader(io.RawIOBase):
    """Reads through a stream, counting and hashing what passes (to record a file's size and SHA-256)."""

    def __init__(self, source: BinaryIO):
        self.source = source
        self.sha = hashlib.sha256()
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.source.read(len(buffer))
        self.sha.update(data)
        self.count += len(data)
        buffer[:len(data)] = data
        return len(data)


def file_digest(stream: BinaryIO) -> tuple[int, str]:
    """Size and SHA-256 of a stream, read block by block."""
    sha = hashlib.sha256()
    size = 0
    while block := stream.read(BLOCK):
        sha.update(block)
        size += len(block)
    return size, sha.hexdigest()

