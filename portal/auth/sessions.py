"""Session lifetime: server-side invalidation, inactivity timeout and absolute lifetime."""

from __future__ import annotations

import time

from flask import Flask, current_app, session
from flask_login import current_user, logout_user

from ..extensions import login_manager
from .models import User


@login_manager.user_loader
def _load_user(session_id: str) -> User | None:
    return User.from_session_id(session_id)


def start(user: User) -> None:
    """Record the start of a login in the session."""
    now = int(time.time())
    session.permanent = True
    session["login_at"] = now
    session["seen_at"] = now


def _enforce_timeouts() -> None:
    if not current_user.is_authenticated:
        return
    now = int(time.time())
    idle = current_app.config["SESSION_IDLE_TIMEOUT"].total_seconds()
    lifetime = current_app.config["PERMANENT_SESSION_LIFETIME"].total_seconds()
    login_at = session.get("login_at", 0)
    seen_at = session.get("seen_at", 0)
    if now - seen_at > idle or now - login_at > lifetime:
        logout_user()
        session.clear()
        return
    # Write the cookie again at most once a minute, not on every request.
    if now - seen_at >= 60:
        session["seen_at"] = now


def init_app(app: Flask) -> None:
    """Register the timeout check."""
    app.before_request(_enforce_timeouts)
