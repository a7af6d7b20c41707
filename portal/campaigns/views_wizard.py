"""The May campaign wizard: one screen, one click."""

from __future__ import annotations

from datetime import date

from flask import abort, request
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from ..auth.roles import PLANNERS, roles_required
from ..auth.scope import current_scope, scoped
from ..core.rendering import partial_request, render_page, see_other
from ..extensions import db
from ..geo.models import Province
from ..i18n.formatting import local_today
from . import wizard
from .blueprint import bp
from .forms import WizardForm
from .models import METRICS


def next_may_year(today: date) -> int:
    """The year of the next May campaign month (this year until 1 May, then next year)."""
    return today.year if today < date(today.year, 5, 1) else today.year + 1


@bp.route("/may-wizard", methods=["GET", "POST"])
@roles_required(PLANNERS)
def may_wizard():
    """Create the May campaign month of a year with targets for every served commune, in one step."""
    provinces = db.session.scalars(scoped(Province).order_by(Province.name)).all()
    if not provinces:
        abort(404)
    form = WizardForm(formdata=request.form if request.method == "POST" else (request.args or None))
    form.province_id.choices = [SelectChoice(p.id, p.full_name) for p in provinces]
    scope = current_scope()
    if not request.args and request.method == "GET":
        form.year.data = next_may_year(local_today())
        form.province_id.data = scope.province_id or provinces[0].id
    if len(provinces) == 1:  # a province officer: their own province, whatever was posted
        form.province_id.data = provinces[0].id
        form.province_id.raw_data = [str(provinces[0].id)]
    valid_province = any(p.id == form.province_id.data for p in provinces)
    province_id = form.province_id.data if valid_province else provinces[0].id
    year = form.year.data if isinstance(form.year.data, int) and 2020 <= form.year.data <= 2100 \
        else next_may_year(local_today())
    status = 200
    if request.method == "POST":
        if form.validate() and valid_province:
            numbers = {m: getattr(form, f"m_{m}").data or 0 for m in METRICS}
            try:
                campaign = wizard.create_may_campaign(province_id=province_id, year=year, basis=form.basis.data,
                                                      numbers=numbers, user=current_user)
            except wizard.WizardError as exc:
                db.session.rollback()
                getattr(form, exc.field).errors = [*getattr(form, exc.field).errors, str(exc)]
            else:
                db.session.commit()
                return see_other("campaigns.targets", _("The May campaign was created with targets for every commune; adjust them below."),
                                 campaign_id=campaign.id, level="office")
        status = 422
    facts = wizard.facts(province_id, year)
    if request.method == "GET" and "basis" not in request.args:
        form.basis.data = "copy" if facts.has_copy else "households"
    return render_page("campaigns/wizard.html", {
        "form": form, "facts": facts, "metrics": METRICS,
        "one_province": provinces[0] if len(provinces) == 1 else None,
        "notes_oob": partial_request()},
        fragment="wizard_facts", status=status)
