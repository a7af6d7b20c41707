"""The agent's own work ("Việc của tôi"), made for a phone: lists by event and hamlet, one tap per outcome."""

from __future__ import annotations

import secrets
from itertools import groupby

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectChoice

from ..auth.roles import AGENT, AGENTS, OFFICERS_AND_AGENTS, roles_required
from ..auth.scope import current_scope, get_or_404
from ..core import versions
from ..core.rendering import partial_request, render_page
from ..core.urls import safe_next_url
from ..events.models import Event
from ..extensions import db
from ..households.models import Household
from ..i18n.formatting import local_today
from . import queries
from .blueprint import bp
from .forms import OutcomeForm
from .labels import OUTCOME_LABELS
from .models import VISITED, VisitAssignment
from .services import Conflict, OutcomeError, record_outcome

_ERRORS = {
    "decline_reason": _l("Choose why the household declined."),
    "expected_attendees": _l("People coming must be between 1 and 20."),
    "outcome": _l("Choose an outcome."),
}


#: What the agent's list shows: the households still to visit (default), those visited, or all.
SHOWS = ("todo", "done", "all")


#: A quick outcome changes the counts on the filter buttons too (the progress line comes with the row).
WORK_FILTER = {"work_filter": "work-filter"}


@bp.get("/my")
@roles_required(AGENTS)
def my_work():
    """The signed-in agent's work for one event at a time (the soonest by default, the others a tap away):
    the households still to visit, with today's appointments first, grouped by hamlet in walking order."""
    scope = current_scope()
    rows = queries.agent_work(scope.agent_id) if scope.agent_id else []
    events = []
    for event, items in groupby(rows, key=lambda r: r[1]):
        items = list(items)
        events.append({"event": event, "rows": items, **_counts([r[0].outcome for r in items])})
    chosen = next((e for e in events if e["event"].id == request.args.get("event", type=int)),
                  events[0] if events else None)
    show = request.args.get("show") if request.args.get("show") in SHOWS else "todo"
    today = local_today()
    due_today, hamlets = [], []
    if chosen:
        shown = [r for r in chosen["rows"] if show == "all" or (r[0].outcome in VISITED) == (show == "done")]
        due_today = [r for r in shown if show != "done" and r[0].follow_up_on and r[0].follow_up_on <= today]
        rest = [r for r in shown if r not in due_today]
        hamlets = [(name, list(group)) for name, group in groupby(rest, key=lambda r: r[5])]
        if due_today:
            hamlets.insert(0, (_("Appointments for today"), due_today))
    here = url_for("visits.my_work", event=chosen["event"].id if chosen else None, show=show)
    context = {"events": events, "chosen": chosen, "show": show, "hamlets": hamlets,
               "quick": ("consulted", "not_home", "invited"), "here": here,
               "submission_key": secrets.token_urlsafe(12)}
    return render_page("visits/my.html", context)


def _assignment(assignment_id: int) -> tuple[VisitAssignment, Event]:
    assignment = get_or_404(VisitAssignment, assignment_id)
    return assignment, queries.event_of_list(assignment.visit_list_id)


@bp.route("/my/assignments/<int:assignment_id>", methods=["GET", "POST"])
@roles_required(OFFICERS_AND_AGENTS)
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
            if partial_request() and request.form.get("quick"):
                context = _row_context(assignment, event, household)
                return render_page("visits/my.html", context, fragment="row",
                                   oob=WORK_FILTER if context["oob"] else None)
            flash(_("Recorded: %(outcome)s.", outcome=OUTCOME_LABELS[form.outcome.data]), "success")
            back = safe_next_url(request.args.get("next"))
            target = (back if back and back.startswith("/my") else url_for("visits.my_work", event=event.id)) \
                if current_user.role == AGENT else url_for("visits.supervise", event_id=event.id)
            return redirect(target + f"#a{assignment.id}", code=303)
    elif request.method == "POST":
        status = 422
        error = _("Please check the form.")
    context = {"assignment": assignment, "event": event, "household": household, "members": members,
               "form": form, "error": error,
               "back": safe_next_url(request.args.get("next"))}
    return render_page("visits/outcome.html", context, status=status)


def _counts(outcomes: list[str | None]) -> dict:
    """An agent's progress on one event: households in the list, recorded, visited (met at home, as the
    officer's progress table and the funnel count them)."""
    return {"total": len(outcomes), "done": sum(1 for o in outcomes if o),
            "visited": sum(1 for o in outcomes if o in VISITED)}


def _row_context(assignment, event, household) -> dict:
    """The row after a quick outcome, with the event's progress line updated out of band."""
    outcomes = queries.agent_outcomes(event.id, assignment.agent_id)
    return {"row_item": (assignment, event, household.head_name, household.address, household.phone, "",
                         household.version),
            "quick": ("consulted", "not_home", "invited"),
            "submission_key": secrets.token_urlsafe(12), "events": [], "here": safe_next_url(
                request.form.get("next")) or url_for("visits.my_work", event=event.id),
            "item": {"event": event, **_counts(outcomes)}, "oob": bool(assignment.agent_id),
            "show": _shown(request.form.get("next"))}


def _shown(here: str | None) -> str:
    """Which households the page the agent came from shows (its ``show`` argument)."""
    from urllib.parse import parse_qs, urlsplit

    show = parse_qs(urlsplit(here or "").query).get("show", ["todo"])[0]
    return show if show in SHOWS else "todo"
