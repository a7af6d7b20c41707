"""The agent's own work ("Việc của tôi"), made for a phone: lists by event and hamlet, one tap per outcome."""

from __future__ import annotations

import secrets
from itertools import groupby

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectChoice

from ..auth.roles import ADMIN, AGENT, LOCAL_OFFICER, PROVINCE_OFFICER, roles_required
from ..auth.scope import current_scope, get_or_404
from ..core import nav, versions
from ..core.rendering import render_page
from ..events.models import Event
from ..extensions import db
from ..households.models import Household
from . import bp, queries
from .forms import DECLINE_LABELS, OUTCOME_LABELS, OutcomeForm
from .models import VISITED, VisitAssignment
from .services import Conflict, OutcomeError, record_outcome

nav.register("visits.my_work", _l("My work"), {AGENT}, order=5)

_ERRORS = {
    "decline_reason": _l("Choose why the household declined."),
    "expected_attendees": _l("People coming must be between 1 and 20."),
    "outcome": _l("Choose an outcome."),
}


@bp.get("/my")
@roles_required(AGENT)
def my_work():
    """Today's and upcoming visit lists of the signed-in agent, grouped by event and hamlet."""
    scope = current_scope()
    rows = queries.agent_work(scope.agent_id) if scope.agent_id else []
    events = []
    for event, items in groupby(rows, key=lambda r: r[1]):
        items = list(items)
        hamlets = [(name, list(group)) for name, group in groupby(items, key=lambda r: r[5])]
        events.append({"event": event, "hamlets": hamlets, **_counts([r[0].outcome for r in items])})
    context = {"events": events, "outcome_labels": _labels(), "quick": ("consulted", "not_home", "invited"),
               "submission_key": secrets.token_urlsafe(12)}
    return render_page("visits/my.html", context)


def _assignment(assignment_id: int) -> tuple[VisitAssignment, Event]:
    assignment = get_or_404(VisitAssignment, assignment_id)
    return assignment, queries.event_of_list(assignment.visit_list_id)


@bp.route("/my/assignments/<int:assignment_id>", methods=["GET", "POST"])
@roles_required(AGENT, ADMIN, PROVINCE_OFFICER, LOCAL_OFFICER)
def outcome(assignment_id: int):
    """Record what the visit found (one tap from the list, or this full form with note and follow-up)."""
    assignment, event = _assignment(assignment_id)
    household = db.session.get(Household, assignment.household_id)
    members = queries.members(household.id)
    form = OutcomeForm()
    form.person_id.choices = [SelectChoice(0, _("The whole household"))] + [
        SelectChoice(m.id, m.full_name) for m in members]
    if request.method == "GET":
        form.version.data = str(assignment.version)
        form.submission_key.data = secrets.token_urlsafe(12)
        form.outcome.data = assignment.outcome or "consulted"
    status = 200
    error = None
    valid = form.validate_on_submit()
    if valid and versions.missing(form.version.data, show=False):
        status, error = 422, versions.message()
    elif valid:
        person_id = form.person_id.data or None
        if person_id and person_id not in {m.id for m in members}:
            person_id = None
        try:
            record_outcome(
                assignment, outcome=form.outcome.data, user=current_user, event_starts_at=event.starts_at,
                person_id=person_id, decline_reason=form.decline_reason.data or None,
                expected_attendees=form.expected_attendees.data, note=form.note.data,
                follow_up_on=form.follow_up_on.data, submission_key=form.submission_key.data or None,
                expected_version=int(form.version.data),
            )
            db.session.commit()
        except OutcomeError as exc:
            db.session.rollback()
            error, status = str(_ERRORS.get(exc.code, _ERRORS["outcome"])), 422
        except Conflict:
            db.session.rollback()
            error, status = _("Someone recorded this household after you opened it. Reload to see it."), 409
        else:
            if request.headers.get("HX-Request") == "true" and request.form.get("quick"):
                return render_page("visits/my.html", _row_context(assignment, event, household), block="row")
            flash(_("Recorded: %(outcome)s.", outcome=OUTCOME_LABELS[form.outcome.data]), "success")
            target = url_for("visits.my_work") if current_user.role == AGENT else url_for(
                "visits.supervise", event_id=event.id)
            return redirect(target + f"#a{assignment.id}", code=303)
    elif request.method == "POST":
        status = 422
        error = _("Please check the form.")
    context = {"assignment": assignment, "event": event, "household": household, "members": members,
               "form": form, "error": error, "decline_labels": DECLINE_LABELS}
    return render_page("visits/outcome.html", context, status=status)


def _labels() -> dict[str, str]:
    """The outcome labels translated once for the page (a long list shows hundreds of them)."""
    return {key: str(label) for key, label in OUTCOME_LABELS.items()}


def _counts(outcomes: list[str | None]) -> dict:
    """An agent's progress on one event: households in the list, recorded, visited (met at home, as the
    officer's progress table and the funnel count them)."""
    return {"total": len(outcomes), "done": sum(1 for o in outcomes if o),
            "visited": sum(1 for o in outcomes if o in VISITED)}


def _row_context(assignment, event, household) -> dict:
    """The row after a quick outcome, with the event's progress line updated out of band."""
    outcomes = queries.agent_outcomes(event.id, assignment.agent_id)
    return {"row_item": (assignment, event, household.head_name, household.address, household.phone, ""),
            "outcome_labels": _labels(), "quick": ("consulted", "not_home", "invited"),
            "submission_key": secrets.token_urlsafe(12), "events": [],
            "item": {"event": event, **_counts(outcomes)}, "oob": bool(assignment.agent_id)}
