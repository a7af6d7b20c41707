"""Uploads kept for a short while between a preview and its confirmation (never addressed by URL)."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import flash, request, session
from flask_babel import gettext as _

from ..storage import storage

MAX_AGE = 3600
#: Where kept uploads are in the file store (portal.storage): shared by every host when the store is, so that
#: a preview on one host can be confirmed on another.
PREFIX = "uploads/pending/"


def _key(token: str) -> str:
    return f"{PREFIX}{token}.bin"


def _expired(entry) -> bool:
    return time.time() - entry.modified.timestamp() > MAX_AGE


def _sweep() -> None:
    """Forget kept uploads older than MAX_AGE (whoever kept them)."""
    store = storage()
    for entry in list(store.list(PREFIX)):
        if entry.key.endswith(".bin") and _expired(entry):
            store.delete(entry.key)


def discard(kind: str) -> None:
    """Forget the file kept for this session's confirmation: a new upload replaces it, even a refused one."""
    info = session.pop(f"upload_{kind}", None)
    if info:
        storage().delete(_key(info["token"]))


def keep(kind: str, data: bytes, filename: str) -> None:
    """Keep an uploaded file for this session's confirmation step (replacing an earlier one)."""
    discard(kind)
    _sweep()
    token = secrets.token_hex(16)
    storage().put(_key(token), data)
    session[f"upload_{kind}"] = {"token": token, "filename": filename[:200]}


def take(kind: str, *, remove: bool = False) -> tuple[bytes, str] | None:
    """The file kept for this session's confirmation, or None when it expired."""
    info = session.get(f"upload_{kind}")
    if not info:
        return None
    store = storage()
    key = _key(info["token"])
    entry = store.info(key)
    if entry is None or _expired(entry):
        if entry is not None:
            store.delete(key)
        session.pop(f"upload_{kind}", None)
        return None
    data = store.read(key)
    if remove:
        store.delete(key)
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
