"""Replaying a queued action: the phone posts the real form again, with the header ``X-Offline-Sync``, and gets
back one JSON result instead of a page: accepted, duplicate, refused (with the reason), conflict (with what
changed) or signin (the session ended: the action stays queued until the agent signs in again).

The form's view does the work exactly as online (its roles, scope, CSRF check and idempotency by
``submission_key``); these hooks only classify its answer. A deactivated agent's actions are refused before
any view runs, so nothing is written.
"""

from __future__ import annotations

import html
import re

from flask import g, jsonify, request, session
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from ..audit import services as audit
from ..auth.models import User
from ..core.repeats import was_repeated
from ..extensions import db
from ..households.models import Household
from .blueprint import bp

HEADER = "X-Offline-Sync"
#: A hidden field of an offline form: the version of the household the agent saw when queuing the action.
HOUSEHOLD_VERSION = "offline_household_version"

_ERROR_TEXT = re.compile(
    r'<(?:p|small)[^>]*class="(?:flash flash-error|error(?: field-message)?)"[^>]*>(.*?)</(?:p|small)>', re.S)
_TAGS = re.compile(r"<[^>]+>")


def _syncing() -> bool:
    """A replayed action (POST), or the fresh token asked for before sending (GET)."""
    return HEADER in request.headers


def _result(result: str, status: int = 200, **extra):
    response = jsonify({"result": result, **extra})
    response.status_code = status
    return response


def _session_user() -> User | None:
    """The user the session cookie names, active or not (flask-login only loads active ones)."""
    session_id = session.get("_user_id") or ""
    user_id = session_id.split(":", 1)[0]
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


def _duplicate(key: str) -> bool:
    """True when an action with this client key was already written (in any table that keeps the key)."""
    for mapper in db.Model.registry.mappers:
        column = mapper.columns.get("submission_key")
        if column is None:
            continue
        found = db.session.scalar(select(column).where(or_(column == key, column.like(f"{key}-%"))).limit(1))
        if found is not None:
            return True
    return False


def _account_refusal():
    """The answer when no one is signed in: refused for a deactivated account, else sign in again."""
    user = _session_user()
    if user is not None and not user.active:
        audit.record("offline.sync_refused", user=user, outcome="denied", details={"reason": "deactivated"})
        db.session.commit()
        return _result("refused", 403, reason=_("Your account has been deactivated: this action was not "
                                                "saved. Tell your office what you recorded."))
    return _result("signin", 401, reason=_("Your session has ended. Sign in again to send what is waiting."))


@bp.before_app_request
def _before_sync():
    if not _syncing():
        return None
    g.offline_sync = True
    if not current_user.is_authenticated:
        return _account_refusal()
    if request.method != "POST":
        return None
    key = request.form.get("submission_key") or ""
    g.offline_duplicate = bool(key) and _duplicate(key)
    version = request.form.get(HOUSEHOLD_VERSION, "")
    household_id = request.form.get("offline_household_id", type=int)
    if version.isdigit() and household_id and not g.offline_duplicate:
        household = db.session.get(Household, household_id)
        if household is not None and household.version != int(version):
            return _result("conflict", 200, reason=_("The office changed this household after you opened your "
                                                     "list. Check what changed, then send again or drop it."),
                           now={"head_name": household.head_name, "address": household.address or "",
                                "phone": household.phone or ""},
                           version=household.version)
    return None


def _reasons(body: str) -> str:
    texts = [html.unescape(_TAGS.sub("", match)).strip() for match in _ERROR_TEXT.findall(body)]
    return " ".join(t for t in texts if t)


@bp.after_app_request
def _after_sync(response):
    if not _syncing() or response.mimetype == "application/json":
        return response
    if not current_user.is_authenticated:  # refused before our hook ran (the CSRF check of an ended session)
        return _account_refusal()
    if request.method != "POST":
        return response
    # The phone shows each result itself: no pile of messages on the next page. A form that answers a refusal
    # with an error message and a redirect (the QR check-in) is refused all the same.
    errors = [str(text) for category, text in session.pop("_flashes", []) if category == "error"]
    status = response.status_code
    if status < 400 and errors:
        return _result("refused", reason=" ".join(errors))
    if status < 400:
        return _result("duplicate" if g.get("offline_duplicate") or was_repeated() else "accepted")
    body = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
    reason = _reasons(body)
    if status == 409:
        return _result("conflict", reason=reason or _("Someone recorded this after you. Reload to see it."))
    if status == 400:
        reason = _("The form was refused by the server's security check; send it again.")
    elif status == 403:
        reason = _("You may not do this any more.")
    elif status == 404:
        reason = _("This is no longer in your work (moved or removed).")
    elif status == 429 or status >= 500:
        return _result("retry", reason=_("The server could not take it now; it will be sent again."))
    return _result("refused", reason=reason or _("The server refused this action."))


@bp.after_app_request
def _clear_at_logout(response):
    """Signing out clears what the browser kept of the portal: the day's pages, the queue, the worker."""
    if request.endpoint == "auth.logout" and response.status_code < 400:
        response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response
