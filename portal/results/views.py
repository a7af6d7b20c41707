"""Check-in at the event (search, QR code, walk-ins, paper rows), the results page and evidence files."""

from __future__ import annotations

import hashlib
import re
import secrets
from pathlib import Path

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from ..auth.roles import ADMIN, AGENT, LOCAL_OFFICER, PROVINCE_OFFICER, VIEWER, roles_required
from ..auth.scope import get_or_404, scoped
from ..core.rendering import render_page
from ..database import begin_write
from ..events.models import Event
from ..extensions import db
from ..geo.models import Hamlet
from ..households import normalise
from ..households.models import Household, Person
from ..i18n.collation import fold_diacritics
from ..storage import send_stored, storage
from . import bp, services
from .forms import EVIDENCE_LABELS, ConfirmForm, EvidenceForm, RowsForm, WalkInForm
from .models import Attendance, EventResult, Evidence, Invitation

OFFICERS = (ADMIN, PROVINCE_OFFICER, LOCAL_OFFICER)
AT_THE_DOOR = (*OFFICERS, AGENT)
MAX_EVIDENCE = 10 * 1024 * 1024
_MAGIC = {b"\xff\xd8\xff": ("image/jpeg", ".jpg"), b"\x89PNG\r\n\x1a\n": ("image/png", ".png"),
          b"%PDF-": ("application/pdf", ".pdf")}


def _event(event_id: int) -> Event:
    return get_or_404(Event, event_id)


def _count_context(event: Event) -> dict:
    return {"totals": services.totals(event.id)}


def _invited_rows(event: Event, query: str | None):
    stmt = (
        select(Invitation, Household.head_name, Household.address, Hamlet.name, Attendance.id)
        .join(Household, Household.id == Invitation.household_id)
        .join(Hamlet, Hamlet.id == Household.hamlet_id)
        .outerjoin(Attendance, (Attendance.invitation_id == Invitation.id))
        .where(Invitation.event_id == event.id)
        .order_by(Invitation.sheet_row.is_(None), Invitation.sheet_row, Household.sort_key)
    )
    if query:
        stmt = stmt.where(Household.match_key.like(f"%{fold_diacritics(query)}%"))
    return db.session.execute(stmt.limit(300)).all()


def _attendance_context(event: Event, **extra) -> dict:
    query = (request.args.get("q") or "").strip()
    hamlets = list(db.session.scalars(select(Hamlet).where(Hamlet.commune_id == event.commune_id)
                                      .order_by(Hamlet.sort_key)))
    walk_in = extra.pop("walk_in_form", None) or WalkInForm(formdata=None)
    walk_in.hamlet_id.choices = [SelectChoice(h.id, h.name) for h in hamlets]
    if not walk_in.submission_key.data:
        walk_in.submission_key.data = secrets.token_urlsafe(12)
    walk_ins = db.session.execute(
        select(Attendance, Person.full_name).outerjoin(Person, Person.id == Attendance.person_id)
        .where(Attendance.event_id == event.id, Attendance.walk_in.is_(True)).order_by(Attendance.checked_in_at)
    ).all()
    context = {
        "event": event, "rows": _invited_rows(event, query), "q": query, "walk_in_form": walk_in,
        "rows_form": RowsForm(formdata=None), "walk_ins": walk_ins, "matches": [], "rows_log": None,
        "can_check_in": current_user.role in AT_THE_DOOR,
        **_count_context(event),
    }
    context.update(extra)
    return context


@bp.get("/events/<int:event_id>/attendance")
@roles_required(*AT_THE_DOOR, VIEWER)
def attendance(event_id: int):
    """The invited with search and one-tap check-in, walk-ins, paper rows, and the live count."""
    event = _event(event_id)
    return render_page("results/attendance.html", _attendance_context(event))


