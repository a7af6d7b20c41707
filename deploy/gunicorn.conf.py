"""gunicorn settings for the portal: ``gunicorn -c deploy/gunicorn.conf.py wsgi:app``.

Every value can be changed without editing this file through the environment variable named beside it
(see docs/operations.md). The portal sits behind a reverse proxy that terminates TLS (nginx, say) on the same
host; gunicorn listens on the loopback address only.
"""

from __future__ import annotations

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


#: Where to listen (GUNICORN_BIND). The reverse proxy forwards to it.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

#: Worker processes: two per core plus one (GUNICORN_WORKERS, or WEB_CONCURRENCY as Heroku-style hosts set it).
workers = _int("GUNICORN_WORKERS", _int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
#: Sync workers (GUNICORN_THREADS=1, the default): each serves one request at a time. GUNICORN_THREADS=N (N > 1)
#: gives each worker N threads (gthread), so that a page waiting for PostgreSQL leaves its worker to the next;
#: measured with bench/load.py on a shared 2-core machine it did not clearly beat sync workers (docs/operations.md,
#: "Workers and threads"). GUNICORN_WORKER_CLASS chooses the class outright.
threads = _int("GUNICORN_THREADS", 1)
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread" if threads > 1 else "sync")
# The application checks its own configuration against the number of server processes (SQLite needs WAL
# when more than one process writes): tell it how many there are. Read by portal/__init__.py.
os.environ["PORTAL_WORKERS"] = str(workers)

#: A worker that has not reported for this many seconds is killed (a sync worker: its request ran that long;
#: a gthread worker keeps reporting while its threads work, and the proxy's proxy_read_timeout answers a
#: request that long with 504). Pages take well under a second; a PDF of a big list a few seconds; anything
#: longer runs as a background job (RQ worker).
timeout = _int("GUNICORN_TIMEOUT", 60)
#: Time given to workers to finish their requests on restart or upgrade (HUP/TERM).
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
#: Keep-alive with the proxy on the same host.
keepalive = _int("GUNICORN_KEEPALIVE", 5)

#: Load the application once in the master before forking: workers share its memory pages, a broken
#: configuration (see ``PORTAL_ENV=production`` checks) stops the start at once with its message instead of
#: every worker failing in turn, and a HUP reloads code gracefully.
preload_app = True

#: Recycle a worker after this many requests (plus up to 10% jitter) as a safety net against slow growth of
#: memory in a library; 0 turns it off (GUNICORN_MAX_REQUESTS). bench/load.py turns it off to measure.
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = max_requests // 10

#: The proxy's address: only from it are X-Forwarded-Proto/-For trusted (FORWARDED_ALLOW_IPS). The
#: application counts the proxies in front of it with TRUSTED_PROXIES (see docs/operations.md).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

#: Access log to standard output (GUNICORN_ACCESS_LOG: a file path, or "-"); errors to standard error.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
#: Path without the query string (%(U)s, never %(r)s or %(q)s): searches put names in the query string.
#: No referrer either (it carries the previous page's query string). Duration in milliseconds.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'

#: Heartbeat files in memory rather than on a possibly slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - gunicorn's heartbeat only
#: gunicorn's control socket is not used; several instances on one host would fight over its default path.
control_socket_disable = True
proc_name = "bhxh-portal"


def post_fork(server, worker):
    """Drop database connections inherited from the master (opened while checking the configuration)."""
    from portal.extensions import db

    app = getattr(server.app, "callable", None)
    if app is not None:
        with app.app_context():
            db.engine.dispose(close=False)
