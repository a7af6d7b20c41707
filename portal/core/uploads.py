"""Uploads kept for a short while between a preview and its confirmation (never addressed by URL)."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import current_app, flash, request, session
from flask_babel import gettext as _

MAX_AGE = 3600


def _folder() -> Path:
    path = Path(current_app.instance_path) / "uploads" / "pending"
    path.mkdir(parents=True, exist_ok=True)
    now = time.time()
    for old in path.glob("*.bin"):
        if now - old.stat().st_mtime > MAX_AGE:
            old.unlink(missing_ok=True)
    return path


def discard(kind: str) -> None:
    """Forget the file kept for this session's confirmation: a new upload replaces it, even a refused one."""
    info = session.pop(f"upload_{kind}", None)
    if info:
        (_folder() / f"{info['token']}.bin").unlink(missing_ok=True)


def keep(kind: str, data: bytes, filename: str) -> None:
    """Keep an uploaded file for this session's confirmation step (replacing an earlier one)."""
    discard(kind)
    token = secrets.token_hex(16)
    (_folder() / f"{token}.bin").write_bytes(data)
    session[f"upload_{kind}"] = {"token": token, "filename": filename[:200]}


def take(kind: str, *, remove: bool = False) -> tuple[bytes, str] | None:
    """The file kept for this session's confirmation, or None when it expired."""
    info = session.get(f"upload_{kind}")
    if not info:
        return None
    path = _folder() / f"{info['token']}.bin"
    if not path.exists():
        session.pop(f"upload_{kind}", None)
        return None
    data = path.read_bytes()
    if remove:
        path.unlink(missing_ok=True)
        session.pop(f"upload_{kind}", None)
    return data, info["filename"]


@dataclass
class ImportStep:
    """Where a preview-then-confirm import stands after this request."""

    report: Any = None  #: the importer's report of the uploaded or kept file, if any
    filename: str | None = None
    status: int = 200  #: 422 when the form or the file was refused
    confirmed: bool = False  #: the user confirmed a clean report of the kept file: apply it now
    expired: bool = False  #: the user confirmed, but the kept file is gone (a message was flashed)


def preview_or_confirm(kind: str, form, analyse: Callable[[bytes, str], Any],
                       worth_keeping: Callable[[Any], bool]) -> ImportStep:
    """The shared steps of every file import: analyse an upload and keep it when it is ``worth_keeping``
    (usually: clean and changing something); on confirmation, analyse the kept file again (the database may have changed).

    A new upload always replaces the kept one, so a confirmation never writes an earlier file. A
    "recheck" post analyses the kept file again with the choices the form now carries (e.g. which column is
    which), keeping it for the confirmation. ``analyse(data, filename)`` returns a report with ``ok``.
    """
    if request.method == "POST" and request.form.get("recheck"):
        kept = take(kind)
        if kept is None:
            flash(_("The uploaded file has expired; upload it again."), "warning")
            return ImportStep(expired=True)
        report = analyse(*kept)
        return ImportStep(report, kept[1], 200 if report.ok else 422)
    if request.method == "POST" and request.form.get("confirm"):
        kept = take(kind, remove=True)
        if kept is None:
            flash(_("The uploaded file has expired; upload it again."), "warning")
            return ImportStep(expired=True)
        data, filename = kept
        report = analyse(data, filename)
        return ImportStep(report, filename, 200 if report.ok else 422, confirmed=bool(report.ok))
    if form.validate_on_submit():
        discard(kind)
        data = form.file.data.read()
        filename = form.file.data.filename or "file"
        report = analyse(data, filename)
        if worth_keeping(report):
            keep(kind, data, filename)
        return ImportStep(report, filename, 200 if report.ok else 422)
    return ImportStep(status=422 if form.is_submitted() else 200)
