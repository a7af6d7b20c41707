"""Rendering documents to PDF: sandboxed templates, NFC text, one font configuration, a cache by inputs.

Templates live in ``portal/printing/templates``. They receive plain values only (strings, numbers, dates,
lists and dicts), are compiled in a sandbox with autoescaping, and are rendered in Vietnamese: these are
official-style documents. The same inputs give the same PDF, so a rendered document is cached under a hash of
its template, the templates' own digest, and the JSON of its context.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import threading
import time
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from flask_babel import force_locale, gettext, ngettext
from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from ..i18n import formatting
from .fetcher import BASE_URL, RestrictedFetcher

log = logging.getLogger(__name__)
TEMPLATES = Path(__file__).resolve().parent / "templates"


def nfc(value: Any) -> Any:
    """Normalise every string inside a value to NFC."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, Mapping):
        return {k: nfc(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [nfc(v) for v in value]
    return value


def _json_default(value: Any):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"Document context must hold plain values, not {type(value).__name__}")


class Renderer:
    """Renders print templates to HTML and PDF for one application."""

    def __init__(self, app: Flask):
        self.app = app
        self.env = SandboxedEnvironment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True,
                                        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        self.env.filters.update(
            vn_date=formatting.format_date, vn_datetime=formatting.format_datetime,
            vn_number=formatting.format_number, vn_money=formatting.format_money,
            vn_percent=formatting.format_percent,
        )
        self.env.globals.update(_=gettext, gettext=gettext, ngettext=ngettext,
                                document_date_line=formatting.document_date_line)
        self.font_config = FontConfiguration()
        self._lock = threading.Lock()
        self.digest = self._templates_digest()
        self.cache_dir = Path(app.config.get("PDF_CACHE_DIR") or Path(app.instance_path) / "cache" / "pdf")
        self.cache_limit = int(app.config.get("PDF_CACHE_BYTES", 512 * 1024 * 1024))

    @staticmethod
    def _templates_digest() -> str:
        digest = hashlib.sha256()
        for path in sorted(TEMPLATES.rglob("*")):
            if path.is_file():
                digest.update(path.name.encode())
                digest.update(path.read_bytes())
        return digest.hexdigest()[:16]

    def cache_key(self, template: str, context: Mapping[str, Any]) -> str:
        """Hash of everything that decides the document's bytes."""
        payload = json.dumps({"t": template, "d": self.digest, "c": context}, sort_keys=True, default=_json_default,
                             ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def render_html(self, template: str, context: Mapping[str, Any]) -> str:
        """The document's HTML, in Vietnamese, with every string in NFC."""
        with force_locale("vi"):
            return self.env.get_template(template).render(**nfc(dict(context)))

    def render_pdf(self, template: str, context: Mapping[str, Any], *, use_cache: bool = True) -> bytes:
        """The document as PDF bytes, from the cache when its inputs have not changed."""
        context = nfc(dict(context))
        key = self.cache_key(template, context)
        path = self.cache_dir / key[:2] / f"{key}.pdf"
        if use_cache and path.exists():
            os.utime(path)  # keep recently used documents when trimming
            return path.read_bytes()
        html = self.render_html(template, context)
        pdf = self.html_to_pdf(html)
        if use_cache:
            self._store(path, pdf)
        return pdf

    def html_to_pdf(self, html: str) -> bytes:
        """Lay out HTML with the restricted fetcher and the shared fonts."""
        static = [Path(self.app.static_folder)]
        fetcher = RestrictedFetcher(static)
        started = time.perf_counter()
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
        pdf = document.write_pdf(font_config=self.font_config)
        log.debug("PDF rendered in %.2f s (%d bytes)", time.perf_counter() - started, len(pdf))
        if fetcher.refused:
            log.warning("Printing refused %d resource(s)", len(fetcher.refused))
        return pdf

    def _store(self, path: Path, pdf: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(pdf)
        os.replace(tmp, path)
        self._trim()

    def _trim(self) -> None:
        files = [(p.stat().st_mtime, p.stat().st_size, p) for p in self.cache_dir.rglob("*.pdf")]
        total = sum(size for _mtime, size, _p in files)
        if total <= self.cache_limit:
            return
        for _mtime, size, path in sorted(files):
            path.unlink(missing_ok=True)
            total -= size
            if total <= self.cache_limit * 0.8:
                break


def renderer() -> Renderer:
    """The application's renderer (created on first use)."""
    app = current_app._get_current_object()
    existing = app.extensions.get("portal_printing")
    if existing is None:
        existing = app.extensions["portal_printing"] = Renderer(app)
    return existing
