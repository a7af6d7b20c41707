"""Files in a folder of this host: the instance folder by default, laid out exactly as before the storage layer
(``jobs/``, ``uploads/evidence/``, ``uploads/pending/``, ``cache/pdf/``, ``backups/``)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from .base import Entry, NotStored, Storage, StorageError, blocks, check_key, check_prefix


class LocalStorage(Storage):
    """A folder on this host (one host only: another host has a folder of its own)."""

    kind = "instance"
    shared = False

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def path(self, key: str) -> Path:
        """Where a key's file is (inside the folder whatever the key: keys are checked)."""
        return self.root.joinpath(*check_key(key).split("/"))

    def put(self, key: str, source: bytes | BinaryIO) -> Entry:
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        # Written beside the target under a hidden name, then renamed: a reader sees the old file or the new one.
        partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
        try:
            with open(partial, "wb") as out:
                for block in blocks(source):
                    out.write(block)
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return self._entry(key, target)

    def put_file(self, key: str, path: Path, *, move: bool = False) -> Entry:
        if move:
            target = self.path(key)
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.replace(path, target)  # same file system: a rename, no copy
                return self._entry(key, target)
            except OSError:
                pass  # another device: copy below
        return super().put_file(key, path, move=move)

    def open(self, key: str) -> BinaryIO:
        try:
            return open(self.path(key), "rb")  # noqa: SIM115 - the caller closes it
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise NotStored(key) from None

    def delete(self, key: str) -> bool:
        try:
            self.path(key).unlink()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return False
        return True

    def info(self, key: str) -> Entry | None:
        path = self.path(key)
        try:
            return self._entry(key, path)
        except (FileNotFoundError, NotADirectoryError):
            return None

    def _entry(self, key: str, path: Path) -> Entry:
        stat = path.stat()
        if not path.is_file():
            raise FileNotFoundError(key)
        return Entry(key, stat.st_size, datetime.fromtimestamp(stat.st_mtime, UTC))

    def list(self, prefix: str = "") -> Iterator[Entry]:
        check_prefix(prefix)
        head = prefix.rpartition("/")[0]
        base = self.root.joinpath(*head.split("/")) if head else self.root
        if not base.is_dir():
            return
        found = []
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for name in filenames:
                if name.startswith("."):
                    continue
                full = Path(dirpath) / name
                key = full.relative_to(self.root).as_posix()
                if not key.startswith(prefix):
                    continue
                try:
                    found.append(self._entry(key, full))
                except (FileNotFoundError, ValueError):
                    continue  # removed meanwhile, or a name that is no key
        yield from sorted(found, key=lambda e: e.key)

    def touch(self, key: str) -> None:
        try:
            os.utime(self.path(key))
        except FileNotFoundError:
            pass

    def check(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"folder {self.root} cannot be created: {exc.strerror}") from None
        if not os.access(self.root, os.W_OK | os.X_OK):
            raise StorageError(f"folder {self.root} is not writable")

    def local_path(self, key: str) -> Path | None:
        path = self.path(key)
        return path if path.is_file() else None

    def describe(self) -> str:
        return f"instance folder {self.root}"
