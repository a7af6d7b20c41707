"""Sign in and sign out."""

from __future__ import annotations

from flask import current_app, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..audit import services as audit
from ..audit.services import client_ip
from ..core.rendering import render_page, see_other
from ..core.urls import safe_next_url
from ..extensions import db
from . import sessions, throttle
from .blueprint import bp
from .forms import LoginForm
from .services import authenticate


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The sign-in page."""
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = safe_next_url(request.args.get("next")) or ""
    status = 200
    if form.validate_on_submit():
        username = form.username.data.strip().lower()
        device = throttle.known_device(request.cookies.get(throttle.DEVICE_COOKIE), username)
        wait = throttle.seconds_to_wait(username, client_ip(), device)
        if wait:
            audit.record("auth.login", username=username, outcome="denied", details={"reason": "throttled"})
            db.session.commit()
            form.password.errors.append(
                _("Too many failed attempts. Please wait %(seconds)d seconds and try again.", seconds=wait)
            )
            return render_page("auth/login.html", {"form": form}, status=429, headers={"Retry-After": str(wait)})
        user = authenticate(username, form.password.data)
        if user is not None:
            throttle.register_success(username, client_ip(), device)
            audit.record("auth.login", user=user)
            lang = session.get("lang")
            session.clear()  # a fresh session on login (no fixation)
            if lang:
                session["lang"] = lang
            login_user(user)
            sessions.start(user)
            db.session.commit()
            response = redirect(safe_next_url(form.next.data) or url_for("core.home"), code=303)
            response.set_cookie(
                throttle.DEVICE_COOKIE,
                throttle.new_device_cookie(username, device),
                max_age=int(throttle.DEVICE_MAX_AGE.total_seconds()),
                httponly=True,
                secure=current_app.config["SESSION_COOKIE_SECURE"],
                samesite="Lax",
            )
            return response
        throttle.register_failure(username, client_ip(), device)
        audit.record("auth.login", username=username, outcome="failure")
        db.session.commit()
        form.password.errors.append(_("Wrong username or password."))
        status = 422
    elif request.method == "POST":
        status = 422
    return render_page("auth/login.html", {"form": form}, status=status)


@bp.post("/logout")
@login_required
def logout():
    """Sign out: the session ends on the server, so a copied cookie no longer works."""
    current_user.end_sessions()
    audit.record("auth.logout", obj=current_user._get_current_object())
    db.session.commit()
    logout_user()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    return see_other("auth.login", _("You have signed out."), "info")
