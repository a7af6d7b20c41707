"""Sign-ups of an event: one by one with the calculated amount, or in bulk from the sign-up sheet's rows."""

from __future__ import annotations

import re
import secrets

from flask import request
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from ..auth.roles import EVERYONE, OFFICERS_AND_AGENTS, roles_required
from ..auth.scope import current_scope, get_or_404
from ..core.fields import parse_money
from ..core.rendering import render_page, see_other
from ..events.models import Event
from ..extensions import db
from ..households.models import Household, Person
from ..i18n.formatting import format_money, local_today, to_local
from ..policy import calculator
from ..policy.messages import policy_error_message, policy_warning_message
from . import queries, services
from .blueprint import bp
from .forms import HouseholdBhytForm, SignUpForm
from .signup_form import WARNINGS, offer_facilities, put_refusal, refusal_message


def _whole(text: str | None) -> int | None:
    """A whole number of đồng from a hidden field, or None when it holds none."""
    text = (text or "").strip()
    return int(text) if text.isdigit() and len(text) < 16 else None


def _form(event: Event, formdata=None) -> SignUpForm:
    form = SignUpForm(formdata=formdata) if formdata is not None else SignUpForm()
    agents = queries.event_agents_in_scope(event.id)
    form.agent_id.choices = [SelectChoice(0, "—")] + [SelectChoice(a.id, a.full_name) for a in agents]
    scope = current_scope()
    if request.method == "GET":
        form.signed_on.data = form.signed_on.data or to_local(event.starts_at).date()
        if scope.agent_id:
            form.agent_id.data = scope.agent_id
        form.submission_key.data = secrets.token_urlsafe(12)
    return form


def _person(event: Event, person_id: int | None) -> Person | None:
    return queries.person_of_commune(person_id, event.commune_id)


def _context(event: Event, form: SignUpForm, person: Person | None, **extra) -> dict:
    query = (request.args.get("q") or "").strip()
    if not form.facility_id.choices:
        offer_facilities(form.facility_id, person, preselect=not form.facility_id.raw_data)
    context = {
        "event": event, "form": form, "person": person, "signups": queries.signups_of(event.id), "q": query,
        "candidates": queries.signup_candidates(event.id, event.commune_id, query),
        "warnings": [WARNINGS[w] for w in services.warnings_for(person, form.scheme.data or "bhxh_tn",
                                                                  form.signed_on.data or local_today())]
        if person else [],
        "quote": None, "quote_error": None, "bulk_log": None,
        "household_form": extra.pop("household_form", None) or (_household_form(event, person) if person else None),
        "can_edit": current_user.role in OFFICERS_AND_AGENTS, "totals": queries.totals(event.id),
        "calc_facts": _calc_facts(person, form.signed_on.data or local_today()) if person else None,
    }
    context.update(extra)
    return context


def _calc_facts(person: Person, on) -> dict:
    """What the phone's calculator needs to know of the person (offline-calc.js): the state-support categories
    of each scheme and the months of state support already received."""
    household = db.session.get(Household, person.household_id)
    return {scheme: " ".join(sorted(services.support_categories(person, household, scheme=scheme, on=on)))
            for scheme in ("bhxh_tn", "bhyt_hgd")} | {"used": services.supported_months_used(person.id)}


def _household_form(event: Event, person: Person, formdata=None) -> HouseholdBhytForm:
    """The whole-household BHYT form for the chosen person's household: every member offered, those without a
    valid card ticked, the ladder starting after the members who hold one, with each member's amount."""
    form = HouseholdBhytForm(formdata=formdata) if formdata is not None else HouseholdBhytForm(formdata=None)
    members = queries.household_members(person.household_id)
    on = form.signed_on.data or to_local(event.starts_at).date()
    form.person_ids.choices = [SelectChoice(m.id, m.full_name) for m in members]
    form.agent_id.choices = [SelectChoice(0, "—")] + [SelectChoice(a.id, a.full_name)
                                                      for a in queries.event_agents_in_scope(event.id)]
    if formdata is None:
        form.person_ids.data = [m.id for m in members if not (m.bhyt_expires_on and m.bhyt_expires_on >= on)]
        form.signed_on.data = on
        form.first_order.data = services.first_member_order(person.household_id, form.person_ids.data, on)
        form.submission_key.data = secrets.token_urlsafe(12)
        if current_scope().agent_id:
            form.agent_id.data = current_scope().agent_id
    offer_facilities(form.facility_id, person, preselect=formdata is None)
    form.members = members
    form.ladder = _ladder(form, on)
    return form


