"""Error pages that say what happened in plain words and never show internals."""

from __future__ import annotations

import logging
import traceback

from flask import Flask, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from ..audit import services as audit
from ..audit.services import mask_personal
from ..database import begin_write
from ..extensions import db
from .rendering import partial_request, render_page

log = logging.getLogger(__name__)


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Bad request"), _("The request could not be understood. Please go back and try again.")),
        403: (_("Not allowed"), _("Your role does not allow this action.")),
        404: (_("Not found"), _("The page or record does not exist, or it is outside your area.")),
        405: (_("Not allowed"), _("This action cannot be done this way.")),
        409: (_("Changed by someone else"), _("Someone saved this record after you opened it. Reload and try again.")),
        413: (_("File too large"), _("The file is larger than the portal accepts.")),
        422: (_("Please check the form"), _("Some of the information entered is not valid.")),
        429: (_("Too many attempts"), _("Please wait a moment before trying again.")),
        500: (_("Something went wrong"), _("The error has been logged. Please try again in a moment.")),
        503: (_("Temporarily unavailable"), _("The portal cannot reach its database. Please try again soon.")),
    }


def render_error(status: int, detail: str | None = None):
    """Render the error page (or its message block for htmx requests)."""
    title, message = _messages().get(status, (_("Error"), _("Something went wrong")))
    inline = partial_request()
    context = {"status": status, "title": title, "message": detail or message, "inline": inline}
    # htmx fragment requests get only the message, which app.js shows in the page's message area.
    return render_page("errors/error.html", context, status=status, fragment="error_message")


def _record_denial() -> None:
    """Audit a permission denial (in its own transaction, whatever the view had begun)."""
    from flask_login import current_user

    try:
        db.session.rollback()
        begin_write()
        audit.record("authz.denied", outcome="denied",
                     details={"method": request.method, "endpoint": request.endpoint or "", "path": request.path},
                     user=current_user if current_user.is_authenticated else None)
        db.session.commit()
    except Exception:  # noqa: BLE001 - never turn a 403 into a 500
        db.session.rollback()
        log.exception("Could not audit a permission denial")


def _handle_http(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
    if error.code == 403:
        _record_denial()
    detail = None
    if error.code == 409 and error.description and not error.description.startswith("The request could not"):
        detail = error.description
    return render_error(error.code, detail)


def _handle_csrf(error: CSRFError):
    return render_error(
        400, _("Your session expired or the form is out of date. Reload the page and try again.")
    )


def _handle_500(error: Exception):
    db.session.rollback()
    original = getattr(error, "original_exception", None) or error
    log.error("Unhandled error on %s %s\n%s", request.method, request.path, masked_traceback(original))
    return render_error(500)


def masked_traceback(error: BaseException) -> str:
    """The error's traceback with ID numbers and phones masked: a database error quotes the values it refused
    (PostgreSQL's "Key (cccd)=(…) already exists"), and the server log must not hold them."""
    return mask_personal("".join(traceback.format_exception(error)).rstrip())


def init_app(app: Flask) -> None:
    """Register the handlers."""
    app.register_error_handler(CSRFError, _handle_csrf)
    app.register_error_handler(HTTPException, _handle_http)
    app.register_error_handler(InternalServerError, _handle_500)
