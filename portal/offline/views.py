"""The offline app's pages: the service worker and manifest (at the root), the icons, the day's list of pages, a
fresh CSRF token for sending, and the phone's page of what it holds and what waits to be sent."""

from __future__ import annotations

import os
import time

from flask import current_app, jsonify, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from ..auth.roles import AGENTS, EVERYONE, roles_required
from ..auth.scope import current_scope
from ..core.rendering import render_page
from ..i18n.formatting import local_today
from . import day, icons
from .blueprint import bp


@bp.get("/sw.js")
def service_worker():
    """The service worker, from the portal's own origin with the whole portal as its scope (never stored by
    caches, like every page: the browser fetches it again to look for a newer version)."""
    with open(os.path.join(current_app.static_folder, "js", "sw.js"), "rb") as source:
        response = current_app.response_class(source.read(), mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/manifest.webmanifest")
def manifest():
    """What makes the agent's work installable on a phone's home screen."""
    body = {
        "name": _("BHXH outreach: my work"), "short_name": _("My work"), "lang": "vi",
        "start_url": url_for("visits.my_work"), "scope": "/", "display": "standalone",
        "background_color": "#ffffff", "theme_color": "#1d5ca8",
        "icons": [{"src": url_for("offline.icon", size=size), "sizes": f"{size}x{size}", "type": "image/png",
                   "purpose": "any"} for size in icons.SIZES],
    }
    response = jsonify(body)
    response.mimetype = "application/manifest+json"
    return response


@bp.get("/offline/icon-<int:size>.png")
def icon(size: int):
    """The app's icon in one of the manifest's sizes."""
    if size not in icons.SIZES:
        return _("No icon of this size."), 404
    response = current_app.response_class(icons.png(size), mimetype="image/png")
    return response


@bp.get("/offline")
@roles_required(AGENTS)
def index():
    """The phone's page: when it last synced, what it holds, what waits to be sent and what came back (filled
    in on the phone by offline.js, so that it works without signal)."""
    return render_page("offline/index.html", {})


@bp.get("/offline/day")
@roles_required(AGENTS)
def day_pages():
    """The pages of the signed-in agent's day (the phone fetches and keeps them), until when they may be kept
    (the session's absolute end) and the calculator's parameters in force today."""
    scope = current_scope()
    lifetime = current_app.config["PERMANENT_SESSION_LIFETIME"].total_seconds()
    urls, aliases = day.pages(scope.agent_id)
    return jsonify({
        "user": current_user.id, "pages": urls, "aliases": aliases,
        "expires_at": int(session.get("login_at", time.time()) + lifetime) * 1000,
        "parameters": day.calculator_parameters(local_today()), "on": local_today().isoformat(),
        "calc_messages": day.calculator_messages(),
    })


@bp.get("/offline/token")
@roles_required(EVERYONE)
def token():
    """A fresh CSRF token for sending queued actions (the token in a page kept since morning may be stale)."""
    return jsonify({"csrf_token": generate_csrf(), "user": current_user.id})
