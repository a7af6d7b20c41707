"""The register of data-subject requests: record, follow, answer; correct or erase the person they are about."""

from __future__ import annotations

from flask import abort, flash, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from wtforms import HiddenField

from ..audit.models import AuditEntry
from ..auth.roles import ADMINS, roles_required
from ..auth.scope import get_or_404
from ..core import versions
from ..core.pagination import paginate
from ..core.rendering import render_page, see_other
from ..extensions import db
from ..households import services as registry
from ..households.forms import PersonForm
from ..households.models import Household, Person
from ..i18n.formatting import local_today
from . import erasure, services
from .blueprint import bp
from .forms import EraseForm, RequestForm, RequestUpdateForm
from .models import OPEN_STATUSES, REQUEST_STATUSES, DataSubjectRequest, Erasure


class _VersionedUpdateForm(RequestUpdateForm):
    """The update form with the version it was opened at."""

    version = HiddenField()


@bp.get("/requests")
@roles_required(ADMINS)
def requests():
    """Requests, open ones first by their answer deadline; filter by status."""
    wanted = request.args.get("status", "open")
    stmt = select(DataSubjectRequest)
    if wanted == "open":
        stmt = stmt.where(DataSubjectRequest.status.in_(OPEN_STATUSES))
    elif wanted in REQUEST_STATUSES:
        stmt = stmt.where(DataSubjectRequest.status == wanted)
    else:
        wanted = "all"
    page = paginate(stmt.order_by(DataSubjectRequest.status.in_(OPEN_STATUSES).desc(), DataSubjectRequest.answer_by,
                                  DataSubjectRequest.id))
    names = dict(db.session.execute(select(Person.id, Person.full_name).where(
        Person.id.in_({r.person_id for r in page.items if r.person_id}))).all()) if page.items else {}
    return render_page("privacy/requests.html", {"page": page, "status": wanted, "names": names,
                                                 "today": local_today()}, fragment="results")


@bp.route("/requests/new", methods=["GET", "POST"])
@roles_required(ADMINS)
def new_request():
    """Record a request received from a person (found first in the data report) or about nobody yet known."""
    person_id = request.values.get("person", type=int)
    person = get_or_404(Person, person_id) if person_id else None
    form = RequestForm()
    if request.method == "GET":
        form.received_on.data = local_today()
        if person is not None:
            form.requester_name.data = person.full_name
    if not form.validate_on_submit():
        return render_page("privacy/request_form.html", {"form": form, "person": person},
                           status=422 if form.is_submitted() else 200)
    if form.received_on.data > local_today():
        form.received_on.errors = [_("The day received cannot be in the future.")]
        return render_page("privacy/request_form.html", {"form": form, "person": person}, status=422)
    row = services.create_request(kind=form.kind.data, person=person, requester_name=form.requester_name.data.strip(),
                                  channel=form.channel.data, received_on=form.received_on.data,
                                  details=(form.details.data or "").strip() or None, user=current_user)
    db.session.commit()
    return see_other("privacy.request_detail", _("The request was recorded. Acknowledge it by %(day)s.", day=row.acknowledge_by.strftime("%d/%m/%Y")),
                     request_id=row.id)


def _detail_context(row: DataSubjectRequest, form) -> dict:
    person = db.session.get(Person, row.person_id) if row.person_id else None
    erasures = db.session.scalars(select(Erasure).where(Erasure.request_id == row.id).order_by(Erasure.id)).all()
    entries = db.session.scalars(select(AuditEntry).where(or_(
        (AuditEntry.object_type == "data_request") & (AuditEntry.object_id == row.id),
        AuditEntry.action.in_(("privacy.correction", "privacy.erase")))).order_by(AuditEntry.at, AuditEntry.id))
    # Corrections and erasures name their request in the details.
    history = [e for e in entries if e.object_type == "data_request" or (e.details or {}).get("request") == row.id]
    return {"row": row, "form": form, "person": person, "erasures": erasures, "history": history,
            "person_erased": erasure.person_erased(person) if person else False, "today": local_today(),}


