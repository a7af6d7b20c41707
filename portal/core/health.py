"""Liveness and readiness: whether this process answers, and whether it can serve (database at the code's
schema revision, Redis when configured, the file store)."""

from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from ..storage import StorageError, storage

log = logging.getLogger(__name__)


def _database() -> str:
    try:
        revision = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError:
        db.session.rollback()
        try:
            db.session.execute(text("SELECT 1"))
        except SQLAlchemyError:
            db.session.rollback()
            return "unreachable"
        db.session.rollback()
        return "not migrated"
    db.session.rollback()
    return "ok" if revision == _head() else "not migrated"


def _head() -> str | None:
    app = current_app._get_current_object()
    head = app.extensions.get("portal_schema_head")
    if head is None:
        from alembic.script import ScriptDirectory

        config = app.extensions["migrate"].migrate.get_config()
        head = app.extensions["portal_schema_head"] = ScriptDirectory.from_config(config).get_current_head()
    return head


def _redis() -> str | None:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    try:
        from redis import Redis
        from redis.exceptions import RedisError
    except ImportError:
        return "unreachable"
    try:
        Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2).ping()
    except (RedisError, OSError):
        return "unreachable"
    return "ok"


def _storage() -> str:
    try:
        storage().check()
    except (StorageError, SQLAlchemyError, OSError) as exc:
        log.warning("Readiness: file store unusable: %s", exc)
        return "unreachable"
    return "ok"


def readiness() -> dict[str, str]:
    """Each dependency's state ("ok", "unreachable", "not migrated"); Redis only when configured."""
    checks = {"database": _database()}
    redis = _redis()
    if redis is not None:
        checks["redis"] = redis
    checks["storage"] = _storage()
    return checks
