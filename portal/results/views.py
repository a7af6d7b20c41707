"""Check-in at the event (search, QR code, walk-ins, paper rows), the results page and evidence files."""

from __future__ import annotations

import re
import secrets

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectChoice

from ..auth.roles import EVERYONE, OFFICERS, OFFICERS_AND_AGENTS, READERS, roles_required
from ..auth.scope import current_scope, get_or_404
from ..core.rendering import client_redirect, partial_request, render_page, see_other
from ..core.repeats import repeated
from ..database import begin_write
from ..events.models import Event
from ..events.queries import hamlets_of
from ..extensions import db
from ..households.models import Household
from ..i18n.formatting import format_date
from ..storage import send_stored
from . import clashes, evidence, queries, services, walk_ins
from .blueprint import bp
from .forms import ConfirmForm, EvidenceForm, RowsForm, WalkInForm
from .models import EventResult

#: Where a refused walk-in's reason shows, and what it says.
WALK_IN_ERRORS = {
    "cccd_elsewhere": ("cccd", _l("This CCCD number is held elsewhere: ask the province office.")),
    "checks_wait": ("cccd", ""),  # the message, with the wait, comes with the error
    "cccd_taken": ("cccd", _l("This CCCD number is already recorded for someone shown above: choose them, or "
                              "correct the number.")),
}


#: Why the door is closed, as the attendance and results pages say it.
DOOR_ERRORS = {
    "clashes": _l("Some sign-ups of this event clash with sign-ups that already count: decide on each clash below "
                  "first, so that no enrolment counts twice."),
    "too_early": _l("Check-in opens on the day of the event (%(day)s)."),
    "not_started": _l("Results can be confirmed once the event has started (%(day)s)."),
    "cancelled": _l("This event is cancelled: nothing can be recorded for it."),
    "confirmed": _l("The results of this event are confirmed: a check-in can no longer be undone."),
}


#: What a check-in, an undo or a walk-in changes elsewhere on the attendance page, refreshed by the same answer
#: (block -> the element it fills): the count in the heading, and the invited list's ticks.
LIVE_COUNT = {"live_count": "live-count"}
DOOR = {"live_count": "live-count", "invited": "invited"}


def _event(event_id: int) -> Event:
    return get_or_404(Event, event_id)


def door_message(exc: services.ResultsError) -> str:
    """The sentence for a refused check-in, undo or confirmation."""
    day = exc.params.get("day")
    return str(DOOR_ERRORS[exc.code]) % {"day": format_date(day) if day else ""}


def _refused(event: Event, message: str):
    """Back to the attendance page with the reason (a full navigation for htmx, not a swap)."""
    flash(message, "error")
    return client_redirect(url_for("results.attendance", event_id=event.id))


def _not_started(event: Event) -> str | None:
    """Why the results cannot be confirmed yet, or None."""
    try:
        services.ensure_started(event)
    except services.ResultsError as exc:
        return door_message(exc)
    return None


def _closed(event: Event) -> str | None:
    """Why check-ins are not taken for this event today, or None when the door is open."""
    try:
        services.ensure_event_day(event)
    except services.ResultsError as exc:
        return door_message(exc)
    return None


def _count_context(event: Event) -> dict:
    return {"totals": queries.totals(event.id)}


def _who(person, hamlets: dict[int, str]) -> str:
    """A known person as offered to a walk-in: name, birth year and hamlet, so that namesakes can be told apart."""
    year = f" ({person.date_of_birth.year})" if person.date_of_birth else ""
    hamlet = hamlets.get(person.hamlet_id)
    return person.full_name + year + (f" · {hamlet}" if hamlet else "")


def _walk_in_form(event: Event, form: WalkInForm | None, matches: list) -> WalkInForm:
    """The walk-in form: a new one in the event's hamlet, or the one sent, with the known people it may be."""
    if form is None:
        form = WalkInForm(formdata=None)
        form.hamlet_id.data = event.hamlet_id
    hamlets = {h.id: h.name for h in hamlets_of(event.commune_id)}
    form.hamlet_id.choices = [SelectChoice(key, name) for key, name in hamlets.items()]
    form.person_id.choices = [SelectChoice(str(m.id), _who(m, hamlets)) for m in matches]
    if matches:
        form.person_id.choices.append(SelectChoice("new", _("Someone new")))
    form.asked.data = "1" if matches else ""
    if not form.submission_key.data:
        form.submission_key.data = secrets.token_urlsafe(12)
    return form


def _attendance_context(event: Event, **extra) -> dict:
    query = (request.args.get("q") or "").strip()
    walk_in = _walk_in_form(event, extra.pop("walk_in_form", None), extra.pop("matches", []))
    context = {
        "event": event, "rows": queries.invited_rows(event.id, query), "q": query, "walk_in_form": walk_in,
        "rows_form": RowsForm(formdata=None), "walk_ins": queries.walk_ins(event.id), "rows_log": None,
        "closed": _closed(event), **_count_context(event),
    }
    context["can_check_in"] = current_user.role in OFFICERS_AND_AGENTS and not context["closed"]
    context["can_undo"] = context["can_check_in"] and not queries.confirmed(event.id)
    if context["can_check_in"] and not partial_request():
        # The scanner's copy of the event's invitations (QR token -> invitation), to refuse a foreign code and
        # find the row of a scanned one on the phone without signal.
        context["scan_codes"] = queries.invitation_tokens(event.id)
    context.update(extra)
    return context


