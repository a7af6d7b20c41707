"""The calculator page and the parameters page."""

from __future__ import annotations

from datetime import date

from flask import request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ..auth.roles import ADMINS, roles_required
from ..core.rendering import render_page, see_other
from ..extensions import db
from . import calculator
from .blueprint import bp
from .forms import CalculatorForm, PolicyValueForm
from .labels import CATEGORY_LABELS
from .messages import policy_error_message, policy_warning_message
from .models import PolicyValue
from .parameters import PARAMETERS
from .services import set_value


def _error_message(exc: calculator.PolicyError) -> str:
    return policy_error_message(exc.code, exc.params)


@bp.get("/calculator")
@login_required
def calculator_page():
    """Compute contributions, state support and the amount to pay."""
    form = CalculatorForm(formdata=request.args if request.args else None)
    quote = bhyt = None
    error = None
    status = 200
    on = date.today()  # noqa: DTZ011 - a calendar date
    if bool(request.args) and form.validate():
        on = form.on.data or on
        try:
            if form.scheme.data == "bhxh_tn":
                if form.income.data is None:
                    raise calculator.PolicyError("income_missing", "")
                quote = calculator.bhxh_tn(on, income=form.income.data, categories=set(form.categories.data or []),
                                           months=form.months.data if form.mode.data.endswith("lump_sum") else None,
                                           mode=form.mode.data,
                                           supported_months_used=form.supported_months_used.data or 0)
            else:
                bhyt = calculator.bhyt_hgd(on, members=form.members.data or 1, months=12)
        except calculator.PolicyError as exc:
            error = _("Enter the chosen monthly income.") if exc.code == "income_missing" else _error_message(exc)
            status = 422
    elif bool(request.args):
        status = 422
    examples = _examples(on)
    shown = quote or bhyt
    notes = [policy_warning_message(w) for w in shown.warnings] if shown else []
    context = {"form": form, "quote": quote, "bhyt": bhyt, "error": error, "on": on, "warnings": notes,
               "examples": examples}
    return render_page("policy/calculator.html", context, fragment="calc_result", status=status)


def _examples(on: date) -> dict:
    """Minimum contribution by category and the BHYT ladder on a date, for the reference table."""
    rows = []
    try:
        minimum = _min_income(on)
        for category in ("other", "ethnic_minority", "near_poor", "poor"):
            q = calculator.bhxh_tn(on, income=minimum, categories={category})
            rows.append({"label": CATEGORY_LABELS[category], "quote": q})
        ladder = calculator.bhyt_hgd(on, members=5)
    except calculator.PolicyError:
        return {"rows": [], "ladder": None}
    return {"rows": rows, "ladder": ladder}


def _min_income(on: date) -> int:
    return calculator.dong(calculator.Parameters(on)["rural_poverty_line"])


@bp.route("/parameters", methods=["GET", "POST"])
@roles_required(ADMINS)
def parameters():
    """All parameter values with their dates and sources; an administrator adds new ones."""
    form = PolicyValueForm()
    status = 200
    if form.validate_on_submit():
        set_value(key=form.key.data, value=form.value.data, effective_from=form.effective_from.data,
                  source=form.source.data.strip(), note=(form.note.data or "").strip(), user=current_user,
                  confirmed=form.confirmed.data)
        db.session.commit()
        return see_other("policy.parameters", _("The value was saved."))
    if form.is_submitted():
        status = 422
    rows = db.session.scalars(select(PolicyValue).order_by(PolicyValue.key, PolicyValue.effective_from.desc())).all()
    today = date.today()  # noqa: DTZ011 - a calendar date
    grouped: dict[str, list[PolicyValue]] = {}
    for row in rows:
        grouped.setdefault(row.key, []).append(row)
    in_force = {key: next((r for r in values if r.effective_from <= today), None) for key, values in grouped.items()}
    context = {"form": form, "grouped": grouped, "in_force": in_force, "parameters": PARAMETERS, "today": today}
    return render_page("policy/parameters.html", context, fragment="value_form", status=status)
