"""A render process ends with the process that started it: a web worker killed for taking too long (gunicorn's
timeout, no clean-up run) leaves no render process behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

#: What these tests check (printing) is the same on both databases: they run once per ``make test`` (tests/README.md,
#: "Run once").
pytestmark = pytest.mark.once

#: A web worker's stand-in: starts a render pool, says its render process's id, then waits to be killed.
WORKER = """
import os, time
from portal.printing.pool import RenderPool
pool = RenderPool(1, [], idle_seconds=0)
print(pool.call(os.getpid).result(timeout=300), flush=True)
time.sleep(600)
"""


def _running(pid: int) -> bool:
    """Whether ``pid`` is a process that has not ended (a zombie waiting for its reaper has)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state not in ("Z", "X")


def test_a_killed_worker_leaves_no_render_process():
    renderer = None
    with subprocess.Popen([sys.executable, "-c", WORKER], stdout=subprocess.PIPE, text=True,
                          cwd=Path(__file__).resolve().parents[2]) as worker:
        try:
            renderer = int(worker.stdout.readline())
            assert _running(renderer)
            worker.send_signal(signal.SIGKILL)  # what gunicorn does to a worker past its timeout (no clean-up)
            worker.wait()
            # The render process looks for its parent every few seconds: wait for it to be gone (bounded wait).
            deadline = time.monotonic() + 120
            while _running(renderer) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert not _running(renderer), "the render process outlived the worker that started it"
        finally:
            if worker.poll() is None:
                worker.kill()
            if renderer is not None and _running(renderer):
                os.kill(renderer, signal.SIGKILL)
