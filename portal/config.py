"""Configuration defaults.

Layers, each overriding the one before: the defaults below, then ``instance/config.py`` (secrets, written on
first start with a random ``SECRET_KEY``), then the environment (``DATABASE_URL``, ``REDIS_URL``,
``DATABASE_OWNER_URL``, ``PORTAL_ENV``, ``SECRET_KEY``, ``PORTAL_WORKERS``, ``TRUSTED_PROXIES``, ``PUBLIC_URL``, ``TRUSTED_HOSTS``, ``STORAGE`` and ``STORAGE_S3_*``), then the ``test_config`` given to ``create_app``.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

#: Placeholder that production refuses to run with.
INSECURE_SECRET = "insecure-development-key"  # noqa: S105
#: Shortest secret key production accepts (``secrets.token_urlsafe(48)`` gives 64 characters).
MIN_SECRET_KEY_LENGTH = 32


class Defaults:
    """Settings that are safe for a developer machine."""

    SECRET_KEY = INSECURE_SECRET
    PORTAL_ENV = "development"
    SQLALCHEMY_DATABASE_URI: str | None = None  # filled in from the instance folder
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SQLALCHEMY_RECORD_QUERIES = False
    #: The database owner's URL (PostgreSQL, DATABASE_OWNER_URL). When set, the portal itself connects with
    #: DATABASE_URL as an app role that may not change, delete or truncate the audit log (``flask database
    #: grant-app``), and only migrations, a restore and the retention run connect as the owner.
    DATABASE_OWNER_URL: str | None = None
    SQLITE_BUSY_TIMEOUT_MS = 15_000
    REDIS_URL: str | None = None
    #: Server processes sharing the database (set by deploy/gunicorn.conf.py through PORTAL_WORKERS).
    WORKERS = 1
    #: Reverse proxies in front of the portal whose X-Forwarded-For/-Proto are believed (TRUSTED_PROXIES).
    TRUSTED_PROXIES = 0
    #: The address people reach the portal at (PUBLIC_URL, e.g. "https://portal.bhxh.example.vn/"): links and QR
    #: codes in printed letters and background jobs use it, never the request's Host header. When set, its host
    #: is the only one requests are answered for (unless TRUSTED_HOSTS lists others).
    PUBLIC_URL: str | None = None
    #: Host names requests are answered for (Flask's TRUSTED_HOSTS; None: any, as on a developer machine).
    TRUSTED_HOSTS: list[str] | None = None
    #: Where files are kept (portal/storage): "instance" (this host's instance folder), "database" (PostgreSQL,
    #: shared by several hosts) or "s3" (an S3-compatible bucket, with the STORAGE_S3_* settings).
    STORAGE = "instance"
    STORAGE_S3_BUCKET: str | None = None
    STORAGE_S3_PREFIX: str | None = None
    STORAGE_S3_ENDPOINT_URL: str | None = None
    STORAGE_S3_REGION: str | None = None

    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}

    WTF_CSRF_TIME_LIMIT = 8 * 3600
    WTF_CSRF_HEADERS = ["X-CSRFToken"]

    #: Public keys (age1…, a list or one string) backups are encrypted to (BACKUP_RECIPIENTS; none: not
    #: encrypted), and the secret key file a restore decrypts with when --identity is not given.
    BACKUP_RECIPIENTS: list[str] = []
    BACKUP_IDENTITY_FILE: str | None = None

    #: Uploads (imports, evidence scans) larger than this are refused with 413.
    MAX_CONTENT_LENGTH = 20 * 1024 * 1024

    SESSION_COOKIE_NAME = "portal_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    #: Absolute lifetime of a login.
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    #: A login that sees no request for this long ends.
    SESSION_IDLE_TIMEOUT = timedelta(minutes=60)
    #: The session cookie is written only when the session changed (a login, a message to show, the minute's
    #: "seen" mark), not on every answer: an answer that changed nothing must not put back an older cookie over
    #: the one a parallel request just wrote (an inline check finishing after a save would drop its message).
    SESSION_REFRESH_EACH_REQUEST = False

    PAGE_SIZE = 25
    #: Strict-Transport-Security max-age (0: no header; production sets a year).
    HSTS_SECONDS = 0


class Production:
    """Overrides applied when ``PORTAL_ENV=production``."""

    #: Strict-Transport-Security: browsers come back over HTTPS only, for a year.
    HSTS_SECONDS = 365 * 24 * 3600
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"


def instance_config_path(instance_path: str) -> Path:
    """Where the secrets file lives."""
    return Path(instance_path) / "config.py"


def ensure_instance_config(instance_path: str) -> Path:
    """Create ``instance/config.py`` with a random secret key unless it exists."""
    path = instance_config_path(instance_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        key = secrets.token_urlsafe(48)
        # Written with 0600 so other local users cannot read the secret.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(
                "# Local secrets and overrides; never commit this file.\n"
                f"SECRET_KEY = {key!r}\n"
            )
    return path


def sqlite_default_uri(instance_path: str) -> str:
    """The embedded database file in the instance folder."""
    return "sqlite:///" + str(Path(instance_path) / "portal.sqlite3")


def normalise_database_url(url: str) -> str:
    """Point plain ``postgres://`` and ``postgresql://`` URLs at psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
