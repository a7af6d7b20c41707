"""The archive file: a gzip-compressed tar with the manifest first, then the table files, then the evidence.

Writing goes to ``<output>.part`` and is renamed at the end, so a half-written archive never carries the final
name. Reading checks every member against the manifest (name, size, SHA-256) while it copies it out, and
refuses members the manifest does not list, links, and names that would leave the extraction folder.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import re
import tarfile
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

FORMAT = "bhxh-portal-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
#: Names a member may have (anything else is refused).
_DATA_NAME = re.compile(r"^data/\d{4}-[a-z0-9_]+\.jsonl$")
_FILE_NAME = re.compile(r"^files/evidence/[A-Za-z0-9_.\-]{1,80}$")
#: A manifest larger than this is not ours.
_MANIFEST_LIMIT = 64 * 1024 * 1024


class DamagedArchive(Exception):
    """The archive cannot be read, or a member differs from what its manifest says."""


@dataclass
class Member:
    """One file of the archive as the manifest lists it."""

    name: str
    size: int
    sha256: str


@dataclass
class Manifest:
    """What an archive holds."""

    data: dict[str, Any]

    @property
    def tables(self) -> list[dict[str, Any]]:
        return self.data["tables"]

    @property
    def files(self) -> list[dict[str, Any]]:
        return self.data["files"]

    @property
    def revision(self) -> str | None:
        return self.data.get("alembic_revision")

    def members(self) -> list[Member]:
        """Every member after the manifest."""
        found = [Member(t["file"], t["size"], t["sha256"]) for t in self.tables]
        found += [Member(f["path"], f["size"], f["sha256"]) for f in self.files]
        return found


class _HashingReader(io.RawIOBase):
    """Reads a file while hashing what was read (so the bytes archived are the bytes checked)."""

    def __init__(self, fh: BinaryIO):
        self.fh = fh
        self.sha = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.fh.read(len(buffer))
        self.sha.update(data)
        buffer[:len(data)] = data
        return len(data)


def file_sha256(path: Path) -> tuple[int, str]:
    """Size and SHA-256 of a file."""
    sha = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1024 * 1024):
            sha.update(chunk)
            size += len(chunk)
    return size, sha.hexdigest()


@dataclass
class ArchiveWriter:
    """Writes the manifest, the staged table files and the evidence files into one archive."""

    output: Path
    compresslevel: int = 6
    _tar: tarfile.TarFile | None = field(default=None, init=False)

    def __enter__(self) -> ArchiveWriter:
        self.partial = self.output.with_name(self.output.name + ".part")
        self.output.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # only the portal's user reads it
        os.close(fd)
        os.chmod(self.partial, 0o600)
        self._tar = tarfile.open(self.partial, "w:gz", compresslevel=self.compresslevel,  # noqa: SIM115
                                 format=tarfile.PAX_FORMAT)
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        assert self._tar is not None
        self._tar.close()
        if exc_type is None:
            os.replace(self.partial, self.output)
        else:
            self.partial.unlink(missing_ok=True)

    def _info(self, name: str, size: int) -> tarfile.TarInfo:
        info = tarfile.TarInfo(name)
        info.size = size
        info.mtime = int(time.time())
        info.mode = 0o600
        return info

    def add_manifest(self, manifest: dict[str, Any]) -> None:
        manifest = {**manifest, SIGNATURE: sign(manifest)}
        body = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
        self._tar.addfile(self._info(MANIFEST, len(body)), io.BytesIO(body))

    def add_file(self, name: str, path: Path, size: int, sha256: str) -> None:
        """Add a file whose size and checksum the manifest already holds; refuses a file that changed since."""
        with path.open("rb") as fh:
            self.add_stream(name, fh, size, sha256)

    def add_stream(self, name: str, fh: BinaryIO, size: int, sha256: str) -> None:
        """Add a stream's bytes (a stored file) whose size and checksum the manifest already holds."""
        reader = _HashingReader(fh)
        self._tar.addfile(self._info(name, size), io.BufferedReader(reader))
        if reader.sha.hexdigest() != sha256:
            raise DamagedArchive(f"tệp {name.rsplit('/', 1)[-1]} đã thay đổi trong lúc sao lưu")


#: The manifest's key holding its HMAC-SHA256 (over the rest of the manifest, canonical JSON).
SIGNATURE = "signature"


