"""Static files: every URL carries a hash of the file's content, so browsers keep the file for a year and
fetch it again only when a release changes it.

``url_for('static', filename='css/app.css')`` gives ``/static/css/app.css?v=3f2a9c01b7e4``. A request whose
``v`` is the current hash is answered ``Cache-Control: public, max-age=31536000, immutable``; any other
(an old page still open after an upgrade, a hand-typed URL) ``no-cache``, so the browser checks its copy with
the ETag and never keeps a stale file. In debug mode the hash follows the file's modification time.
"""

from __future__ import annotations

import hashlib
import os

from flask import Flask, Response, current_app, request
from werkzeug.security import safe_join

#: One year: what browsers and proxies treat as "forever".
IMMUTABLE = "public, max-age=31536000, immutable"
_HASH_LENGTH = 12


class StaticVersions:
    """Content hashes of the static files, computed on first use and kept for the life of the process."""

    def __init__(self, folder: str, watch: bool):
        self.folder = folder
        self.watch = watch
        self._hashes: dict[str, tuple[float, str | None]] = {}

    def version(self, filename: str) -> str | None:
        """The hash of ``filename`` under the static folder, or None when there is no such file."""
        path = safe_join(self.folder, filename)
        if path is None:
            return None
        cached = self._hashes.get(filename)
        if cached is not None and not self.watch:
            return cached[1]
        try:
            mtime = os.stat(path).st_mtime
        except OSError:
            return None
        if cached is not None and cached[0] == mtime:
            return cached[1]
        digest = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(65536), b""):
                digest.update(chunk)
        value = digest.hexdigest()[:_HASH_LENGTH]
        self._hashes[filename] = (mtime, value)
        return value


def _add_version(endpoint: str, values: dict) -> None:
    if endpoint != "static" or "v" in values or "filename" not in values:
        return
    version = current_app.extensions["static_versions"].version(values["filename"])
    if version:
        values["v"] = version


def _cache_headers(response: Response) -> Response:
    if request.endpoint != "static" or response.status_code not in (200, 304):
        return response
    filename = (request.view_args or {}).get("filename", "")
    current = current_app.extensions["static_versions"].version(filename)
    if current and request.args.get("v") == current:
        response.headers["Cache-Control"] = IMMUTABLE
    else:
        response.headers["Cache-Control"] = "no-cache"
    return response


def init_app(app: Flask) -> None:
    """Version static URLs and give versioned files long cache headers."""
    app.extensions["static_versions"] = StaticVersions(app.static_folder, watch=app.debug)
    app.url_defaults(_add_version)
    app.after_request(_cache_headers)
