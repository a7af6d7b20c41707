"""BHXH outreach portal: plan outreach conferences and the May campaign month, follow the work of collection
agents, record results and print what the field needs."""

from __future__ import annotations

import importlib
import logging
import os
from typing import Any

from flask import Flask, request
from jinja2 import StrictUndefined

from .config import (
    INSECURE_SECRET,
    MIN_SECRET_KEY_LENGTH,
    Defaults,
    Production,
    ensure_instance_config,
    normalise_database_url,
    sqlite_default_uri,
)

__version__ = "0.1.0"

#: The packages with pages, in the order their blueprints are registered. Each has ``blueprint.py`` (its
#: Blueprint, ``bp``) and view modules (``views.py``, ``views_*.py``) imported by its ``__init__``.
DOMAINS = ("home", "auth", "users", "auditlog", "facilities", "org", "communes", "households", "campaigns", "events",
           "network", "policy", "visits", "results", "enrolments", "retention", "declarations", "printing", "jobs",
           "reports", "privacy", "offline")


class UnsafeConfiguration(RuntimeError):
    """Production mode was asked for with settings that would put data at risk."""


def _apply_environment(app: Flask) -> None:
    env = os.environ
    if env.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = env["DATABASE_URL"]
    if env.get("DATABASE_OWNER_URL"):
        app.config["DATABASE_OWNER_URL"] = env["DATABASE_OWNER_URL"]
    if env.get("REDIS_URL"):
        app.config["REDIS_URL"] = env["REDIS_URL"]
    if env.get("PORTAL_ENV"):
        app.config["PORTAL_ENV"] = env["PORTAL_ENV"]
    if env.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = env["SECRET_KEY"]
    for name in ("STORAGE", "STORAGE_S3_BUCKET", "STORAGE_S3_PREFIX", "STORAGE_S3_ENDPOINT_URL", "STORAGE_S3_REGION"):
        if env.get(name):
            app.config[name] = env[name]
    for name in ("BACKUP_RECIPIENTS", "BACKUP_IDENTITY_FILE"):
        if env.get(name):
            app.config[name] = env[name]
    if env.get("PUBLIC_URL"):
        app.config["PUBLIC_URL"] = env["PUBLIC_URL"]
    if env.get("TRUSTED_HOSTS"):
        app.config["TRUSTED_HOSTS"] = [h.strip() for h in env["TRUSTED_HOSTS"].split(",") if h.strip()]
    for name in ("PORTAL_WORKERS", "TRUSTED_PROXIES"):
        if env.get(name):
            try:
                value = int(env[name])
            except ValueError:
                raise UnsafeConfiguration(f"{name} must be a whole number, not {env[name]!r}") from None
            app.config[name.removeprefix("PORTAL_")] = value


def production_problems(app: Flask) -> list[str]:
    """What makes this configuration unsafe to serve production with (empty when it is fine)."""
    problems = []
    secret = app.config.get("SECRET_KEY")
    if not secret:
        problems.append("SECRET_KEY is not set: put a random one in instance/config.py (created on first start "
                        "with one) or in the SECRET_KEY environment variable")
    elif secret == INSECURE_SECRET:
        problems.append("SECRET_KEY is the development default: delete it from the settings so that "
                        "instance/config.py's random key is used, or set a new random one")
    elif len(str(secret)) < MIN_SECRET_KEY_LENGTH:
        problems.append(f"SECRET_KEY is {len(str(secret))} characters long, shorter than "
                        f"{MIN_SECRET_KEY_LENGTH}: generate one with "
                        "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`")
    if app.debug:
        problems.append("debug mode is on (FLASK_DEBUG or DEBUG): it shows code and lets anyone run it from "
                        "an error page; turn it off")
    if app.config.get("TESTING"):
        problems.append("TESTING is on: turn it off")
    return problems


def _sqlite_problems(app: Flask) -> list[str]:
    """SQLite is safe for several server processes only in WAL mode on a real file."""
    from sqlalchemy.exc import SQLAlchemyError

    from .extensions import db

    workers = int(app.config.get("WORKERS") or 1)
    if workers <= 1 or not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return []
    with app.app_context():
        try:
            with db.engine.connect() as conn:
                mode = str(conn.exec_driver_sql("PRAGMA journal_mode").scalar() or "").lower()
        except SQLAlchemyError as exc:
            return [f"the SQLite database cannot be opened ({exc.orig or exc}): check DATABASE_URL and that the "
                    "folder exists and is writable"]
        finally:
            db.engine.dispose()
    if mode == "wal":
        return []
    return [f"SQLite runs in journal mode {mode!r}, not WAL, with {workers} server processes: writers would "
            "lock readers out or, with an in-memory database, each process would have its own. Put the "
            "database file on a local disk (WAL needs one), use PostgreSQL (DATABASE_URL), or run one worker "
            "(GUNICORN_WORKERS=1)"]


