"""Where the portal keeps files: finished print jobs, evidence scans, uploads awaiting confirmation, the PDF
cache and backups.

One interface (:class:`~portal.storage.base.Storage`: put, open, delete, exists, size, list by prefix) and three
stores, chosen by the ``STORAGE`` setting:

- ``"instance"`` (the default): the instance folder of this host, laid out as it always was. One host.
- ``"database"``: chunked rows in the portal's PostgreSQL database. Several web hosts and workers.
- ``"s3"``: an S3-compatible bucket (``STORAGE_S3_BUCKET``, ``STORAGE_S3_ENDPOINT_URL``, ``STORAGE_S3_PREFIX``,
  ``STORAGE_S3_REGION``; needs the ``s3`` extra). Several hosts.

Keys are relative paths: ``jobs/<random>.pdf``, ``uploads/evidence/<random>.<ext>``,
``uploads/pending/<random>.bin``, ``cache/pdf/<2 hex>/<sha256>.pdf``, ``backups/portal-<time>.tar.gz``.
``flask --app portal storage migrate`` copies an instance folder's files into a shared store.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import Flask, current_app, send_file

from .base import Entry, NotStored, Prefixed, Storage, StorageError, check_key
from .local import LocalStorage

__all__ = ["AREAS", "Entry", "NotStored", "Storage", "StorageError", "check_key", "pdf_cache", "scratch_dir",
           "send_stored", "storage"]

KINDS = ("instance", "database", "s3")
#: The folders (key prefixes) of the instance folder that hold the portal's files, with the pattern of their
#: file names: what ``storage migrate`` copies.
AREAS = {"jobs/": ".pdf", "uploads/evidence/": "", "uploads/pending/": ".bin", "cache/pdf/": ".pdf",
         "backups/": (".tar.gz", ".tar.gz.age")}
PDF_CACHE_PREFIX = "cache/pdf/"


class StorageMisconfigured(ValueError):
    """The STORAGE settings name a store that cannot be used."""


def configuration_problems(app: Flask) -> list[str]:
    """What is wrong with the storage settings (checked when the app is built)."""
    kind = app.config.get("STORAGE") or "instance"
    if kind not in KINDS:
        return [f"STORAGE must be one of {', '.join(KINDS)}, not {kind!r}"]
    if kind == "database" and str(app.config.get("SQLALCHEMY_DATABASE_URI", "")).startswith("sqlite"):
        return ["STORAGE = 'database' shares files between hosts through PostgreSQL; with SQLite (one host) keep "
                "the default instance folder"]
    if kind == "s3" and not app.config.get("STORAGE_S3_BUCKET"):
        return ["STORAGE = 's3' needs STORAGE_S3_BUCKET"]
    return []


def init_app(app: Flask) -> None:
    """Check the settings (a wrong one stops the start with its reason)."""
    problems = configuration_problems(app)
    if problems:
        raise StorageMisconfigured("; ".join(problems))


def build(app: Flask) -> Storage:
    """The store the app's settings name (inside an app context for the database store)."""
    kind = app.config.get("STORAGE") or "instance"
    if kind == "database":
        from ..extensions import db
        from .database import DatabaseStorage

        return DatabaseStorage(db.engine)
    if kind == "s3":
        from .s3 import S3Storage

        return S3Storage(app.config["STORAGE_S3_BUCKET"], app.config.get("STORAGE_S3_PREFIX") or "",
                         endpoint_url=app.config.get("STORAGE_S3_ENDPOINT_URL"),
                         region=app.config.get("STORAGE_S3_REGION"))
    return LocalStorage(app.instance_path)


def storage(app: Flask | None = None) -> Storage:
    """The app's store (the current app's by default; made on first use)."""
    app = app or current_app._get_current_object()
    store = app.extensions.get("portal_storage")
    if store is None:
        with app.app_context():
            store = app.extensions["portal_storage"] = build(app)
    return store


def pdf_cache(app: Flask | None = None) -> Storage:
    """Where rendered documents are cached: ``PDF_CACHE_DIR`` when set (a folder of this host), else the
    store's ``cache/pdf/``."""
    app = app or current_app._get_current_object()
    cache = app.extensions.get("portal_pdf_cache")
    if cache is None:
        folder = app.config.get("PDF_CACHE_DIR")
        cache = LocalStorage(folder) if folder else Prefixed(storage(app), PDF_CACHE_PREFIX)
        app.extensions["portal_pdf_cache"] = cache
    return cache


def scratch_dir() -> Path:
    """A folder of this host for files being made (a job's PDF before it is stored): inside the instance folder,
    so that storing it there is a rename."""
    folder = Path(current_app.instance_path) / "tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return Path(tempfile.gettempdir())
    return folder


def send_stored(key: str, *, mimetype: str, download_name: str, as_attachment: bool = True,
                max_age: int | None = None):
    """A response sending a stored file (None when it is not there): a local file as Flask always sent it, a
    shared one streamed chunk by chunk."""
    store = storage()
    path = store.local_path(key)
    if path is not None:
        return send_file(path, mimetype=mimetype, as_attachment=as_attachment, download_name=download_name,
                         max_age=max_age)
    entry = store.info(key)
    if entry is None:
        return None
    try:
        stream = store.open(key)
    except NotStored:
        return None
    response = send_file(stream, mimetype=mimetype, as_attachment=as_attachment, download_name=download_name,
                         max_age=max_age, conditional=False, etag=False)
    response.content_length = entry.size
    response.last_modified = entry.modified
    return response