def _ladder(form: HouseholdBhytForm, on) -> list[tuple[int, str, int]] | None:
    """(order, name, amount) for the ticked members, as the calculator gives them, or None when it cannot."""
    chosen = [m for m in form.members if m.id in (form.person_ids.data or [])]
    first = form.first_order.data or 1
    if not chosen:
        return []
    try:
        quote = calculator.bhyt_hgd(on, members=first + len(chosen) - 1, months=form.months.data or 12)
    except calculator.PolicyError:
        return None
    return [(first + i, m.full_name, quote.per_member[first + i - 1]) for i, m in enumerate(chosen)]


@bp.get("/events/<int:event_id>/signups")
@roles_required(EVERYONE)
def signups(event_id: int):
    """The event's sign-ups and the form to add one."""
    event = get_or_404(Event, event_id)
    person = _person(event, request.args.get("person", type=int))
    form = _form(event)
    return render_page("results/signups.html", _context(event, form, person))


@bp.get("/events/<int:event_id>/signups/quote")
@roles_required(OFFICERS_AND_AGENTS)
def quote(event_id: int):
    """The calculated amount for the form's current values (htmx preview)."""
    event = get_or_404(Event, event_id)
    person = _person(event, request.args.get("person_id", type=int))
    form = SignUpForm(formdata=request.args, meta={"csrf": False})
    form.agent_id.choices = [SelectChoice(0, "—")] + [SelectChoice(a.id, a.full_name)
                                                      for a in queries.event_agents_in_scope(event.id)]
    amount, error = None, None
    typed_wrong = [e for f in (form.income, form.net_override) for e in f.process_errors]
    if typed_wrong:
        error = typed_wrong[0]
    elif person is not None and form.signed_on.validate(form) and form.signed_on.data:
        household = db.session.get(Household, person.household_id)
        try:
            amount = services.quote_for(person, household, scheme=form.scheme.data, on=form.signed_on.data,
                                        income=form.income.data, mode=form.mode.data, months=form.months.data,
                                        member_order=form.member_order.data)
        except calculator.PolicyError as exc:
            error = policy_error_message(exc.code, exc.params)
    notes = [policy_warning_message(w) for w in amount.warnings] if amount else []
    return render_page("results/signups.html", _context(event, form, person, quote=amount, quote_error=error,
                                                        quote_warnings=notes), fragment="quote_box")


@bp.post("/events/<int:event_id>/signups")
@roles_required(OFFICERS_AND_AGENTS)
def add_signup(event_id: int):
    """Record a sign-up with the amounts the calculator gives (an override needs a reason)."""
    event = get_or_404(Event, event_id)
    form = _form(event, request.form)
    person = _person(event, form.person_id.data)
    status = 422
    if person is not None and form.validate_on_submit():
        try:
            signup, new = services.record_signup(
                person, scheme=form.scheme.data, kind=form.kind.data, signed_on=form.signed_on.data,
                user=current_user, event=event, agent_id=form.agent_id.data or None, income=form.income.data,
                mode=form.mode.data, months=form.months.data, member_order=form.member_order.data,
                net_override=form.net_override.data, override_reason=form.override_reason.data,
                receipt_number=form.receipt_number.data, submission_key=form.submission_key.data or None,
                facility_id=form.facility_id.data or None, from_month=form.from_month.data,
                receipt_date=form.receipt_date.data, expected_net=_whole(form.expected_net.data))
            db.session.commit()
        except services.ResultsError as exc:
            db.session.rollback()
            put_refusal(form, exc)
        else:
            return see_other("results.signups", _("Sign-up recorded: %(name)s pays %(amount)s.", name=person.full_name,
                                                 amount=format_money(signup.net)),
                             event_id=event.id)
    elif person is None:
        form.person_id.errors = [_("Choose the person who signs up.")]
    return render_page("results/signups.html", _context(event, form, person), status=status)


