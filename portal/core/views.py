"""Home page, health check and language switch."""

from __future__ import annotations

from flask import current_app, jsonify, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..auth.roles import ROLES, all_roles
from ..extensions import db
from . import bp, nav
from .rendering import render_page
from .urls import safe_next_url

nav.register("core.home", _l("Home"), all_roles(), order=0)


@bp.get("/")
@login_required
def home():
    """The signed-in user's start page."""
    entries = [item for item in nav.items_for(current_user.role) if item.endpoint != "core.home"]
    context = {
        "role_label": ROLES[current_user.role].label,
        "shortcuts": [{"url": url_for(i.endpoint), "label": str(i.label)} for i in entries],
        **_dashboard(),
    }
    return render_page("core/home.html", context)


def _dashboard() -> dict:
    """What needs attention in the user's area (the panels belong to the reports)."""
    from ..reports.home import dashboard

    return dashboard()


@bp.get("/healthz")
def healthz():
    """200 when the database answers, 503 when it does not."""
    try:
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
    except SQLAlchemyError:
        db.session.rollback()
        current_app.logger.warning("Health check: database unreachable")
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


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

