"""The office confirms sign-ups made outside events in batches: one agent's, organisation's or collection point's
receipts over a period, against the money handed in; clashes are resolved first. Batches are listed."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from ..auth.roles import OFFICERS, READERS, roles_required
from ..auth.scope import get_or_404
from ..core.rendering import render_page, see_other
from ..core.urls import safe_next_url
from ..extensions import db
from ..i18n.formatting import format_money, local_today, parse_date
from ..results import clashes as clash_rules
from ..results.models import SignUpBatch
from . import queries, services
from .blueprint import bp
from .forms import BatchForm, ResolveForm

ERRORS = {
    "empty": _l("There is no receipt to confirm for this agent and period."),
    "changed": _l("Some of these receipts were confirmed or changed meanwhile: look at the list again."),
    "clashes": _l("Decide on the clashes below first: the same enrolment must not count twice."),
    "handed_in": _l("The money handed in differs from the receipts' total: write why in the notes."),
    "not_a_clash": _l("These two sign-ups do not clash."),
    "overlap": _l("It pays for months already paid for: mark it as a duplicate instead."),
    "whose": _l("Choose whose receipts to confirm: an agent, an organisation, a collection point, or those without "
                "an agent."),
}


def _day(name: str, default):
    try:
        return parse_date(request.values.get(name) or "")
    except ValueError:
        return default


def _filter() -> queries.Pending:
    today = local_today()
    start = _day("from", (today.replace(day=1) - timedelta(days=1)).replace(day=1))
    end = _day("to", today)
    if end < start:
        start, end = end, start
    return queries.Pending(start=start, end=end, agent_id=request.values.get("agent", type=int) or None,
                           no_agent=request.values.get("agent") == "none",
                           organisation_id=request.values.get("organisation", type=int) or None,
                           collection_point=(request.values.get("point") or "").strip() or None)


def _batch_context(f: queries.Pending, form: BatchForm) -> dict:
    rows = queries.pending(f)
    found = clash_rules.clashes([s for s, _name in rows])
    if not form.shown.data:
        form.shown.data = ",".join(str(s.id) for s, _name in rows)
    return {"filters": f, "rows": rows, "total": sum(s.net for s, _name in rows), "clashes": found,
            "clash_names": clash_rules.names_of(found), "form": form, "agents": queries.agents(),
            "organisations": queries.organisations(), "waiting": queries.waiting_by_agent(),
            "batches": queries.batches(), "resolve_form": ResolveForm(),
            "can_confirm": current_user.role in OFFICERS}


@bp.route("/batches", methods=["GET", "POST"])
@roles_required(READERS)
def batches():
    """What waits for confirmation per agent, the receipts of the chosen agent and period with their clashes
    and total, the confirmation itself (officers), and the batches confirmed so far."""
    f = _filter()
    form = BatchForm()
    if request.method == "POST":
        if current_user.role not in OFFICERS:
            abort(403)
        if form.validate_on_submit():
            shown = {int(i) for i in form.shown.data.split(",") if i.strip().isdigit()}
            signups = [s for s, _name in queries.pending(f) if s.id in shown]
            try:
                if not f.chosen:
                    raise services.EnrolmentError("whose")
                if len(signups) != len(shown):
                    raise services.EnrolmentError("changed")
                batch = services.confirm_batch(
                    signups, start=f.start, end=f.end, handed_in=form.handed_in.data, user=current_user,
                    agent_id=f.agent_id, organisation_id=f.organisation_id, collection_point=f.collection_point,
                    notes=form.notes.data)
            except services.EnrolmentError as exc:
                db.session.rollback()
                if exc.code == "handed_in":
                    form.handed_in.errors.append(str(ERRORS[exc.code]))
                else:
                    flash(str(ERRORS[exc.code]), "error")
            else:
                try:
                    db.session.commit()
                except StaleDataError:  # another officer confirmed or changed one of them at the same moment
                    db.session.rollback()
                    flash(str(ERRORS["changed"]), "error")
                else:
                    return see_other("enrolments.batch", _("%(n)d receipts confirmed (%(amount)s); they now count in the reports.",
                                                                 n=batch.signups, amount=format_money(batch.total_net)),
                                     batch_id=batch.id)
        form.shown.data = ""
        return render_page("enrolments/batches.html", _batch_context(f, form), status=422)
    return render_page("enrolments/batches.html", _batch_context(f, form), fragment="pending")


@bp.get("/batches/<int:batch_id>")
@roles_required(READERS)
def batch(batch_id: int):
    """One confirmed batch: who confirmed it, when, its totals and its receipts."""
    row = get_or_404(SignUpBatch, batch_id)
    return render_page("enrolments/batch.html", {"batch": row, "rows": queries.batch_signups(row.id),
                                                 **queries.batch_names(row)})


def _resolve(signup_id: int, decide, done: str):
    """Apply the officer's decision on a clash (``decide(signup, form)``) and go back where they came from."""
    signup = queries.signup(signup_id)
    if signup is None:
        abort(404)
    form = ResolveForm()
    if form.validate_on_submit():
        try:
            decide(signup, form)
        except services.EnrolmentError as exc:
            db.session.rollback()
            flash(str(ERRORS[exc.code]), "error")
        else:
            db.session.commit()
            flash(done, "success")
    return redirect(safe_next_url(form.back.data) or url_for("enrolments.batches"), code=303)


@bp.post("/signups/<int:signup_id>/duplicate")
@roles_required(OFFICERS)
def mark_duplicate(signup_id: int):
    """Mark a sign-up as a duplicate of the one it clashes with (``kept``): it never counts."""
    def decide(signup, form):
        kept = queries.signup(int(form.kept.data)) if (form.kept.data or "").isdigit() else None
        if kept is None:
            abort(404)
        services.resolve_duplicate(signup, kept, user=current_user)

    return _resolve(signup_id, decide, _("Marked as a duplicate: it will not count."))


@bp.post("/signups/<int:signup_id>/renewal")
@roles_required(OFFICERS)
def mark_renewal(signup_id: int):
    """Record a second "new" as a renewal."""
    return _resolve(signup_id, lambda signup, _form: services.resolve_renewal(signup, user=current_user),
                    _("Recorded as a renewal."))
