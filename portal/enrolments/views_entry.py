"""A sign-up or renewal outside events, for one person: from the household or person page (officer), or on the
phone from a household, a pre-visit list or the due list (agent). A renewal opens with the calculator filled in
from the person's last contribution, so the agent types the amount and records it."""

from __future__ import annotations

import secrets

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from ..auth.roles import OFFICERS_AND_AGENTS, roles_required
from ..auth.scope import current_scope
from ..core.rendering import render_page
from ..core.urls import safe_next_url
from ..extensions import db
from ..households.models import Household, Person
from ..i18n.formatting import format_money, local_today
from ..org.models import Agent
from ..policy import calculator
from ..policy.messages import policy_error_message, policy_warning_message
from ..results import queries as signup_queries
from ..results import services as signup_services
from ..results.labels import CHANNEL_LABELS, SCHEME_LABELS
from ..results.signup_form import WARNINGS, offer_facilities, put_refusal
from . import queries
from .blueprint import bp
from .forms import OutsideSignUpForm

#: Which scheme a due list is about.
DUE_SCHEMES = {"paid_until": "bhxh_tn", "stopped": "bhxh_tn", "bhyt_expiring": "bhyt_hgd",
               "bhyt_expired": "bhyt_hgd"}


def _form(person: Person | None, formdata=None) -> OutsideSignUpForm:
    form = OutsideSignUpForm(formdata=formdata) if formdata is not None else OutsideSignUpForm()
    scope = current_scope()
    if scope.agent_id:
        agent = db.session.get(Agent, scope.agent_id)
        form.agent_id.choices = [SelectChoice(scope.agent_id, agent.full_name if agent else "—")]
        form.agent_id.validate_choice = False  # an agent records their own work: the field is not shown
    else:
        agents = queries.agents_of_commune(person.commune_id) if person else []
        form.agent_id.choices = [SelectChoice(0, "—")] + [SelectChoice(a.id, a.full_name) for a in agents]
    return form


def _prefill(form: OutsideSignUpForm, person: Person, scheme: str | None, renew: bool) -> None:
    """A new form: today, the agent, and for a renewal what the person paid last time."""
    scope = current_scope()
    form.signed_on.data = local_today()
    form.agent_id.data = scope.agent_id or 0
    form.submission_key.data = secrets.token_urlsafe(12)
    channel = request.args.get("channel")
    form.channel.data = channel if channel in CHANNEL_LABELS and channel != "event" else "door"
    if scheme:
        form.scheme.data = scheme
    last = queries.last_contribution(person.id, scheme) if renew else None
    if last is not None:
        form.scheme.data = last.scheme
        form.kind.data = "renewal"
        form.income.data = last.chosen_income
        form.mode.data = last.payment_mode or "monthly"
        lump = last.payment_mode in ("advance_lump_sum", "arrears_lump_sum")
        form.months.data = last.months if last.scheme == "bhyt_hgd" or lump else None
        form.member_order.data = last.member_order
        if last.facility_id:
            form.facility_id.data = last.facility_id
        form.collection_point.data = last.collection_point
        if not scope.agent_id and last.agent_id:
            form.agent_id.data = last.agent_id
    elif renew:
        form.kind.data = "renewal"


def _quote(form: OutsideSignUpForm, person: Person):
    """The calculator's amount for the form's values, or the reason there is none."""
    if not (form.signed_on.data and form.scheme.data):
        return None, None
    household = db.session.get(Household, person.household_id)
    try:
        return signup_services.quote_for(person, household, scheme=form.scheme.data, on=form.signed_on.data,
                                         income=form.income.data, mode=form.mode.data, months=form.months.data,
                                         member_order=form.member_order.data), None
    except calculator.PolicyError as exc:
        return None, policy_error_message(exc.code, exc.params)


def _context(form: OutsideSignUpForm, person: Person, **extra) -> dict:
    if not form.facility_id.choices:
        offer_facilities(form.facility_id, person, preselect=not form.facility_id.raw_data
                         and not form.facility_id.data)
    quote, error = _quote(form, person)
    return {"form": form, "person": person, "household": db.session.get(Household, person.household_id),
            "quote": quote, "quote_error": error,
            "quote_warnings": [policy_warning_message(w) for w in quote.warnings] if quote else [],
            "warnings": [WARNINGS[w] for w in signup_services.warnings_for(person, form.scheme.data or "bhxh_tn",
                                                                           form.signed_on.data or local_today())],
            "last": queries.last_contribution(person.id),
            "is_agent": bool(current_scope().agent_id), **extra}


@bp.get("/new")
@roles_required(OFFICERS_AND_AGENTS)
def new_signup():
    """The sign-up form for one person (``person``), or the members of a household to choose from
    (``household``); ``renew`` fills it from the last contribution, ``due`` names the due list it came from."""
    person = queries.person(request.args.get("person", type=int))
    if person is None:
        household = queries.household(request.args.get("household", type=int))
        if household is None:
            abort(404)
        return render_page("enrolments/choose.html", {
            "household": household, "members": signup_queries.household_members(household.id),
            "back": safe_next_url(request.args.get("back"))})
    scheme = DUE_SCHEMES.get(request.args.get("due", "")) or (
        request.args.get("scheme") if request.args.get("scheme") in SCHEME_LABELS else None)
    form = _form(person)
    _prefill(form, person, scheme, renew=bool(request.args.get("renew")))
    form.back.data = safe_next_url(request.args.get("back")) or ""
    return render_page("enrolments/new.html", _context(form, person))


@bp.get("/people/<int:person_id>/quote")
@roles_required(OFFICERS_AND_AGENTS)
def quote(person_id: int):
    """The calculated amount for the form's current values (htmx preview)."""
    person = queries.person(person_id)
    if person is None:
        abort(404)
    form = _form(person, request.args)
    form.meta.csrf = False
    return render_page("enrolments/new.html", _context(form, person), fragment="quote_box")


@bp.post("/new")
@roles_required(OFFICERS_AND_AGENTS)
def record():
    """Record the sign-up with the calculator's amounts and the amount on the receipt (a difference needs a
    reason); it counts once the office confirms it in a batch."""
    person = queries.person(request.form.get("person_id", type=int))
    if person is None:
        abort(404)
    form = _form(person, request.form)
    scope = current_scope()
    if form.validate_on_submit():
        try:
            signup, _new = signup_services.record_signup(
                person, scheme=form.scheme.data, kind=form.kind.data, signed_on=form.signed_on.data,
                user=current_user, channel=form.channel.data,
                agent_id=scope.agent_id or form.agent_id.data or None, income=form.income.data,
                mode=form.mode.data, months=form.months.data, member_order=form.member_order.data,
                net_override=form.net_override.data, override_reason=form.override_reason.data,
                receipt_number=form.receipt_number.data, receipt_date=form.receipt_date.data,
                collection_point=form.collection_point.data, submission_key=form.submission_key.data or None,
                facility_id=form.facility_id.data or None)
        except signup_services.ResultsError as exc:
            db.session.rollback()
            put_refusal(form, exc)
        else:
            db.session.commit()
            flash(_("Recorded: %(name)s paid %(amount)s. It counts once the office confirms the receipts.",
                    name=person.full_name, amount=format_money(signup.net)), "success")
            back = safe_next_url(form.back.data) or url_for("households.person", person_id=person.id)
            return redirect(back, code=303)
    return render_page("enrolments/new.html", _context(form, person), status=422)
