"""The only way WeasyPrint may load anything: the portal's own static files, data: URIs and QR codes.

No file://, no network, no redirects. Documents use the base URL below; a URL under ``/static/`` of it is read
from the app's static folder (no path may leave it), and one under ``/qr/`` is the QR code of the text that
follows (``qr_url``), drawn where the document is laid out: a long run of letters encodes its codes in the
render processes, in parallel, and its HTML carries a short address instead of an image. Everything else is
refused, and the refusal is counted so that tests can prove nothing slipped in.
"""

from __future__ import annotations

import io
import mimetypes
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import segno
from weasyprint.urls import URLFetcher, URLFetcherResponse

BASE_URL = "https://portal.invalid/"
_STATIC_PREFIX = "/static/"
_QR_PREFIX = "/qr/"


def qr_url(text: str) -> str:
    """The address of the QR code of ``text``, for an <img> of a print template."""
    return f"{BASE_URL.rstrip('/')}{_QR_PREFIX}{quote(text, safe='')}"


def qr_png(text: str) -> bytes:
    """The QR code as a tiny PNG, one pixel per module (printed large and unsmoothed: see invitations.html);
    WeasyPrint places an image far faster than it draws an SVG."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=1, border=1)
    return buffer.getvalue()


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
        if scheme == "https" and ours and parts.path.startswith(_QR_PREFIX):
            return URLFetcherResponse(url, qr_png(unquote(parts.path[len(_QR_PREFIX):])), {"Content-Type": "image/png"})
        if scheme == "https" and ours and parts.path.startswith(_STATIC_PREFIX):
            relative = unquote(parts.path[len(_STATIC_PREFIX):])
            for folder in self.static_folders:
                candidate = (folder / relative).resolve()
                if candidate.is_relative_to(folder) and candidate.is_file():
                    mime = mimetypes.guess_type(candidate.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, candidate.read_bytes(), {"Content-Type": mime})
        self.refused.append(url[:200])
        raise ValueError(f"Refused by the portal's URL fetcher: {url[:200]}")