def _row_context(event: Event, invitation_id: int) -> dict:
    """What one invited row of the attendance page needs (the answer to a check-in), with the live count."""
    (row,) = queries.invited_rows(event.id, invitation_id=invitation_id)
    can_check_in = current_user.role in OFFICERS_AND_AGENTS and not _closed(event)
    return {"event": event, "row": row, "can_check_in": can_check_in,
            "can_undo": can_check_in and not queries.confirmed(event.id), **_count_context(event)}


@bp.get("/events/<int:event_id>/attendance")
@roles_required(EVERYONE)
def attendance(event_id: int):
    """The invited with search and one-tap check-in, walk-ins, paper rows, and the live count."""
    event = _event(event_id)
    return render_page("results/attendance.html", _attendance_context(event), fragment="invited")


@bp.get("/events/<int:event_id>/attendance/count")
@roles_required(EVERYONE)
def attendance_count(event_id: int):
    """The live count alone (polled by the attendance page)."""
    event = _event(event_id)
    return render_page("results/attendance.html", _attendance_context(event), fragment="live_count")


@bp.post("/events/<int:event_id>/attendance/check-in")
@roles_required(OFFICERS_AND_AGENTS)
def check_in(event_id: int):
    """Check in one invited household (one tap)."""
    event = _event(event_id)
    invitation = queries.invitation(event.id, request.form.get("invitation_id", type=int))
    if invitation is None:
        abort(404)
    try:
        _attendance, new = services.check_in(event, invitation=invitation, user=current_user,
                                             submission_key=request.form.get("submission_key") or None)
    except services.ResultsError as exc:
        return _refused(event, door_message(exc))
    db.session.commit()
    if not new:
        repeated()
    if partial_request():  # the tapped row alone, and the live count
        return render_page("results/attendance.html", _row_context(event, invitation.id), fragment="invited_row",
                           oob=LIVE_COUNT)
    return see_other("results.attendance", _("Checked in.") if new else _("Already checked in."),
                     event_id=event.id)


@bp.post("/events/<int:event_id>/attendance/<int:attendance_id>/undo")
@roles_required(OFFICERS_AND_AGENTS)
def undo_check_in(event_id: int, attendance_id: int):
    """Take back a check-in made by mistake (audited; not once the results are confirmed)."""
    event = _event(event_id)
    attendance = queries.attendance(event.id, attendance_id)
    if attendance is None:
        abort(404)
    try:
        services.undo_check_in(event, attendance, user=current_user)
    except services.ResultsError as exc:
        return _refused(event, door_message(exc))
    db.session.commit()
    flash(_("The check-in was undone."), "success")
    if partial_request():
        return render_page("results/attendance.html", _attendance_context(event),
                           fragment="walk_in" if request.form.get("from") == "walk_in" else "invited",
                           oob=LIVE_COUNT)
    return see_other("results.attendance", event_id=event.id)


@bp.route("/checkin/<token>", methods=["GET", "POST"])
@roles_required(OFFICERS_AND_AGENTS)
def check_in_by_code(token: str):
    """The page a QR code on an invitation opens: who it is, and one button to check them in."""
    invitation = queries.invitation_by_token(token)
    if invitation is None:
        abort(404)
    event = _event(invitation.event_id)
    household = db.session.get(Household, invitation.household_id)
    done = queries.attendance_of(invitation.id)
    if request.method == "POST":
        from flask_wtf.csrf import validate_csrf

        validate_csrf(request.form.get("csrf_token"))
        try:
            services.check_in(event, invitation=invitation, user=current_user)
        except services.ResultsError as exc:
            flash(door_message(exc), "error")
        else:
            db.session.commit()
            flash(_("%(name)s is checked in.", name=household.head_name), "success")
        return see_other("results.check_in_by_code", token=token)
    context = {"event": event, "household": household, "invitation": invitation, "done": done,
               "closed": _closed(event), **_count_context(event)}
    return render_page("results/checkin.html", context)