@bp.get("/events/<int:event_id>/attendance/count")
@roles_required(*AT_THE_DOOR, VIEWER)
def attendance_count(event_id: int):
    """The live count alone (polled by the attendance page)."""
    event = _event(event_id)
    return render_page("results/attendance.html", _attendance_context(event), block="live_count")


@bp.post("/events/<int:event_id>/attendance/check-in")
@roles_required(*AT_THE_DOOR)
def check_in(event_id: int):
    """Check in one invited household (one tap)."""
    event = _event(event_id)
    invitation = db.session.scalar(select(Invitation).where(
        Invitation.id == request.form.get("invitation_id", type=int), Invitation.event_id == event.id))
    if invitation is None:
        abort(404)
    _attendance, new = services.check_in(event, invitation=invitation, user=current_user,
                                         submission_key=request.form.get("submission_key") or None)
    db.session.commit()
    if request.headers.get("HX-Request") == "true":
        return render_page("results/attendance.html", _attendance_context(event), block="invited")
    flash(_("Checked in.") if new else _("Already checked in."), "success")
    return redirect(url_for("results.attendance", event_id=event.id), code=303)


@bp.route("/checkin/<token>", methods=["GET", "POST"])
@roles_required(*AT_THE_DOOR)
def check_in_by_code(token: str):
    """The page a QR code on an invitation opens: who it is, and one button to check them in."""
    invitation = db.session.scalar(select(Invitation).where(Invitation.token == token))
    if invitation is None:
        abort(404)
    event = _event(invitation.event_id)
    household = db.session.get(Household, invitation.household_id)
    done = db.session.scalar(select(Attendance.id).where(Attendance.invitation_id == invitation.id))
    if request.method == "POST":
        from flask_wtf.csrf import validate_csrf

        validate_csrf(request.form.get("csrf_token"))
        services.check_in(event, invitation=invitation, user=current_user)
        db.session.commit()
        flash(_("%(name)s is checked in.", name=household.head_name), "success")
        return redirect(url_for("results.check_in_by_code", token=token), code=303)
    context = {"event": event, "household": household, "invitation": invitation, "done": done,
               **_count_context(event)}
    return render_page("results/checkin.html", context)


@bp.post("/events/<int:event_id>/attendance/walk-in")
@roles_required(*AT_THE_DOOR)
def walk_in(event_id: int):
    """Add someone who came without an invitation, matched against people already known."""
    event = _event(event_id)
    form = WalkInForm()
    hamlets = {h.id: h for h in db.session.scalars(select(Hamlet).where(Hamlet.commune_id == event.commune_id))}
    form.hamlet_id.choices = [SelectChoice(h.id, h.name) for h in hamlets.values()]
    status, matches = 200, []
    if form.validate_on_submit():
        try:
            name = normalise.person_name(form.name.data)
            phone = normalise.phone(form.phone.data)
            cccd = normalise.cccd(form.cccd.data)
        except normalise.Invalid as exc:
            form.name.errors.append(str(exc))
            status = 422
        else:
            chosen = (form.person_id.data or "").strip()
            person = None
            if chosen.isdigit():
                person = db.session.scalar(scoped(Person).where(Person.id == int(chosen),
                                                                Person.commune_id == event.commune_id))
            elif chosen != "new":
                matches = services.match_walk_in(event.commune_id, name, phone, cccd)
                if cccd and matches and matches[0].commune_id != event.commune_id:
                    matches = []  # never reveal someone outside the commune
            if person is None and matches:
                status = 200  # ask the officer to pick a match or confirm a new person
            else:
                attendance, new = services.add_walk_in(event, name=name, phone=phone,
                                                       hamlet=hamlets[form.hamlet_id.data], cccd=cccd,
                                                       user=current_user, person=person,
                                                       submission_key=form.submission_key.data or None)
                db.session.commit()
                flash(_("%(name)s was added as a walk-in.", name=name) if new else _("Already checked in."),
                      "success")
                if request.headers.get("HX-Request") == "true":
                    return render_page("results/attendance.html", _attendance_context(event), block="walk_in")
                return redirect(url_for("results.attendance", event_id=event.id), code=303)
    else:
        status = 422
    context = _attendance_context(event, walk_in_form=form, matches=matches)
    return render_page("results/attendance.html", context, status=status,
                       block="walk_in" if request.headers.get("HX-Request") == "true" else None)