@bp.post("/events/<int:event_id>/signups/household")
@roles_required(OFFICERS_AND_AGENTS)
def household_signup(event_id: int):
    """Household health insurance for the ticked members of one household, in one go (all or nobody)."""
    event = get_or_404(Event, event_id)
    person = _person(event, request.form.get("person_id", type=int))
    if person is None:
        return render_page("results/signups.html", _context(event, _form(event, formdata=None), None), status=422)
    form = _household_form(event, person, request.form)
    people = [m for m in form.members if m.id in (form.person_ids.data or [])]
    if form.validate_on_submit():
        try:
            signups = services.record_household_bhyt(
                people, kind=form.kind.data, signed_on=form.signed_on.data, months=form.months.data,
                user=current_user, event=event, agent_id=form.agent_id.data or None,
                first_order=form.first_order.data, receipt_number=form.receipt_number.data,
                submission_key=form.submission_key.data or None, facility_id=form.facility_id.data or None,
                from_month=form.from_month.data, receipt_date=form.receipt_date.data)
        except services.ResultsError as exc:
            db.session.rollback()
            field = form.facility_id if exc.code in ("facility", "facility_missing") else form.person_ids
            field.errors.append(refusal_message(exc))
        else:
            db.session.commit()
            return see_other("results.signups", _("Household health insurance recorded for %(n)d members: %(amount)s in all, for %(months)d "
                                                 "months.", n=len(signups), amount=format_money(sum(s.net for s in signups)),
                                                 months=form.months.data),
                             event_id=event.id)
    return render_page("results/signups.html", _context(event, _form(event, formdata=None), person,
                                                        household_form=form), status=422)


_BULK = re.compile(r"^\s*(\d+)\s+(tn|yt)\s+(\d[\d.,]*)(?:\s+(t|n|d))?\s*$", re.IGNORECASE)


@bp.post("/events/<int:event_id>/signups/bulk")
@roles_required(OFFICERS_AND_AGENTS)
def bulk_signups(event_id: int):
    """Sign-ups typed from the sheet: "row tn income [t]" or "row yt member-order [t]" per line."""
    event = get_or_404(Event, event_id)
    invitations = queries.sheet_invitations(event.id)
    log = []
    for raw in (request.form.get("lines") or "").splitlines():
        if not raw.strip():
            continue
        match = _BULK.match(raw)
        if not match:
            log.append((raw.strip(), False, _("Write: row, tn or yt, then the income or the member order.")))
            continue
        row, scheme_code, kind_code = int(match[1]), match[2].lower(), (match[4] or "n").lower()
        number = parse_money(match[3])
        if number is None:
            log.append((raw.strip(), False, _("Write the amount in đồng with digits, e.g. 1.500.000.")))
            continue
        invitation = invitations.get(row)
        if invitation is None:
            log.append((raw.strip(), False, _("There is no row %(n)d on the sheet.", n=row)))
            continue
        person = queries.invitee(invitation)
        scheme = "bhxh_tn" if scheme_code == "tn" else "bhyt_hgd"
        kind = {"n": "new", "t": "renewal", "d": "adjustment"}[kind_code]
        try:
            signup, new = services.record_signup(
                person, scheme=scheme, kind=kind, signed_on=to_local(event.starts_at).date(), user=current_user,
                event=event,
                agent_id=invitation.agent_id, income=number if scheme == "bhxh_tn" else None, mode="monthly",
                member_order=number if scheme == "bhyt_hgd" else None, months=None if scheme == "bhxh_tn" else 12,
                sheet_row=row, submission_key=f"bulk-{event.id}-{row}-{scheme}")
        except services.ResultsError as exc:
            db.session.rollback()
            log.append((raw.strip(), False, refusal_message(exc)))
            continue
        db.session.commit()
        log.append((raw.strip(), True, f"{person.full_name}: {format_money(signup.net)}"
                    + ("" if new else " " + _("(already recorded)"))))
    form = _form(event, formdata=None)
    status = 422 if any(not ok for _line, ok, _m in log) else 200
    return render_page("results/signups.html", _context(event, form, None, bulk_log=log), status=status)
