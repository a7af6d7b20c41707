"""Home page, liveness and readiness checks, and language switch."""

from __future__ import annotations

from flask import current_app, jsonify, redirect, request, session, url_for
from flask_login import current_user, login_required

from ..auth.menu import entries_for
from ..auth.roles import ROLES
from ..core.health import readiness
from ..core.rendering import render_page
from ..core.urls import safe_next_url
from ..extensions import db
from ..reports.home import dashboard
from .blueprint import bp


@bp.get("/")
@login_required
def home():
    """The signed-in user's start page."""
    entries = [entry for entry in entries_for(current_user.role) if entry.endpoint != "core.home"]
    context = {
        "role_label": ROLES[current_user.role].label,
        "shortcuts": [{"url": url_for(i.endpoint), "label": str(i.label)} for i in entries],
        **_dashboard(),
    }
    return render_page("core/home.html", context)


def _dashboard() -> dict:
    """What needs attention in the user's area (the panels belong to the reports)."""
    return dashboard()


@bp.get("/healthz")
def healthz():
    """Liveness: 200 while this process answers requests (it touches nothing else, so a database outage does
    not get every host restarted; see /readyz)."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    """Readiness: 200 when the database (at this code's schema), Redis (when configured) and the file store
    answer, 503 naming what does not; the balancer sends requests only to ready hosts."""
    checks = readiness()
    ready = all(state == "ok" for state in checks.values())
    if not ready:
        current_app.logger.warning("Readiness check failed: %s", checks)
    return jsonify(status="ok" if ready else "error", **checks), 200 if ready else 503


@bp.post("/language")
def set_language():
    """Switch the interface language (kept for the browser session; saved on the account when signed in)."""
    lang = request.form.get("lang", "")
    if lang not in current_app.config["LANGUAGES"]:
        return redirect(safe_next_url(request.form.get("next")) or url_for("core.home"))
    session["lang"] = lang
    if current_user.is_authenticated and current_user.locale != lang:
        current_user.locale = lang
        db.session.commit()
    return redirect(safe_next_url(request.form.get("next")) or url_for("core.home"))

