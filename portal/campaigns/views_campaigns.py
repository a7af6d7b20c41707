"""Campaign pages: the list, one campaign, the create/edit form, status changes and cancelling a draft."""

from __future__ import annotations

from flask import flash, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from ..auth.models import User
from ..auth.roles import PLANNERS, READERS, roles_required
from ..auth.scope import Place, get_or_404, local_offices, scoped
from ..core.pagination import paginate
from ..core.rendering import render_page, see_other
from ..extensions import db
from ..geo.models import Province
from ..org.models import Office
from . import queries, services
from .access import can_plan
from .blueprint import bp
from .forms import NEXT_STATUS, CampaignForm, CancelForm, FilterForm, StatusForm
from .labels import METRIC_SHORT, STATUS_LABELS
from .models import CAMPAIGN_KINDS, CAMPAIGN_STATUSES, METRICS, Campaign


@bp.get("/")
@roles_required(READERS)
def index():
    """Campaigns of the user's province, newest first, filtered by year, kind and status."""
    form = FilterForm(formdata=request.args)
    years = queries.campaign_years()
    form.year.choices = [SelectChoice("", _("Every year"))] + [SelectChoice(str(y), str(y)) for y in years]
    year = request.args.get("year", type=int)
    year = year if year and 1900 <= year <= 2200 else None  # a year out of any calendar filters nothing
    kind = request.args.get("kind") if request.args.get("kind") in CAMPAIGN_KINDS else None
    status = request.args.get("status") if request.args.get("status") in CAMPAIGN_STATUSES else None
    page = paginate(queries.campaign_list(year=year, kind=kind, status=status), scalars=False)
    return render_page("campaigns/index.html", {
        "form": form, "page": page,
        "can_plan": can_plan(), "show_province": current_user.role == "admin",
        "filtered": bool(year or kind or status)}, fragment="results")


def _office_choices(campaign: Campaign | None) -> list[Office]:
    """Offices that may own a campaign: the province offices first, then local offices (one province when
    editing, so a campaign never moves away from its targets)."""
    stmt = scoped(Office)
    if campaign is not None:
        stmt = stmt.where(Office.province_id == campaign.province_id)
    return list(db.session.scalars(stmt.order_by(Office.province_id, Office.kind.desc(), Office.sort_key)))


def _save(campaign: Campaign | None):
    form = CampaignForm(obj=campaign)
    offices = _office_choices(campaign)
    form.office_id.choices = [SelectChoice(o.id, o.name) for o in offices]
    status = 200
    if form.validate_on_submit():
        office = next(o for o in offices if o.id == form.office_id.data)
        try:
            campaign = services.save_campaign(
                campaign, name=form.name.data, kind=form.kind.data, starts_on=form.starts_on.data,
                ends_on=form.ends_on.data, office=office, notes=form.notes.data, user=current_user)
        except services.CampaignError as exc:
            if str(exc) == "ends_on":
                form.ends_on.errors.append(_("The campaign must end on or after the day it starts."))
            else:
                form.kind.errors.append(_("This province already has a May campaign for %(year)d.",
                                          year=form.starts_on.data.year))
            db.session.rollback()
            status = 422
        else:
            db.session.commit()
            return see_other("campaigns.detail", _("The campaign was saved."), campaign_id=campaign.id)
    elif form.is_submitted():
        status = 422
    return render_page("campaigns/form.html", {"form": form, "campaign": campaign}, status=status)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(PLANNERS)
def new():
    """Create a campaign (a wave of field days, or another push; the May month has its own wizard)."""
    return _save(None)


@bp.route("/<int:campaign_id>/edit", methods=["GET", "POST"])
@roles_required(PLANNERS)
def edit(campaign_id: int):
    """Change a campaign's name, kind, period, owning office or notes."""
    return _save(get_or_404(Campaign, campaign_id))


@bp.get("/<int:campaign_id>")
@roles_required(READERS)
def detail(campaign_id: int):
    """A campaign: its facts, its targets summed per level and metric, by office, and where they do not add up."""
    campaign = get_or_404(Campaign, campaign_id)
    where = Place("office", local_offices(campaign.province_id))
    rows = queries.grid(campaign, where)
    return render_page("campaigns/detail.html", {
        "campaign": campaign, "rows": rows, "totals": queries.totals(rows),
        "summary": queries.summary(campaign, where), "mismatches": queries.mismatches(campaign, where),
        "first_office": where.offices[0] if where.offices else None,
        "province": db.session.get(Province, campaign.province_id),
        "owner": db.session.get(Office, campaign.office_id),
        "creator": db.session.scalar(select(User.full_name).where(User.id == campaign.created_by_id))
        if campaign.created_by_id else None,
        "metrics": METRICS, "metric_short": METRIC_SHORT,
        "next_status": NEXT_STATUS[campaign.status], "can_plan": can_plan(),
        "status_form": StatusForm(), "cancel_form": CancelForm(), "signed": queries.signed})


@bp.post("/<int:campaign_id>/status")
@roles_required(PLANNERS)
def status(campaign_id: int):
    """Open a draft campaign, or close an open one."""
    campaign = get_or_404(Campaign, campaign_id)
    form = StatusForm()
    if form.validate_on_submit():
        try:
            services.change_status(campaign, form.status.data)
        except services.CampaignError:
            flash(_("A campaign goes from draft to active to closed; that change is not possible now."), "error")
        else:
            db.session.commit()
            flash(_("The campaign is now: %(status)s.", status=STATUS_LABELS[campaign.status]), "success")
    return see_other("campaigns.detail", campaign_id=campaign.id)


@bp.post("/<int:campaign_id>/cancel")
@roles_required(PLANNERS)
def cancel(campaign_id: int):
    """Cancel a draft campaign: it disappears with its targets (the audit log keeps a record)."""
    campaign = get_or_404(Campaign, campaign_id)
    if CancelForm().validate_on_submit():
        name = campaign.name
        try:
            services.cancel(campaign)
        except services.CampaignError:
            return see_other("campaigns.detail", _("Only a draft campaign can be cancelled; close an active one instead."),
                             "error", campaign_id=campaign.id)
        db.session.commit()
        flash(_("The campaign “%(name)s” was cancelled.", name=name), "success")
    return see_other("campaigns.index")
