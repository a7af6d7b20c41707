"""deploy/gunicorn.conf.py as production runs it, plus two hooks for bench/load.py: when a worker took a request
and when it had written the answer (``time.time()``, the clock the client uses), the CPU time the thread
that served it used meanwhile, the worker's resident memory afterwards and the path (no query), keyed by the
client's ``X-Bench-Id`` header, one line per request in ``$BENCH_TIMING_DIR/timing-<pid>.log``.

    gunicorn -c bench/gunicorn_timing.conf.py wsgi:app

The client's own times (before connecting, connected, request sent, first byte, answer read) against these
split a request into connect, queue (sent -> a worker took it), worker and return (answer written -> read).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

_DEPLOY = Path(__file__).resolve().parents[1] / "deploy" / "gunicorn.conf.py"
exec(compile(_DEPLOY.read_text(), str(_DEPLOY), "exec"))  # noqa: S102 - the repository's own settings file

_TIMING_DIR = os.environ.get("BENCH_TIMING_DIR")
_files: dict[int, object] = {}
_PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


def _rss_kib() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * _PAGE_KIB


def _timing_file():
    pid = os.getpid()
    if pid not in _files:
        _files[pid] = open(Path(_TIMING_DIR) / f"timing-{pid}.log", "a", buffering=1)  # noqa: SIM115
    return _files[pid]


def pre_request(worker, req):
    """Called once the worker has read the request line and headers, before the application runs."""
    req.bench_started = time.time()
    req.bench_cpu = time.thread_time()
    worker.log.debug("%s %s", req.method, req.path)


def post_request(worker, req, environ, resp):
    """Called after the answer was written to the socket (a sync worker then closes it)."""
    if not _TIMING_DIR:
        return
    request_id = next((value for name, value in req.headers if name == "X-BENCH-ID"), None)
    if request_id:
        cpu = time.thread_time() - req.bench_cpu
        _timing_file().write(f"{request_id} {req.bench_started:.6f} {time.time():.6f} {os.getpid()} {cpu:.6f} "
                             f"{_rss_kib()} {req.path}\n")
