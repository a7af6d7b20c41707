"""Where jobs run.

- The embedded default: a local pool of worker processes (one by default) started by the web process on first
  use, no extra service. A worker builds its own app with ``create_app`` (same database and instance folder),
  reads the job row and runs it.
- With ``REDIS_URL`` set: RQ. Jobs go to the ``portal-jobs`` queue (``RQ_QUEUE``) and ``flask --app portal
  worker`` runs them; each job runs in a fresh app as well.
- Under TESTING, unless ``JOBS_RUNNER`` names one, jobs run inline in the request (tests of the pool and of RQ
  name theirs).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor

from flask import Flask, current_app, has_app_context
from flask_babel import pgettext

from ..core.processes import exit_with

log = logging.getLogger(__name__)

#: Settings a local worker copies from the web process (the rest comes from the environment and instance/).
_COPIED = ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "TESTING", "PDF_CACHE_DIR", "PRINT_PROCESSES",
           "PRINT_PARALLEL_MIN_PAGES", "JOBS_PER_CHUNK", "STORAGE", "STORAGE_S3_BUCKET", "STORAGE_S3_PREFIX",
           "STORAGE_S3_ENDPOINT_URL", "STORAGE_S3_REGION")


def backend_name(app: Flask) -> str:
    """"rq" or "local" (inline runs count as local)."""
    return "rq" if runner_kind(app) == "rq" else "local"


def runner_kind(app: Flask) -> str:
    """"inline", "local" or "rq"."""
    named = app.config.get("JOBS_RUNNER")
    if named in ("inline", "local", "rq"):
        return named
    if app.config.get("REDIS_URL"):
        return "rq"
    return "inline" if app.testing else "local"


def run_job(job_id: int, config: dict | None = None, instance_path: str | None = None,
            stop_pool: bool = False) -> None:
    """Run one job: in the current app when there is one, else in an app of its own. ``stop_pool`` stops the
    render processes afterwards (an RQ work horse exits after one job; a local worker keeps them warm)."""
    from . import tasks

    if has_app_context():
        try:
            tasks.execute(job_id)
        finally:
            if stop_pool:
                _stop_render_pool(current_app)
        return
    app = _process_app(config, instance_path)
    with app.app_context():
        try:
            tasks.execute(job_id)
        finally:
            if stop_pool:
                _stop_render_pool(app)


#: The application of this worker process, by the settings it was made with: built at the first job and kept, so
#: every later job reuses its database engine and its render pool (one pool per worker process, not per job).
_PROCESS_APPS: dict[tuple, Flask] = {}


def _process_app(config: dict | None, instance_path: str | None) -> Flask:
    key = (os.getpid(), instance_path, repr(sorted((config or {}).items())))
    app = _PROCESS_APPS.get(key)
    if app is None:
        if instance_path:
            os.environ["PORTAL_INSTANCE_PATH"] = instance_path
        from .. import create_app

        app = _PROCESS_APPS[key] = create_app(config or None)
    return app


def _stop_render_pool(app: Flask) -> None:
    printing = app.extensions.get("portal_printing")
    if printing is not None and printing._pool is not None:
        printing._pool.shutdown()
        printing._pool = None


class InlineRunner:
    """Runs the job now, in this process (tests, debugging)."""

    def submit(self, job_id: int) -> None:
        run_job(job_id)


def _init_worker(nice: int, parent: int) -> None:
    """A local job worker: background work yields the CPU to the pages, and ends with the web process."""
    os.nice(nice)
    exit_with(parent)


class LocalRunner:
    """A pool of local worker processes, started on first use."""

    def __init__(self, app: Flask):
        self.app = app
        self.workers = int(app.config.get("JOBS_WORKERS", 1))
        self._executor: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self._pid = os.getpid()

    def executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._executor is None or self._pid != os.getpid():
                self._pid = os.getpid()
                self._executor = ProcessPoolExecutor(max_workers=self.workers,
                                                     mp_context=multiprocessing.get_context("spawn"),
                                                     initializer=_init_worker,
                                                     initargs=(int(self.app.config.get("JOBS_NICE", 10)),
                                                               os.getpid()))
            return self._executor

    def submit(self, job_id: int) -> None:
        config = {k: self.app.config[k] for k in _COPIED if k in self.app.config}
        future = self.executor().submit(run_job, job_id, config, self.app.instance_path)
        future.add_done_callback(lambda f: self._done(job_id, f))

    def _done(self, job_id: int, future) -> None:
        """A worker that died (or raised past the job's own handling) leaves a reason on the row."""
        error = future.exception()
        if error is None:
            return
        log.error("job %s: worker failed: %r", job_id, error)
        with self.app.app_context():
            from ..extensions import db
            from . import services
            from .models import Job

            job = db.session.get(Job, job_id)
            if job is not None and not job.finished:
                services.fail(job_id, pgettext("job", "The worker stopped suddenly (perhaps out of memory). "
                                                      "Please try again."))
            db.session.remove()

    def shutdown(self) -> None:
        with self._lock:
            if self._executor is not None and self._pid == os.getpid():
                self._executor.shutdown(wait=True)
            self._executor = None


class RQRunner:
    """Jobs queued on Redis for ``flask --app portal worker``."""

    def __init__(self, app: Flask):
        self.url = app.config["REDIS_URL"]
        self.queue_name = app.config.get("RQ_QUEUE", "portal-jobs")

    def queue(self):
        from redis import Redis
        from rq import Queue

        return Queue(self.queue_name, connection=Redis.from_url(self.url))

    def submit(self, job_id: int) -> None:
        self.queue().enqueue(run_job, job_id, stop_pool=True, job_timeout=3600, result_ttl=3600, failure_ttl=7 * 86400,
                             description=f"portal job {job_id}")


def runner_for(app: Flask):
    """The app's runner (one per process)."""
    kind = runner_kind(app)
    if kind == "inline":
        return InlineRunner()
    key = f"portal_jobs_{kind}"
    runner = app.extensions.get(key)
    if runner is None:
        runner = app.extensions[key] = LocalRunner(app) if kind == "local" else RQRunner(app)
    return runner


def current_runner():
    """The runner of the current app."""
    return runner_for(current_app._get_current_object())
