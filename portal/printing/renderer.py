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
import unicodedata
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from flask_babel import force_locale, gettext, ngettext, pgettext
from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from weasyprint.text.fonts import FontConfiguration

from ..i18n import formatting
from ..storage import NotStored, pdf_cache
from . import drawn, fonts, layout_signup, offices, stamp
from .layout import GRID_CLASSES, paginate_sheet
from .layout_report import paginate_report
from .layout_signup import paginate_signup
from .pool import RenderPool, join, join_files, register
from .pool import render_html as render_part
from .text import DOCUMENT_LOCALE

log = logging.getLogger(__name__)
TEMPLATES = Path(__file__).resolve().parent / "templates"
#: Form letters (stamp.py): template -> (the fields that group letters sharing one background, the fields that
#: change from letter to letter with the value they take in the background's letter).
FORM_LETTERS: dict[str, tuple[tuple[str, ...], dict[str, Any]]] = {
    "invitations.html": (("agent", "agent_phone"), {"row": "", "head": "", "address": "", "hamlet": None,
                                                    "qr": None}),
}
#: Templates whose pages are planned before layout: template -> (key of the page list, planner or None when
#: every item of the list is one page).
PAGED: dict[str, tuple[str, Callable | None]] = {"sheet.html": ("pages", paginate_sheet),
                                                 "signup_sheet.html": ("pages", paginate_signup),
                                                 "report_table.html": ("pages", paginate_report),
                                                 "invitations.html": ("letters", None),
                                                 "leaflet.html": ("leaflets", None)}