@bp.post("/events/<int:event_id>/attendance/rows")
@roles_required(*OFFICERS, AGENT)
def attendance_rows(event_id: int):
    """Tick attendance from the paper sheet by row numbers ("1 2 5-9 12")."""
    event = _event(event_id)
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
    return render_page("results/attendance.html", context, status=status,
                       block="paper_rows" if request.headers.get("HX-Request") == "true" else None)


@bp.route("/events/<int:event_id>/results", methods=["GET", "POST"])
@roles_required(*OFFICERS, VIEWER)
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
            services.confirm_results(event, current_user)
            result = db.session.get(EventResult, event.id)
            result.notes = (form.notes.data or "").strip() or None
            db.session.commit()
            flash(_("The results are confirmed and now count in the reports."), "success")
            return redirect(url_for("results.results", event_id=event.id), code=303)
        status = 422
    evidence = list(db.session.scalars(select(Evidence).where(Evidence.event_id == event.id)
                                       .order_by(Evidence.uploaded_at)))
    context = {"event": event, "result": result, "form": form, "evidence": evidence,
               "evidence_form": EvidenceForm(formdata=None), "evidence_labels": EVIDENCE_LABELS,
               "can_confirm": current_user.role in OFFICERS, **_count_context(event)}
    return render_page("results/results.html", context, status=status)


@bp.post("/events/<int:event_id>/results/evidence")
@roles_required(*OFFICERS)
def upload_evidence(event_id: int):
    """Keep a photo or scan of a signed sheet (type checked from its content, size limited)."""
    event = _event(event_id)
    form = EvidenceForm()
    if not form.validate_on_submit():
        flash(_("Choose a file to upload."), "warning")
        return redirect(url_for("results.results", event_id=event.id), code=303)
    data = form.file.data.read(MAX_EVIDENCE + 1)
    kind = next((v for magic, v in _MAGIC.items() if data.startswith(magic)), None)
    if len(data) > MAX_EVIDENCE or kind is None:
        flash(_("The file must be a JPEG, PNG or PDF of at most 10 MB."), "error")
        return redirect(url_for("results.results", event_id=event.id), code=303)
    content_type, suffix = kind
    stored = secrets.token_hex(16) + suffix
    storage().put(Evidence.key_of(stored), data)
    original = Path(form.file.data.filename or "evidence").name[:200]
    db.session.add(Evidence(event_id=event.id, kind=form.kind.data, original_name=original, stored_name=stored,
                            content_type=content_type, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                            uploaded_by_id=current_user.id))
    from ..audit import services as audit

    audit.record("event.evidence_upload", obj=event, object_type="event", details={"kind": form.kind.data})
    db.session.commit()
    flash(_("The file was kept as evidence."), "success")
    return redirect(url_for("results.results", event_id=event.id), code=303)


@bp.get("/events/<int:event_id>/evidence/<int:evidence_id>")
@roles_required(*OFFICERS, VIEWER)
def evidence_file(event_id: int, evidence_id: int):
    """Download an evidence file (its viewing is audited: it shows personal data)."""
    event = _event(event_id)
    evidence = db.session.scalar(select(Evidence).where(Evidence.id == evidence_id, Evidence.event_id == event.id))
    if evidence is None:
        abort(404)
    from ..audit import services as audit

    begin_write()
    audit.record("event.evidence_view", obj=evidence, object_type="evidence")
    db.session.commit()
    response = send_stored(evidence.storage_key, mimetype=evidence.content_type,
                           download_name=evidence.original_name)
    if response is None:
        abort(404)
    return response