@bp.route("/requests/<int:request_id>", methods=["GET", "POST"])
@roles_required(ADMINS)
def request_detail(request_id: int):
    """One request: its deadlines, progress and history; correction or erasure when it asks for one."""
    row = get_or_404(DataSubjectRequest, request_id)
    form = _VersionedUpdateForm(obj=row) if request.method == "GET" else _VersionedUpdateForm()
    if request.method == "GET":
        form.version.data = str(row.version)
    if not form.validate_on_submit():
        return render_page("privacy/request.html", _detail_context(row, form),
                           status=422 if form.is_submitted() else 200)
    if versions.missing(form.version.data):
        return render_page("privacy/request.html", _detail_context(row, form), status=422)
    if form.version.data != str(row.version):
        return see_other("privacy.request_detail", _("Someone changed this request after you opened it; here it is as it is now."),
                         "warning", request_id=row.id)
    services.update_request(row, status=form.status.data, acknowledged_on=form.acknowledged_on.data,
                            answered_on=form.answered_on.data, outcome=(form.outcome.data or "").strip() or None)
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        return see_other("privacy.request_detail", _("Someone changed this request after you opened it; here it is as it is now."),
                         "warning", request_id=row.id)
    return see_other("privacy.request_detail", _("The request was saved."), request_id=row.id)


def _actionable(row: DataSubjectRequest, kind: str) -> Person:
    """The request's person, when the request is open, of this kind and about someone not erased; else 404."""
    if row.kind != kind or not row.is_open or row.person_id is None:
        abort(404)
    person = db.session.get(Person, row.person_id)
    if person is None or erasure.person_erased(person):
        abort(404)
    return person


@bp.route("/requests/<int:request_id>/correct", methods=["GET", "POST"])
@roles_required(ADMINS)
def correct(request_id: int):
    """Correct the person's fields as the request asks; the audit keeps old and new values (numbers masked)."""
    row = get_or_404(DataSubjectRequest, request_id)
    person = _actionable(row, "correction")
    form = PersonForm(obj=person) if request.method == "GET" else PersonForm()
    if request.method == "GET":
        form.tags.data = sorted(registry.person_tag_set(person.id))
        form.version.data = str(person.version)
        form.sex.data = person.sex or ""
        form.income_band.data = person.income_band or ""
    context = {"row": row, "person": person, "form": form, "conflict": False}
    if not form.validate_on_submit():
        return render_page("privacy/correct.html", context, status=422 if form.is_submitted() else 200)
    if versions.missing(form.version.data):
        return render_page("privacy/correct.html", context, status=422)
    if form.version.data != str(person.version):
        return render_page("privacy/correct.html", {**context, "conflict": True}, status=409)
    values = form.values()
    taken = registry.duplicate_identity(person.id, values["cccd"], values["bhxh_code"])
    if taken:
        form[taken].errors = [_("This number is already recorded for another person. Check it with the requester.")]
        return render_page("privacy/correct.html", context, status=422)
    changes = services.correct_person(row, person, values=values, tags=set(form.tags.data or []))
    try:
        db.session.commit()
    except (StaleDataError, IntegrityError):
        db.session.rollback()
        return render_page("privacy/correct.html", {**context, "conflict": True}, status=409)
    if changes:
        flash(_("The correction was saved: %(n)d field(s) changed.", n=len(changes)), "success")
    else:
        flash(_("Nothing was changed."), "info")
    return see_other("privacy.request_detail", request_id=row.id)


@bp.route("/requests/<int:request_id>/erase", methods=["GET", "POST"])
@roles_required(ADMINS)
def erase(request_id: int):
    """Erase the person (or their whole household) the deletion request is about, after a confirmation."""
    row = get_or_404(DataSubjectRequest, request_id)
    person = _actionable(row, "deletion")
    household = db.session.get(Household, person.household_id)
    members = db.session.scalar(select(db.func.count()).where(Person.household_id == household.id))
    form = EraseForm()
    context = {"row": row, "person": person, "household": household, "members": members, "form": form,
               "fields": erasure.PERSON_FIELDS, "household_fields": erasure.HOUSEHOLD_FIELDS}
    if not form.validate_on_submit():
        return render_page("privacy/erase.html", context, status=422 if form.is_submitted() else 200)
    reason = (form.reason.data or "").strip() or None
    try:
        if form.scope.data == "household":
            erasure.erase_household(row, household, reason=reason, user=current_user)
        else:
            erasure.erase_person(row, person, reason=reason, user=current_user)
    except erasure.ErasureRefused as exc:
        db.session.rollback()
        form.confirm.errors = [str(exc)]
        return render_page("privacy/erase.html", context, status=422)
    db.session.commit()
    return see_other("privacy.request_detail", _("The data was erased. Record the answer to the requester below."),
                     request_id=row.id)