def check_production_config(app: Flask) -> None:
    """Refuse to serve production with a missing, default or short secret key, debug or testing mode, or
    SQLite shared by several processes without WAL."""
    problems = production_problems(app)
    if not problems:
        problems = _sqlite_problems(app)
    if problems:
        raise UnsafeConfiguration("Refusing to start with PORTAL_ENV=production:\n  - " + "\n  - ".join(problems))


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the application: configuration layers, extensions, blueprints, CLI."""
    app = Flask(__name__, instance_relative_config=True, instance_path=os.environ.get("PORTAL_INSTANCE_PATH"))
    app.config.from_object(Defaults)
    if test_config is None:
        ensure_instance_config(app.instance_path)
        app.config.from_pyfile("config.py", silent=True)
    _apply_environment(app)
    if app.config["PORTAL_ENV"] == "production":
        app.config.from_object(Production)
    if test_config is not None:
        app.config.update(test_config)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        os.makedirs(app.instance_path, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = sqlite_default_uri(app.instance_path)
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    _public_url(app)

    app.jinja_env.undefined = StrictUndefined
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    _init_extensions(app)
    if app.config["PORTAL_ENV"] == "production":
        # After the extensions (the SQLite check opens a connection), before anything is served.
        check_production_config(app)
    _trust_proxies(app)
    _register_blueprints(app)
    _register_cli(app)
    _configure_logging(app)
    return app


def _public_url(app: Flask) -> None:
    """Normalise PUBLIC_URL (a trailing slash) and answer only for its host unless TRUSTED_HOSTS says more."""
    from urllib.parse import urlsplit

    url = app.config.get("PUBLIC_URL")
    if not url:
        return
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeConfiguration(f"PUBLIC_URL must be an http(s) address, not {url!r}")
    app.config["PUBLIC_URL"] = url.rstrip("/") + "/"
    if app.config.get("TRUSTED_HOSTS") is None:
        app.config["TRUSTED_HOSTS"] = [parts.hostname]


def _trust_proxies(app: Flask) -> None:
    """Behind N reverse proxies, take the client's address and scheme from their X-Forwarded-* headers (the
    login throttle and the audit log need the real address, not the proxy's)."""
    count = int(app.config.get("TRUSTED_PROXIES") or 0)
    if count > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=0)


def _init_extensions(app: Flask) -> None:
    from . import (
        database,  # noqa: F401  (engine event listeners)
        i18n,
        storage,
    )
    from .auth import menu, sessions
    from .core import errors, params, rendering, security
    from .core import static as static_files
    from .extensions import babel, csrf, db, htmx, login_manager, migrate

    _import_models()
    # Statement values (ID numbers, phones) never reach an error message, hence never the log.
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"hide_parameters": True, **app.config["SQLALCHEMY_ENGINE_OPTIONS"]}
    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"),
                     render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    htmx.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"
    from flask_babel import lazy_gettext

    login_manager.login_message = lazy_gettext("Please sign in to continue.")
    login_manager.login_message_category = "info"
    login_manager.unauthorized_handler(_unauthorized)
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    params.init_app(app)
    menu.init_app(app)
    rendering.init_app(app)
    sessions.init_app(app)
    static_files.init_app(app)
    storage.init_app(app)


def _unauthorized():
    from flask import flash, url_for
    from flask_babel import gettext

    from .core.rendering import client_redirect

    login_url = url_for("auth.login", next=request.full_path.rstrip("?") if request.method == "GET" else None)
    flash(gettext("Please sign in to continue."), "info")
    # An htmx request after the session ended sends the whole window to the login page.
    return client_redirect(login_url, status=302, htmx_status=401)


def _import_models() -> None:
    """Import every model module so the metadata (and Alembic) sees all tables."""
    from .audit import models as _audit  # noqa: F401
    from .auth import models as _auth  # noqa: F401
    from .campaigns import models as _campaigns  # noqa: F401
    from .declarations import models as _declarations  # noqa: F401
    from .events import models as _events  # noqa: F401
    from .geo import models as _geo  # noqa: F401
    from .households import models as _households  # noqa: F401
    from .jobs import models as _jobs  # noqa: F401
    from .network import models as _network  # noqa: F401
    from .org import models as _org  # noqa: F401
    from .policy import models as _policy  # noqa: F401
    from .privacy import models as _privacy  # noqa: F401
    from .results import models as _results  # noqa: F401
    from .retention import models as _retention  # noqa: F401
    from .storage import models as _storage  # noqa: F401
    from .visits import models as _visits  # noqa: F401


def _register_blueprints(app: Flask) -> None:
    """Register each domain's blueprint (importing a domain package imports its view modules)."""
    for name in DOMAINS:
        app.register_blueprint(importlib.import_module(f"{__name__}.{name}").bp)


def _register_cli(app: Flask) -> None:
    from .auth.cli import users_cli
    from .backup.cli import backup_command, backup_key_command, restore_command
    from .demo.cli import demo_cli
    from .geo.cli import geo_cli
    from .households.cli import households_cli
    from .jobs.cli import worker_command
    from .policy.cli import policy_cli
    from .privacy.cli import database_cli, retention_cli
    from .storage.cli import storage_cli

    for command in (users_cli, backup_command, restore_command, backup_key_command, demo_cli, geo_cli, households_cli,
                    worker_command, policy_cli, retention_cli, database_cli, storage_cli):
        app.cli.add_command(command)


def _configure_logging(app: Flask) -> None:
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        # WeasyPrint reports every layout step of every page at INFO: keep its warnings only.
        logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
