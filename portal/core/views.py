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
    """What needs attention in the user's area: coming events, events without results, due payments."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import func, select

    from ..auth.scope import scoped
    from ..campaigns.models import Campaign
    from ..events.models import Event
    from ..households.queries import due_query
    from ..i18n.formatting import local_today

    now = datetime.now(UTC)
    today = local_today()
    upcoming = db.session.scalars(scoped(Event).where(Event.starts_at >= now - timedelta(hours=3),
                                                      Event.starts_at < now + timedelta(days=14),
                                                      Event.status != "cancelled")
                                  .order_by(Event.starts_at).limit(8)).all()
    without_results = db.session.scalars(scoped(Event).where(Event.status == "held",
                                                             Event.ends_at < now - timedelta(days=1))
                                         .order_by(Event.starts_at).limit(8)).all()
    campaigns = db.session.scalars(scoped(Campaign).where(Campaign.status == "active")
                                   .order_by(Campaign.starts_on.desc()).limit(3)).all() \
        if current_user.role != "agent" else []
    due = db.session.scalar(select(func.count()).select_from(
        due_query("paid_until", start=today, end=today + timedelta(days=30)).subquery())) or 0
    return {"upcoming": upcoming, "without_results": without_results, "active_campaigns": campaigns,
            "due_count": due}


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

