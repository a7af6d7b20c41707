"""The only way WeasyPrint may load anything: the portal's own static files and data: URIs.

No file://, no network, no redirects. Documents use the base URL below; a URL under ``/static/`` of it is read
from the app's static folder (no path may leave it). Everything else is refused, and the refusal is counted so
that tests can prove nothing slipped in.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

BASE_URL = "https://portal.invalid/"
_STATIC_PREFIX = "/static/"


class RestrictedFetcher(URLFetcher):
    """Serves data: URIs and the app's static files; refuses everything else."""

    def __init__(self, static_folders: list[Path | str]):
        super().__init__(allowed_protocols=("data", "https"), allow_redirects=False, timeout=1)
        self.static_folders = [Path(p).resolve() for p in static_folders]
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        parts = urlsplit(url)
        ours = f"{parts.scheme}://{parts.netloc}/" == BASE_URL
        if scheme == "https" and ours and parts.path.startswith(_STATIC_PREFIX):
            relative = unquote(parts.path[len(_STATIC_PREFIX):])
            for folder in self.static_folders:
                candidate = (folder / relative).resolve()
                if candidate.is_relative_to(folder) and candidate.is_file():
                    mime = mimetypes.guess_type(candidate.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, candidate.read_bytes(), {"Content-Type": mime})
        self.refused.append(url[:200])
        raise ValueError(f"Refused by the portal's URL fetcher: {url[:200]}")