#: Paged templates whose tables' headers are laid out once and drawn on each page (stamp.stamped).
STAMPED_HEADERS = {"report_table.html"}
#: Paged templates whose grids' rows are written into the PDF by drawn.py rather than laid out by WeasyPrint.
DRAWN_BODIES = {"report_table.html", "sheet.html"}
#: Paged templates of blocks drawn over a few laid-out forms, their values written in by drawn.py.
FORM_BLOCKS = {"signup_sheet.html"}


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
            office_name=offices.unbroken_office_name,
            vn_date=formatting.format_date, vn_datetime=formatting.format_datetime,
            vn_number=formatting.format_number, vn_money=formatting.format_money,
            vn_percent=formatting.format_percent,
        )
        self.env.globals.update(_=gettext, gettext=gettext, ngettext=ngettext, pgettext=pgettext,
                                document_date_line=formatting.document_date_line, grid_classes=GRID_CLASSES)
        self.font_config = FontConfiguration()
        self._lock = threading.Lock()
        self.digest = self._templates_digest()
        self.cache_limit = int(app.config.get("PDF_CACHE_BYTES", 512 * 1024 * 1024))
        #: Rendering processes for long documents (0 or 1: render in this process only).
        self.processes = int(app.config.get("PRINT_PROCESSES", min(2, os.cpu_count() or 1)))
        #: Documents shorter than this many pages are laid out in this process.
        self.parallel_min_pages = int(app.config.get("PRINT_PARALLEL_MIN_PAGES", 12))
        self._pool: RenderPool | None = None
        self.last_refused: list[str] = []
        #: CPU seconds WeasyPrint spent on the last document, over every process (for the bench).
        self.last_cpu = 0.0
        fonts.warn_if_incomplete()

    @staticmethod
    def _templates_digest() -> str:
        digest = hashlib.sha256()
        here = Path(__file__).resolve().parent
        planners = ("layout.py", "layout_report.py", "layout_signup.py", "stamp.py", "fonts.py", "drawn.py")
        for path in [*sorted(TEMPLATES.rglob("*")), *(here / name for name in planners)]:
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
        """The document's HTML, in the document's locale (Vietnamese), with every string in NFC."""
        with force_locale(DOCUMENT_LOCALE):
            return self.env.get_template(template).render(**nfc(dict(context)))

    def render_pdf(self, template: str, context: Mapping[str, Any], *, use_cache: bool = True) -> bytes:
        """The document as PDF bytes, from the cache when its inputs have not changed."""
        context = nfc(dict(context))
        key = self.cache_key(template, context)
        name = f"{key[:2]}/{key}.pdf"
        if use_cache:
            cache = self.cache
            try:
                with cache.open(name) as fh:
                    pdf = fh.read()
            except NotStored:
                pass
            else:
                cache.touch(name)  # keep recently used documents when trimming
                return pdf
        pdf = self._render(template, context)
        if use_cache:
            self._store(cache, name, pdf)
        return pdf

    @property
    def cache(self):
        """Where rendered documents are cached (see portal.storage.pdf_cache)."""
        return pdf_cache(self.app)

    def html_to_pdf(self, html: str) -> bytes:
        """Lay out HTML with the restricted fetcher and the shared fonts (in this process)."""
        part = render_part(html, [Path(self.app.static_folder)], self.font_config)
        self._note(part.refused)
        return part.pdf

    def _note(self, refused: list[str]) -> None:
        self.last_refused = list(refused)
        if refused:
            log.warning("Printing refused %d resource(s)", len(refused))

    # Long documents: planned page by page, cut into chunks, laid out in the render pool, joined.

    def _plan(self, template: str, context: dict, attempt: int) -> tuple[dict, str | None, int | None]:
        """The context with its pages planned, the key of its list of pages, and the page count expected."""
        spec = PAGED.get(template)
        if spec is None:
            return context, None, None
        key, paginate = spec
        if paginate is None:
            return context, key, None
        planned = paginate(context, first_slack_rows=attempt)
        return planned, key, len(planned[key])

    def _chunks(self, count: int, pages_each: int = 1) -> list[tuple[int, int]]:
        """Slices of the page list: one chunk per process (two each for long lists), or all in one."""
        processes = self.processes
        if processes < 2 or count * pages_each < self.parallel_min_pages:
            return [(0, count)]
        parts = min(count, processes * (2 if count * pages_each >= 4 * self.parallel_min_pages else 1))
        size = -(-count // parts)
        return [(a, min(count, a + size)) for a in range(0, count, size)]

    def _render(self, template: str, context: dict) -> bytes:
        count = len(context[PAGED[template][0]]) if template in FORM_LETTERS else 0
        if count and count >= self.parallel_min_pages:
            # Many letters: as form letters, in as many parts as there are render processes (twice over).
            with tempfile.TemporaryDirectory(prefix="letters-") as folder:
                target = Path(folder) / "letters.pdf"
                self.render_to_file(template, context, target, per_chunk=-(-count // max(1, 2 * self.processes)))
                return target.read_bytes()
        static = [Path(self.app.static_folder)]
        forms = self._forms(template, context) if template in FORM_BLOCKS else None
        if forms is not None:  # the blocks' pages planned with the heights their forms were laid out at
            context = {**context, "block_heights": forms.heights}
        planned, key, expected = self._plan(template, context, 0)
        for attempt in range(3):
            if key is None:
                return self.html_to_pdf(self.render_html(template, planned))
            items = None
            if forms is not None:
                planned, items = forms.place(planned)
            units = planned[key]
            chunks = self._chunks(len(units))
            headers = None
            if template in STAMPED_HEADERS:  # laid out once, drawn on every page as a shared form
                headers = render_part(self.render_html(template, {**planned, "headers_only": True}), static,
                                      self.font_config)
                planned = {**planned, "stamped_headers": True}
            bodies = drawn.bodies_of(planned) if template in DRAWN_BODIES else None
            if bodies is not None and not drawn.drawable(bodies):
                log.info("%s: a letter beyond the documents' font; its rows laid out by WeasyPrint", template)
                bodies = None
            if bodies is not None:
                planned = {**planned, "drawn_bodies": True}
            htmls = [self.render_html(template, {**planned, key: units[a:b]}) for a, b in chunks]
            if headers is not None or bodies is not None or items is not None:
                def of(found: dict, a: int, b: int) -> dict:
                    return {k: v for k, v in found.items() if a < int(k.split(".")[0]) <= b}

                calls = [(html, headers.pdf if headers is not None else None, of(bodies, a, b) if bodies else None,
                          (forms.laid_out.pdf, of(items, a, b)) if items is not None else None)
                         for html, (a, b) in zip(htmls, chunks, strict=True)]
                if len(calls) == 1:
                    parts = [stamp.stamped(*calls[0], static, self.font_config)]
                else:
                    parts = [f.result() for f in [self.pool().call(stamp.stamped, *call) for call in calls]]
                if headers is not None:
                    parts[0].seconds += headers.seconds
                if forms is not None:
                    parts[0].seconds += forms.laid_out.seconds
            elif len(htmls) == 1:
                parts = [render_part(htmls[0], static, self.font_config)]
            else:
                parts = self.pool().render(htmls)
            self._note([url for part in parts for url in part.refused])
            self.last_cpu = sum(part.seconds for part in parts)
            pages = sum(part.pages for part in parts)
            if expected is None or pages == expected or attempt == 2:
                if expected is not None and pages != expected:
                    log.warning("%s: planned %d pages, laid out %d", template, expected, pages)
                return join([part.pdf for part in parts], title=str(planned.get("title") or ""))
            log.info("%s: planned %d pages, laid out %d; planning with more room", template, expected, pages)
            planned, key, expected = self._plan(template, context, attempt + 1)
        raise AssertionError("unreachable")

    def _forms(self, template: str, context: dict) -> _Forms | None:
        """The forms of a document of blocks (``FORM_BLOCKS``): one per distinct shape of block, laid out with
        their values hidden, for drawn.py to write the values into (None when a value has a letter beyond the
        documents' font: the blocks are then laid out whole)."""
        blocks = layout_signup.signup_blocks(context)
        lines = [layout_signup.value_lines(block) for block in blocks]
        probe = {str(i): {"lines": [(block["row"],), *((piece,) for pieces in found.values() for piece in pieces)]}
                 for i, (block, found) in enumerate(zip(blocks, lines, strict=True))}
        if not drawn.drawable(probe):
            log.info("%s: a letter beyond the documents' font; its blocks laid out whole", template)
            return None
        numbers: dict[tuple, int] = {}
        form_of = [numbers.setdefault(layout_signup.block_form(block, found), len(numbers))
                   for block, found in zip(blocks, lines, strict=True)]
        html = self.render_html(template, {**context, "forms": [layout_signup.form_placeholder(shape)
                                                                for shape in numbers],
                                           "form_width": layout_signup.LANDSCAPE.width})
        if self.processes > 1 and len(blocks) / layout_signup.SIGNUP_BLOCKS_A_PAGE >= self.parallel_min_pages:
            laid_out = self.pool().call(stamp.lay_out_forms, html).result()  # a long sheet: the web worker free
        else:
            laid_out = stamp.lay_out_forms(html, [Path(self.app.static_folder)], self.font_config)
        self._note(laid_out.refused)
        return _Forms(laid_out, blocks, lines, form_of)

    def pool(self) -> RenderPool:
        """The application's render pool (started on first use)."""
        with self._lock:
            if self._pool is None:
                self._pool = register(RenderPool(self.processes, [Path(self.app.static_folder)],
                                                 idle_seconds=float(self.app.config.get("PRINT_POOL_IDLE_SECONDS",
                                                                                        300)),
                                                 nice=int(self.app.config.get("PRINT_NICE", 10))))
            return self._pool

    def render_to_file(self, template: str, context: Mapping[str, Any], target: Path, *, per_chunk: int = 100,
                       progress: Callable[[int, int], None] | None = None) -> int:
        """Render a long document (one page per unit, e.g. letters) into ``target`` chunk by chunk through
        the pool, reporting ``progress(done, total)`` as chunks finish; returns the number of pages.

        Only a few chunks are in flight at a time and each finished one goes to a temporary file, so memory
        stays flat however long the document is. Form letters (``FORM_LETTERS``) are laid out as their variable
        parts only and drawn over one background per group (see stamp.py).
        """
        context = nfc(dict(context))
        planned, key, _expected = self._plan(template, context, 0)
        if key is None:
            raise ValueError(f"{template} is not a paged document")
        units = planned[key]
        total = len(units)
        slices = [(a, min(total, a + per_chunk)) for a in range(0, total, per_chunk)] or [(0, 0)]
        folder = Path(tempfile.mkdtemp(prefix="parts-", dir=target.parent))
        static = [Path(self.app.static_folder)]
        pool = self.pool() if self.processes > 1 else None

        def call(fn, *args):
            """``fn(*args)`` in a render process, or here (with this process's static folders and fonts)."""
            if pool is not None:
                return pool.call(fn, *args)
            return _Done(fn(*args, static_folders=static, font_config=self.font_config))

        files: list[Path] = []
        pages = done = 0
        cpu = 0.0
        refused: list[str] = []
        try:
            form = self._form_letters(template, planned, key, call) if template in FORM_LETTERS else None
            if form is not None:
                cpu += form.seconds
                refused += form.refused
            pending: list = []
            queue = list(enumerate(slices))
            while queue or pending:
                while queue and len(pending) < max(2, 2 * self.processes):
                    index, (a, b) = queue.pop(0)
                    if form is None:
                        html = self.render_html(template, {**planned, key: units[a:b]})
                        pending.append((index, a, b, call(render_part, html)))
                    else:
                        pending.append((index, a, b, form.submit(call, self, template, planned, key, a, b)))
                index, a, b, future = pending.pop(0)
                part = future.result()
                pdf = part.pdf
                if part.overflow:  # letters whose variable parts did not fit: laid out whole
                    whole = render_part(self.render_html(template, {**planned, key: [units[a + i] for i in
                                                                                     part.overflow]}),
                                        static, self.font_config)
                    pdf = stamp.splice(pdf, whole.pdf, part.overflow)
                    cpu += whole.seconds
                path = folder / f"{index:05d}.pdf"
                path.write_bytes(pdf)
                files.append(path)
                pages += part.pages
                refused += part.refused
                cpu += part.seconds
                done += b - a
                if progress:
                    progress(done, total)
            self._note(refused)
            self.last_cpu = cpu
            join_files(files, target, title=str(planned.get("title") or ""))
        finally:
            for path in folder.glob("*"):
                path.unlink(missing_ok=True)
            folder.rmdir()
        return pages

    def _form_letters(self, template: str, planned: dict, key: str, call) -> _FormLetters | None:
        """The backgrounds of a run of form letters (one per group, laid out in parallel), or None when the
        letters must be laid out whole (their slots differ from group to group, or there are none)."""
        fields, blank = FORM_LETTERS[template]
        numbers: dict[tuple, int] = {}
        groups = [numbers.setdefault(tuple(unit.get(f) for f in fields), len(numbers)) for unit in planned[key]]
        first: dict[int, dict] = {}
        for unit, group in zip(planned[key], groups, strict=True):
            first.setdefault(group, unit)
        futures = [call(stamp.background, self.render_html(template, {**planned, key: [{**first[g], **blank}],
                                                                      "mode": "background"}))
                   for g in range(len(numbers))]
        backgrounds = [f.result() for f in futures]
        slots = backgrounds[0].slots if backgrounds else {}
        if not slots or any(b.slots != slots for b in backgrounds):
            log.warning("%s: slots differ between groups or are missing; letters laid out whole", template)
            return None
        return _FormLetters(groups, backgrounds, slots)

    def _store(self, cache, name: str, pdf: bytes) -> None:
        cache.put(name, pdf)
        self._trim(cache)

    def _trim(self, cache) -> None:
        if cache.usage()[1] <= self.cache_limit:  # one query on a database store
            return
        files = [entry for entry in cache.list() if entry.key.endswith(".pdf")]
        total = sum(entry.size for entry in files)
        for entry in sorted(files, key=lambda e: e.modified):
            cache.delete(entry.key)
            total -= entry.size
            if total <= self.cache_limit * 0.8:
                break


class _Forms:
    """The laid-out forms of a document's blocks, and what each block writes into its form."""

    def __init__(self, laid_out: stamp.Forms, blocks: list[dict], lines: list[dict], form_of: list[int]):
        self.laid_out = laid_out
        self.form_of = form_of
        self.heights = [laid_out.shapes[n]["height"] + layout_signup.SIGNUP_GAP_MM for n in form_of]
        self.lines = [layout_signup.form_lines(block, found, laid_out.shapes[n]["slots"])
                      for block, found, n in zip(blocks, lines, form_of, strict=True)]

    def place(self, planned: dict) -> tuple[dict, dict]:
        """The planned pages with each block's form height, and the items stamp.stamped draws by the key the
        template gives their boxes ("page.block")."""
        index, items, pages = 0, {}, []
        for page in planned["pages"]:
            blocks = []
            for j, block in enumerate(page["blocks"]):
                n = self.form_of[index]
                blocks.append({**block, "form_height": round(self.laid_out.shapes[n]["height"], 3)})
                items[f"{page['number']}.{j}"] = {"form": n, "lines": self.lines[index]}
                index += 1
            pages.append({**page, "blocks": blocks})
        return {**planned, "pages": pages, "drawn_blocks": True}, items


class _FormLetters:
    """A run of form letters: each letter's group, each group's background, the slots' places."""

    def __init__(self, groups: list[int], backgrounds: list[stamp.Background], slots: dict[str, list[float]]):
        self.groups = groups
        self.backgrounds = backgrounds
        self.places = {name: value[:3] for name, value in slots.items()}
        self.limits = {name: value[3] for name, value in slots.items()}
        self.seconds = sum(b.seconds for b in backgrounds)
        self.refused = [url for b in backgrounds for url in b.refused]

    def submit(self, call, renderer: Renderer, template: str, planned: dict, key: str, a: int, b: int):
        """Queue letters ``a`` to ``b`` (their slots laid out, then stamped on their groups' backgrounds)."""
        html = renderer.render_html(template, {**planned, key: planned[key][a:b], "mode": "slots",
                                               "slots": self.places})
        used = sorted(set(self.groups[a:b]))
        local = {group: n for n, group in enumerate(used)}
        return call(stamp.letters, html, [self.backgrounds[g].pdf for g in used],
                    [local[g] for g in self.groups[a:b]], self.limits)


class _Done:
    """A finished result that looks like a future."""

    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value


def renderer() -> Renderer:
    """The application's renderer (created on first use)."""
    app = current_app._get_current_object()
    existing = app.extensions.get("portal_printing")
    if existing is None:
        existing = app.extensions["portal_printing"] = Renderer(app)
    return existing
