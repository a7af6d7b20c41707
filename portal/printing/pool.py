"""Rendering HTML to PDF in worker processes, and joining the parts.

A long document planned page by page (see layout.py) is cut into chunks of whole pages; each chunk is laid out
by WeasyPrint in a process of a small pool (one per core by default), so both cores of the server work on it.
The workers are started once (``spawn``: nothing of the web process, its threads or its database connections
is inherited), each with its own FontConfiguration and the same restricted URL fetcher, and warmed up with a
one-line document. The parts are joined with pypdf.
"""

from __future__ import annotations

import atexit
import io
import logging
import multiprocessing
import multiprocessing.util
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..core.processes import exit_with
from .fonts import VIETNAMESE_SAMPLE

log = logging.getLogger(__name__)

_font_config = None
_static_folders: list[Path] = []


@dataclass
class Part:
    """One rendered chunk: its PDF, how many pages it has, what the fetcher refused, the CPU time it took."""

    pdf: bytes
    pages: int
    refused: list[str] = field(default_factory=list)
    seconds: float = 0.0
    #: Form letters (stamp.py): the letters whose variable parts did not fit their place.
    overflow: list[int] = field(default_factory=list)


def render_document(html: str, static_folders: list[Path] | None = None, font_config=None):
    """Lay out one HTML document with the restricted fetcher (in whatever process this runs): the WeasyPrint
    document, and what the fetcher refused."""
    from weasyprint import HTML

    from .fetcher import BASE_URL, RestrictedFetcher

    global _font_config
    if font_config is None:
        if _font_config is None:
            from weasyprint.text.fonts import FontConfiguration

            _font_config = FontConfiguration()
        font_config = _font_config
    fetcher = RestrictedFetcher(static_folders if static_folders is not None else _static_folders)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render(font_config=font_config)
    return document, list(fetcher.refused)


def render_html(html: str, static_folders: list[Path] | None = None, font_config=None) -> Part:
    """Lay out one HTML document to PDF (in whatever process this runs)."""
    started = time.process_time()
    document, refused = render_document(html, static_folders, font_config)
    pdf = document.write_pdf()
    return Part(pdf=pdf, pages=len(document.pages), refused=refused, seconds=time.process_time() - started)


def _init_worker(static_folders: list[str], nice: int = 0, parent: int | None = None) -> None:
    global _static_folders
    if parent is not None:
        exit_with(parent)
    if nice:
        # Laying out a long document takes whole seconds of CPU: it yields to the pages people are waiting for.
        os.nice(nice)
    _static_folders = [Path(p) for p in static_folders]
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    render_html(f"<!doctype html><html lang=vi><body><p>{VIETNAMESE_SAMPLE}</p></body></html>")  # load fonts once
    from . import drawn

    drawn.prepare()  # and the subsets of the documents' font that grid rows are written in


def _worker_rss() -> int:
    """Peak resident memory of this worker, in bytes."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


class RenderPool:
    """A lazily started pool of rendering processes."""

    def __init__(self, processes: int, static_folders: list[Path], max_tasks: int | None = 200,
                 idle_seconds: float = 300, nice: int = 0):
        self.processes = processes
        #: How much lower than the server's own the CPU priority of the rendering processes is (``os.nice``).
        self.nice = nice
        self.static_folders = [str(p) for p in static_folders]
        self.max_tasks = max_tasks
        #: Workers are stopped after this long without work (each holds ~100 MB; every server process has a pool).
        self.idle_seconds = idle_seconds
        self._executor: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self._pid = os.getpid()
        self._last_used = time.monotonic()
        self._in_flight = 0
        self._timer: threading.Timer | None = None

    def executor(self) -> ProcessPoolExecutor:
        """The pool, started on first use (and again in a forked child)."""
        with self._lock:
            if self._executor is None or self._pid != os.getpid():
                self._pid = os.getpid()
                self._executor = ProcessPoolExecutor(
                    max_workers=self.processes, mp_context=multiprocessing.get_context("spawn"),
                    initializer=_init_worker, initargs=(self.static_folders, self.nice, os.getpid()),
                    **({"max_tasks_per_child": self.max_tasks} if self.max_tasks else {}))
                # When this process is itself a multiprocessing worker (a local job worker), it joins its
                # children before exiting: stop the pool first, or the exit waits for idle renderers forever.
                multiprocessing.util.Finalize(self, self.shutdown, exitpriority=100)  # before the queues close (10)
            return self._executor

    def _submit(self, fn, *args):
        executor = self.executor()
        with self._lock:
            self._in_flight += 1
            self._last_used = time.monotonic()
            if self.idle_seconds and (self._timer is None or not self._timer.is_alive()):
                self._timer = threading.Timer(self.idle_seconds, self._reap)
                self._timer.daemon = True
                self._timer.start()
        future = executor.submit(fn, *args)
        future.add_done_callback(self._finished)
        return future

    def _finished(self, _future) -> None:
        with self._lock:
            self._in_flight -= 1
            self._last_used = time.monotonic()

    def _reap(self) -> None:
        with self._lock:
            idle = time.monotonic() - self._last_used
            busy = self._in_flight > 0
        if busy or idle < self.idle_seconds:
            with self._lock:
                self._timer = threading.Timer(max(1.0, self.idle_seconds - idle), self._reap)
                self._timer.daemon = True
                self._timer.start()
            return
        log.debug("render pool idle for %.0f s: stopping its workers", idle)
        self.shutdown()

    def warm(self) -> None:
        """Start every worker now (they load WeasyPrint and the fonts), so the first print does not wait."""
        futures = [self._submit(_worker_rss) for _ in range(self.processes)]
        for future in futures:
            future.result()

    def render(self, htmls: list[str]) -> list[Part]:
        """Render several documents in parallel, in order."""
        return [f.result() for f in [self._submit(render_html, html) for html in htmls]]

    def call(self, fn, *args):
        """Queue a call of a module-level function in a render process; returns its future."""
        return self._submit(fn, *args)

    def peak_rss(self) -> list[int]:
        """Peak resident memory of the workers (one sample per worker, best effort)."""
        return [f.result() for f in [self._submit(_worker_rss) for _ in range(self.processes * 2)]]

    def shutdown(self) -> None:
        """Stop the workers (they start again on the next use)."""
        with self._lock:
            executor, self._executor = self._executor, None
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
        if executor is not None and self._pid == os.getpid():
            executor.shutdown(wait=True, cancel_futures=True)


def join(parts: list[bytes], title: str | None = None) -> bytes:
    """One PDF made of several, page after page."""
    if len(parts) == 1:
        return parts[0]
    from pypdf import PdfWriter

    writer = PdfWriter()
    for data in parts:
        writer.append(io.BytesIO(data))
    if title:
        writer.add_metadata({"/Title": title, "/Producer": "WeasyPrint"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def join_files(paths: list[Path], target: Path, title: str | None = None) -> int:
    """Join PDF files into ``target``; returns its size."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for path in paths:
        with open(path, "rb") as fh:  # pages are copied into the writer here
            writer.append(fh)
    if title:
        writer.add_metadata({"/Title": title, "/Producer": "WeasyPrint"})
    with open(target, "wb") as fh:
        writer.write(fh)
    return target.stat().st_size


_pools: list[RenderPool] = []


def register(pool: RenderPool) -> RenderPool:
    """Remember a pool so that it is stopped when the process exits."""
    _pools.append(pool)
    return pool


@atexit.register
def _stop_pools() -> None:
    for pool in _pools:
        try:
            pool.shutdown()
        except Exception:  # noqa: BLE001 - exiting anyway
            log.debug("render pool did not stop cleanly", exc_info=True)