@bp.post("/events/<int:event_id>/attendance/walk-in")
@roles_required(OFFICERS_AND_AGENTS)
def walk_in(event_id: int):
    """Add someone who came without an invitation, matched against people already known."""
    event = _event(event_id)
    if closed := _closed(event):
        return _refused(event, closed)
    form = WalkInForm()
    hamlets = {h.id: h for h in hamlets_of(event.commune_id)}
    form.hamlet_id.choices = [SelectChoice(h.id, h.name) for h in hamlets.values()]
    status, matches = 422, []
    if form.validate_on_submit():
        try:
            done = walk_ins.walk_in(event, name=form.name.data, phone=form.phone.data or None,
                                    cccd=form.cccd.data or None, hamlet=hamlets[form.hamlet_id.data],
                                    choice=form.person_id.data, user=current_user, scope=current_scope(),
                                    submission_key=form.submission_key.data or None)
        except services.ResultsError as exc:
            db.session.commit()  # the audit entry of a number held elsewhere
            field, message = WALK_IN_ERRORS[exc.code]
            form[field].errors.append(str(exc.params.get("message") or message))
            matches = exc.params.get("matches", [])
        else:
            if done.attendance is not None:
                db.session.commit()
                flash(_("%(name)s was added as a walk-in.", name=form.name.data) if done.new
                      else _("Already checked in."), "success")
                if partial_request():
                    return render_page("results/attendance.html", _attendance_context(event), fragment="walk_in",
                                       oob=DOOR)
                return see_other("results.attendance", event_id=event.id)
            matches = done.matches
            if form.asked.data:
                form.person_id.errors.append(_("Choose the person, or “Someone new”."))
            else:
                status = 200  # the known people it may be are offered first
    context = _attendance_context(event, walk_in_form=form, matches=matches)
    return render_page("results/attendance.html", context, fragment="walk_in", status=status, oob=LIVE_COUNT)


@bp.post("/events/<int:event_id>/attendance/rows")
@roles_required(OFFICERS_AND_AGENTS)
def attendance_rows(event_id: int):
    """Tick attendance from the paper sheet by row numbers ("1 2 5-9 12")."""
    event = _event(event_id)
    if closed := _closed(event):
        return _refused(event, closed)
    form = RowsForm()
    status = 200
    log = None
    if form.validate_on_submit():
        rows: list[int] = []
        bad: list[str] = []
        for token in re.split(r"[\s,;]+", form.rows.data.strip()):
            if not token:
                continue
            match = re.fullmatch(r"(\d+)(?:-(\d+))?", token)
            if not match:
                bad.append(token)
                continue
            low, high = int(match[1]), int(match[2] or match[1])
            if high < low or high - low > 2000:
                bad.append(token)
                continue
            rows.extend(range(low, high + 1))
        done, unknown = services.check_in_rows(event, rows, user=current_user)
        db.session.commit()
        log = {"done": done, "unknown": unknown, "bad": bad}
        if unknown or bad:
            status = 422
    else:
        status = 422
    context = _attendance_context(event, rows_log=log)
    return render_page("results/attendance.html", context, fragment="paper_rows", status=status, oob=DOOR)


@bp.route("/events/<int:event_id>/results", methods=["GET", "POST"])
@roles_required(READERS)
def results(event_id: int):
    """Totals of attendance and sign-ups against what was expected; confirmation; evidence."""
    event = _event(event_id)
    result = db.session.get(EventResult, event.id)
    form = ConfirmForm()
    status = 200
    if request.method == "POST":
        if current_user.role not in OFFICERS:
            abort(403)
        if form.validate_on_submit():
            try:
                services.confirm_results(event, current_user, notes=form.notes.data)
            except services.ResultsError as exc:
                return see_other("results.results", door_message(exc), "error", event_id=event.id)
            db.session.commit()
            return see_other("results.results", _("The results are confirmed and now count in the reports."),
                             event_id=event.id)
        status = 422
    context = {"event": event, "result": result, "form": form, "evidence": queries.evidence_of(event.id),
               "evidence_form": EvidenceForm(formdata=None),
               "can_confirm": current_user.role in OFFICERS, "not_yet": _not_started(event),
               **_clash_context(event),
               **_count_context(event)}
    return render_page("results/results.html", context, status=status)


def _clash_context(event: Event) -> dict:
    """The clashes of the event's sign-ups with the person's other sign-ups, to resolve before confirming."""
    found = clashes.clashes(services.signups_to_confirm(event.id))
    return {"clashes": found, "clash_names": clashes.names_of(found),
            "resolve_form": ConfirmForm(), "back": url_for("results.results", event_id=event.id),
            "can_resolve": current_user.role in OFFICERS}


@bp.post("/events/<int:event_id>/results/evidence")
@roles_required(OFFICERS)
def upload_evidence(event_id: int):
    """Keep a photo or scan of a signed sheet (type checked from its content, size limited)."""
    event = _event(event_id)
    form = EvidenceForm()
    if not form.validate_on_submit():
        return see_other("results.results", _("Choose a file to upload."), "warning", event_id=event.id)
    try:
        evidence.store_evidence(event, kind=form.kind.data, upload=form.file.data, user=current_user)
    except services.ResultsError:
        return see_other("results.results", _("The file must be a JPEG, PNG or PDF of at most 10 MB."),
                         "error", event_id=event.id)
    db.session.commit()
    return see_other("results.results", _("The file was kept as evidence."), event_id=event.id)


@bp.get("/events/<int:event_id>/evidence/<int:evidence_id>")
@roles_required(READERS)
def evidence_file(event_id: int, evidence_id: int):
    """Download an evidence file (its viewing is audited: it shows personal data)."""
    event = _event(event_id)
    kept = queries.evidence(event.id, evidence_id)
    if kept is None:
        abort(404)
    begin_write()
    key = evidence.evidence_viewed(kept)
    db.session.commit()
    response = send_stored(key, mimetype=kept.content_type,
                           download_name=kept.original_name)
    if response is None:
        abort(404)
    return response
