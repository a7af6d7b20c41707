"""The campaign dashboard (office → commune → agent) with last year's figures, its exports, and the commune
report."""

from __future__ import annotations

from ..auth.roles import READERS, roles_required
from ..auth.scope import Place, get_or_404, local_offices
from ..campaigns.models import Campaign
from ..core.rendering import render_page
from . import activities, exports, progress
from .access import campaign_export, issuer, place
from .blueprint import bp

#: The levels of the progress dashboard beyond offices.
PROGRESS_LEVELS = ("commune", "agent", "organisation", "hamlet")

@bp.get("/campaigns/<int:campaign_id>")
@roles_required(READERS)
def campaign(campaign_id: int):
    """Achieved against target and % of plan, by office with drill-down to communes and agents; the same days
    last year; the daily line; the ranking."""
    row = get_or_404(Campaign, campaign_id)
    where = place(row, PROGRESS_LEVELS)
    return render_page("reports/campaign.html", {**progress.dashboard(row, where),
                                                 "activities": activities.by_kind(row, where)})


def _progress_report(row: Campaign):
    return progress.dashboard_report(progress.dashboard(row, place(row, PROGRESS_LEVELS)))


@bp.get("/campaigns/<int:campaign_id>/progress.xlsx")
@roles_required(READERS)
def progress_xlsx(campaign_id: int):
    """The dashboard's current level as XLSX (audited)."""
    return campaign_export(campaign_id, _progress_report, "xlsx")


@bp.get("/campaigns/<int:campaign_id>/progress.pdf")
@roles_required(READERS)
def progress_pdf(campaign_id: int):
    """The dashboard's current level, printed (audited)."""
    return campaign_export(campaign_id, _progress_report, "pdf")


def _communes_report(row):
    return progress.communes_report(row, Place("office", local_offices(row.province_id)))


@bp.get("/campaigns/<int:campaign_id>/communes.xlsx")
@roles_required(READERS)
def communes_xlsx(campaign_id: int):
    """The results of the campaign by commune, as XLSX (audited)."""
    row = get_or_404(Campaign, campaign_id)
    return exports.xlsx_response(_communes_report(row), obj=row, object_type="campaign",
                                 action="export.campaign_report")


@bp.get("/campaigns/<int:campaign_id>/communes.pdf")
@roles_required(READERS)
def communes_pdf(campaign_id: int):
    """The results of the campaign by commune, printed (audited)."""
    row = get_or_404(Campaign, campaign_id)
    return exports.pdf_response(_communes_report(row), obj=row, object_type="campaign",
                                action="print.campaign_report", **issuer(row))

