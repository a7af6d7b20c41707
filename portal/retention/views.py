"""Officers' retention pages: the renewal figures per office, commune and agent; recording a reminder from the
due list; the day's SMS reminder list for the office's SMS service."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..auth.roles import AGENT, OFFICERS, OFFICERS_AND_AGENTS, READERS, roles_required
from ..auth.scope import current_scope, get_or_404
from ..core.rendering import partial_request, render_page, see_other
from ..core.urls import safe_next_url
from ..database import begin_write
from ..extensions import db
from ..households.models import Person
from ..i18n.formatting import format_date, local_today
from . import queries, services, sms
from .blueprint import bp
from .forms import ContactForm
from .labels import METHOD_LABELS, MORE, OUTCOME_LABELS, QUICK, STATE_LABELS
from .models import SCHEMES

_ERRORS = {
    "scheme": ("scheme", _l("Choose the scheme.")),
    "method": ("method", _l("Choose how the person was reminded.")),
    "outcome": ("outcome", _l("Choose an outcome.")),
    "promised_on_missing": ("promised_on", _l("Give the day the person promised to pay by.")),
    "promised_on_range": ("promised_on", _l("The promised day must be from %(first)s to %(last)s.")),
    "note": ("note", _l("The note is too long.")),
}


def _scheme_arg(source=None) -> str:
    value = (source or request.args).get("scheme")
    return value if value in SCHEMES else "bhxh_tn"


def hook_labels() -> dict:
    """Labels the rows of the worklist and of the households' due list show, translated once per page, and the
    range of a promised day."""
    today = local_today()
    return {"outcomes": {k: str(v) for k, v in OUTCOME_LABELS.items()},
            "methods": {k: str(v) for k, v in METHOD_LABELS.items()},
            "states": {k: str(v) for k, v in STATE_LABELS.items()}, "quick": QUICK, "more": MORE,
            "promise_min": (today + timedelta(days=1)).isoformat(),
            "promise_max": (today + timedelta(days=services.PROMISE_MAX_DAYS)).isoformat()}


@bp.app_template_global("retention_last_contacts")
def retention_last_contacts(groups, kind: str) -> dict:
    """For the due list of the households pages (its groups of rows): the latest reminder of each person listed,
    for the scheme of the list's kind (paid-until kinds: BHXH TN; card kinds: BHYT)."""
    scheme = "bhyt_hgd" if kind.startswith("bhyt") else "bhxh_tn"
    ids = {row[0].id for group in groups for row in group.rows}
    return {"scheme": scheme, "last": queries.last_contacts(ids, scheme), **hook_labels(),
            "can_record": current_user.role in OFFICERS_AND_AGENTS}


@bp.app_template_global("renewal_url")
def renewal_url(person, scheme: str) -> str | None:
    """The page recording the renewal sign-up of a person who paid after a reminder (the sign-up outside events,
    pre-filled from their last contribution), coming back here afterwards."""
    return url_for("enrolments.new_signup", person=person.id, scheme=scheme, renew=1,
                   back=safe_next_url(request.full_path.rstrip("?")) or None)


@bp.route("/retention/people/<int:person_id>/contact", methods=["GET", "POST"])
@roles_required(OFFICERS_AND_AGENTS)
def contact(person_id: int):
    """Record a reminder to a person and its outcome: the full form (from the due list), or one tap from the
    agent's worklist (answered with the updated row)."""
    person = get_or_404(Person, person_id)
    form = ContactForm()
    today = local_today()
    back = safe_next_url(request.values.get("next"))
    if request.method == "GET":
        form.scheme.data = _scheme_arg()
        form.method.data = "phone" if current_user.role != AGENT else "visit"
        form.submission_key.data = secrets.token_urlsafe(12)
    status, problem = 200, None
    if form.validate_on_submit():
        try:
            services.record_contact(
                person, scheme=form.scheme.data, method=form.method.data, outcome=form.outcome.data,
                promised_on=form.promised_on.data, note=form.note.data, user=current_user,
                submission_key=form.submission_key.data or None, today=today)
            db.session.commit()
        except services.ContactError as exc:
            db.session.rollback()
            field, message = _ERRORS.get(exc.code, _ERRORS["outcome"])
            params = {k: format_date(v) if isinstance(v, date) else v for k, v in exc.params.items()}
            problem = str(message) % params if params else str(message)
            getattr(form, field).errors = [problem]
            status = 422
        else:
            if partial_request() and request.form.get("quick"):
                return _row(person, form.scheme.data, form.method.data, today, back)
            flash(_("Recorded: %(outcome)s.", outcome=OUTCOME_LABELS[form.outcome.data]), "success")
            return redirect(back or url_for("households.person", person_id=person.id), code=303)
    elif request.method == "POST":
        status = 422
        problem = next((e for errors in form.errors.values() for e in errors), _("Please check the form."))
    if status == 422 and partial_request() and request.form.get("quick"):
        return _row(person, _scheme_arg(request.form), request.form.get("method"), today, back, problem=problem)
    item = queries.work_item(person, form.scheme.data if form.scheme.data in SCHEMES else "bhxh_tn", today)
    return render_page("retention/contact.html", {
        "person": person, "item": item, "form": form, "problem": problem, "back": back, "today": today,
        "hooks": hook_labels()}, status=status)


