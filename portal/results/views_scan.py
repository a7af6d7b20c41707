"""Check-in by scanning the invitation's QR code with the phone's camera on the attendance page. The phone
decodes the code (scan.js) and posts what it read; the server finds the invitation and refuses a code that is not
an invitation of this event. Without signal the phone queues the row's check-in instead (offline.js)."""

from __future__ import annotations

import re

from flask import request
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.roles import OFFICERS_AND_AGENTS, roles_required
from ..core.rendering import partial_request, render_page, see_other
from ..core.repeats import repeated
from ..extensions import db
from ..households.models import Household
from . import queries, services
from .blueprint import bp
from .views import LIVE_COUNT, _attendance_context, _event, door_message

#: A printed invitation's QR code holds ``<portal>/checkin/<token>``; a bare token is taken too.
_TOKEN = re.compile(r"(?:^|/checkin/)([A-Za-z0-9_-]{8,64})/?$")


def token_of(code: str) -> str | None:
    """The invitation token in what the camera read, or None when it is no invitation of this portal."""
    match = _TOKEN.search(code.strip())
    return match.group(1) if match else None


def _answer(event, result: str, message: str):
    """The invited list with the scan's result beside the camera (htmx), or a message on the page."""
    refused = result == "refused"
    if partial_request():
        context = _attendance_context(event, scan={"result": result, "message": message})
        return render_page("results/attendance.html", context, fragment="invited", oob=LIVE_COUNT,
                           status=422 if refused else 200)
    return see_other("results.attendance", message, "error" if refused else "success", event_id=event.id)


@bp.post("/events/<int:event_id>/attendance/scan")
@roles_required(OFFICERS_AND_AGENTS)
def check_in_scan(event_id: int):
    """Check in the household whose invitation's QR code was scanned (a second scan changes nothing)."""
    event = _event(event_id)
    code = (request.form.get("code") or "")[:500]
    token = token_of(code)
    invitation = queries.invitation_by_token(token) if token else None
    if invitation is None or invitation.event_id != event.id:
        return _answer(event, "refused", _("This QR code is not an invitation to this event: nobody was checked "
                                           "in. Check the invitation's event and date."))
    household = db.session.get(Household, invitation.household_id)
    try:
        _attendance, new = services.check_in(event, invitation=invitation, user=current_user,
                                             submission_key=request.form.get("submission_key") or None)
    except services.ResultsError as exc:
        return _answer(event, "refused", door_message(exc))
    db.session.commit()
    if not new:
        repeated()
        return _answer(event, "duplicate", _("%(name)s was already checked in: nothing changed.",
                                             name=household.head_name))
    return _answer(event, "checked", _("%(name)s is checked in.", name=household.head_name))
