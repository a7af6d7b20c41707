"""Backups encrypted to age recipients (the age format, age-encryption.org/v1, through pyrage).

With ``BACKUP_RECIPIENTS`` set (one or more public keys ``age1…``), ``flask backup`` writes
``portal-<time>.tar.gz.age``: the archive encrypted so that only the holders of the matching identities (private
keys, kept off the server) can read it. The server never holds what decrypts its backups: a copy stolen from it or
from the off-site store is unreadable. ``flask restore --identity FILE`` decrypts into the scratch folder (mode
0600) and restores as usual; ``flask backup-key FILE`` makes a new identity and prints its recipient.
The signed manifest inside still proves the archive whole once decrypted.
"""

from __future__ import annotations

import os
from pathlib import Path

import pyrage
from flask import current_app
from pyrage import x25519

#: What an encrypted archive's name ends with, and how its content begins.
SUFFIX = ".age"
MAGIC = b"age-encryption.org/v1\n"


class EncryptionError(ValueError):
    """A recipient or identity cannot be used, or an archive cannot be decrypted with the identity given."""


def configured_recipients() -> list[x25519.Recipient]:
    """The recipients of BACKUP_RECIPIENTS (a list, or a string separated by commas or spaces)."""
    value = current_app.config.get("BACKUP_RECIPIENTS") or []
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    recipients = []
    for text in value:
        try:
            recipients.append(x25519.Recipient.from_str(text.strip()))
        except pyrage.RecipientError as exc:
            raise EncryptionError(f"BACKUP_RECIPIENTS có khoá không hợp lệ {text[:12]}…: cần khoá công khai "
                                  "dạng age1…") from exc
    return recipients


def is_encrypted(path: Path) -> bool:
    """Whether a file is an age-encrypted archive."""
    with Path(path).open("rb") as fh:
        return fh.read(len(MAGIC)) == MAGIC


def _private_file(path: Path):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.chmod(path, 0o600)
    return os.fdopen(fd, "wb")


def encrypt_file(source: Path, target: Path, recipients: list[x25519.Recipient]) -> None:
    """Encrypt ``source`` to ``target`` (mode 0600), streaming."""
    with Path(source).open("rb") as src, _private_file(target) as dst:
        pyrage.encrypt_io(src, dst, recipients)


def read_identity(path: Path) -> x25519.Identity:
    """The identity in a key file (lines starting with # are comments, as age writes them)."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise EncryptionError(f"không đọc được tệp khoá {path}: {exc}") from exc
    for line in lines:
        line = line.strip()
        if line and not line.startswith("#"):
            try:
                return x25519.Identity.from_str(line)
            except pyrage.IdentityError as exc:
                raise EncryptionError(f"tệp {path} không chứa khoá bí mật dạng AGE-SECRET-KEY-1…") from exc
    raise EncryptionError(f"tệp {path} không chứa khoá bí mật dạng AGE-SECRET-KEY-1…")


def decrypt_file(source: Path, target: Path, identity: x25519.Identity) -> None:
    """Decrypt ``source`` to ``target`` (mode 0600), streaming; refuses an identity the archive was not made for."""
    try:
        with Path(source).open("rb") as src, _private_file(target) as dst:
            pyrage.decrypt_io(src, dst, [identity])
    except (pyrage.DecryptError, OSError) as exc:  # a changed block is reported as an OSError by the stream
        Path(target).unlink(missing_ok=True)
        raise EncryptionError("không giải mã được: tệp được mã hoá cho khoá khác, hoặc đã bị sửa hay bị cắt "
                              f"({exc})") from exc


def new_identity(path: Path) -> str:
    """Write a new identity to ``path`` (mode 0600; never over an existing file) and return its recipient."""
    identity = x25519.Identity.generate()
    recipient = str(identity.to_public())
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise EncryptionError(f"{path} đã có: không ghi đè một khoá") from exc
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(f"# public key: {recipient}\n{identity}\n")
    return recipient