def _row(person, scheme: str, method: str | None, today: date, back: str | None, problem: str | None = None):
    """A worklist row after a one-tap reminder, with the agent's counts updated out of band."""
    scope = current_scope()
    context = {"item": queries.work_item(person, scheme, today), "scheme": scheme, "today": today,
               "method": method if method in ("visit", "phone") else "visit", "hooks": hook_labels(),
               "submission_key": secrets.token_urlsafe(12), "here": back or url_for("retention.my_due"),
               "row_problem": problem, "oob": bool(scope.agent_id)}
    if scope.agent_id:
        context["work"] = queries.worklist(scheme=scheme, scope=scope, agent_id=scope.agent_id, today=today)
    return render_page("retention/my_due.html", context, fragment="row", status=422 if problem else 200)


def _month_arg() -> tuple[date, str | None]:
    raw = (request.args.get("month") or "").strip()
    today = local_today()
    if not raw:
        return queries.month_start(today), None
    try:
        month, year = (int(part) for part in raw.split("/"))
        day = date(year, month, 1)
    except ValueError:
        return queries.month_start(today), _("“%(value)s” is not a month in the form mm/yyyy.", value=raw)
    if day > today:
        return queries.month_start(today), _("The month %(value)s has not begun yet.", value=raw)
    return day, None


@bp.get("/retention/")
@roles_required(READERS)
def figures():
    """Renewal figures per office, commune or agent: due in the month, renewed, lapsed, reminders made, the
    renewal rate and its trend over six months."""
    scope = current_scope()
    month, problem = _month_arg()
    group = request.args.get("group") if request.args.get("group") in queries.GROUPS else "commune"
    scheme = _scheme_arg()
    office_id = request.args.get("office", type=int)
    commune_id = request.args.get("commune", type=int)
    places = queries.place_choices(scope)
    if office_id not in {o.id for o in places["offices"]}:
        office_id = None
    if commune_id not in {c.id for c in places["communes"]}:
        commune_id = None
    result = queries.figures(scheme=scheme, group=group, month=month, office_id=office_id, commune_id=commune_id,
                             scope=scope)
    context = {"figures": result, "group": group, "scheme": scheme, "month": month, "problem": problem,
               "office_id": office_id, "commune_id": commune_id,
               "is_officer": current_user.role in OFFICERS, **places,
               "args": {"scheme": scheme, "group": group, "month": month.strftime("%m/%Y"), "office": office_id,
                        "commune": commune_id}}
    return render_page("retention/figures.html", context, fragment="figures", status=422 if problem else 200)


@bp.get("/retention/sms")
@roles_required(OFFICERS)
def sms_page():
    """The day's SMS reminder list: how many, a sample of the messages, and the download."""
    scheme = _scheme_arg()
    commune_id = request.args.get("commune", type=int)
    agent_id = request.args.get("agent", type=int)
    places = queries.place_choices()
    if commune_id not in {c.id for c in places["communes"]}:
        commune_id = None
    agents = queries.agent_choices(commune_id=commune_id)
    if agent_id not in {a.id for a in agents}:
        agent_id = None
    rows = queries.sms_list(scheme=scheme, commune_id=commune_id, agent_id=agent_id)
    office_phone = sms.office_phone(current_user)
    sample = [(row, sms.message(row, scheme, office_phone)) for row in rows[:5]]
    context = {"rows": rows, "sample": sample, "scheme": scheme, "commune_id": commune_id, "agent_id": agent_id,
               "agents": agents, "communes": places["communes"],
               "quiet_days": queries.SMS_QUIET_DAYS, "ahead_days": queries.SMS_AHEAD_DAYS,
               "overdue_days": queries.SMS_OVERDUE_DAYS}
    return render_page("retention/sms.html", context, fragment="sms_list")


@bp.post("/retention/sms.csv")
@roles_required(OFFICERS)
def sms_csv():
    """The day's SMS reminder list as CSV (UTF-8 with BOM) for the office's SMS service; audited, and the people
    recorded as reminded by SMS when asked (so tomorrow's list leaves them out)."""
    scheme = _scheme_arg(request.form)
    commune_id = request.form.get("commune", type=int)
    agent_id = request.form.get("agent", type=int)
    places = queries.place_choices()
    if commune_id not in {c.id for c in places["communes"]}:
        commune_id = None
    if agent_id not in {a.id for a in queries.agent_choices(commune_id=commune_id)}:
        agent_id = None
    today = local_today()
    rows = queries.sms_list(scheme=scheme, commune_id=commune_id, agent_id=agent_id, today=today)
    if not rows:
        return see_other("retention.sms_page", _("Nobody to remind by SMS today."),
                         "warning", scheme=scheme, commune=commune_id, agent=agent_id)
    data = sms.csv_bytes(rows, scheme, sms.office_phone(current_user), plain_text=request.form.get("plain") == "1")
    begin_write()
    mark = request.form.get("mark_sent") == "1"
    if mark:
        services.record_sms_sent(rows, scheme=scheme, user=current_user, today=today)
    services.record_sms_export(scheme=scheme, commune_id=commune_id, agent_id=agent_id, rows=len(rows), marked=mark)
    db.session.commit()
    return sms.attachment(data, f"nhac-dong-sms-{today.isoformat()}.csv")