def signing_key() -> bytes:
    """BACKUP_SIGNING_KEY, else a key derived from SECRET_KEY: both live in the settings, never in the archive,
    so whoever changes an archive cannot sign it again."""
    from flask import current_app

    configured = current_app.config.get("BACKUP_SIGNING_KEY")
    if configured:
        return str(configured).encode("utf-8")
    return hmac.new(str(current_app.config["SECRET_KEY"]).encode("utf-8"), b"portal backup manifest",
                    hashlib.sha256).digest()


def sign(manifest: dict[str, Any]) -> str:
    """The HMAC of a manifest (its signature left out)."""
    body = json.dumps({k: v for k, v in manifest.items() if k != SIGNATURE}, ensure_ascii=False,
                      sort_keys=True, separators=(",", ":")).encode("utf-8")
    return hmac.new(signing_key(), body, hashlib.sha256).hexdigest()


def _safe_target(root: Path, name: str) -> Path:
    target = (root / name).resolve()
    if root.resolve() not in target.parents:
        raise DamagedArchive(f"mục {name!r} trỏ ra ngoài tệp sao lưu")
    return target


def read(path: Path, data_dir: Path, files_dir: Path) -> Manifest:
    """Check and unpack an archive: table files into ``data_dir``, evidence files into ``files_dir``.

    Raises :class:`DamagedArchive` when the archive cannot be read, the manifest is missing or foreign, or a
    member is missing, unexpected, or differs in size or SHA-256 from the manifest.
    """
    try:
        return _read(path, data_dir, files_dir)
    except (tarfile.TarError, EOFError, zlib.error, OSError, UnicodeDecodeError, json.JSONDecodeError,
            KeyError, TypeError) as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        raise DamagedArchive(f"không đọc được tệp ({type(exc).__name__}: {exc})") from exc


def _read(path: Path, data_dir: Path, files_dir: Path) -> Manifest:
    with tarfile.open(path, "r|gz") as tar:
        first = tar.next()
        if first is None or first.name != MANIFEST or not first.isreg() or first.size > _MANIFEST_LIMIT:
            raise DamagedArchive("tệp không bắt đầu bằng bản kê manifest.json")
        manifest = Manifest(json.loads(tar.extractfile(first).read().decode("utf-8")))
        if manifest.data.get("format") != FORMAT:
            raise DamagedArchive("đây không phải tệp sao lưu của cổng thông tin")
        if int(manifest.data.get("format_version", 0)) > FORMAT_VERSION:
            raise DamagedArchive("tệp được ghi bởi một phiên bản mới hơn (định dạng "
                                 f"{manifest.data.get('format_version')})")
        expected = {m.name: m for m in manifest.members()}
        seen: set[str] = set()
        while (member := tar.next()) is not None:
            wanted = expected.get(member.name)
            if wanted is None or member.name in seen:
                raise DamagedArchive(f"có mục lạ {member.name!r} không có trong bản kê")
            if not member.isreg():
                raise DamagedArchive(f"mục {member.name!r} không phải tệp thường")
            if member.name.startswith("data/"):
                if not _DATA_NAME.match(member.name):
                    raise DamagedArchive(f"có mục lạ {member.name!r} không có trong bản kê")
                target = _safe_target(data_dir, member.name[len("data/"):])
            else:
                if not _FILE_NAME.match(member.name):
                    raise DamagedArchive(f"có mục lạ {member.name!r} không có trong bản kê")
                target = _safe_target(files_dir, member.name[len("files/evidence/"):])
            sha = hashlib.sha256()
            size = 0
            source = tar.extractfile(member)
            with target.open("wb") as out:
                while chunk := source.read(1024 * 1024):
                    sha.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
            if size != wanted.size or sha.hexdigest() != wanted.sha256:
                raise DamagedArchive(f"{member.name}: mã SHA-256 không khớp với bản kê")
            seen.add(member.name)
        missing = sorted(set(expected) - seen)
        if missing:
            raise DamagedArchive(f"thiếu {len(missing)} mục, ví dụ {missing[0]}")
    signature = manifest.data.get(SIGNATURE)
    if not isinstance(signature, str) or not hmac.compare_digest(signature, sign(manifest.data)):
        raise DamagedArchive("chữ ký của bản kê không khớp: tệp đã bị sửa, hoặc được tạo với khoá khác "
                             "(SECRET_KEY / BACKUP_SIGNING_KEY)")
    return manifest

