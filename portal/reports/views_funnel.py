"""Funnel pages: a campaign's events by office, commune, agent or event, and one event by agent; with their
potential groups and leaflet audiences, and their exports."""

from __future__ import annotations

from ..auth.roles import READERS, roles_required
from ..auth.scope import get_or_404
from ..campaigns.models import Campaign
from ..core.rendering import render_page
from ..events.models import Event
from ..extensions import db
from ..geo.models import Commune
from ..org.models import Office
from ..printing.offices import without_division
from . import exports, funnels
from .access import campaign_export, place
from .blueprint import bp

LEVELS = ("commune", "agent", "event")


@bp.get("/campaigns/<int:campaign_id>/funnel")
@roles_required(READERS)
def campaign_funnel(campaign_id: int):
    """Listed → visited → invited → attended → signed up for a campaign's events, with drill-down, the potential
    groups and the leaflet audiences that converted best."""
    row = get_or_404(Campaign, campaign_id)
    return render_page("reports/funnel.html", funnels.campaign_funnel(row, place(row, LEVELS)))


def _funnel_report(row: Campaign):
    return funnels.campaign_funnel_report(funnels.campaign_funnel(row, place(row, LEVELS)))


@bp.get("/campaigns/<int:campaign_id>/funnel.xlsx")
@roles_required(READERS)
def campaign_funnel_xlsx(campaign_id: int):
    """The campaign funnel's current view as XLSX (audited)."""
    return campaign_export(campaign_id, _funnel_report, "xlsx")


@bp.get("/campaigns/<int:campaign_id>/funnel.pdf")
@roles_required(READERS)
def campaign_funnel_pdf(campaign_id: int):
    """The campaign funnel's current view, printed (audited)."""
    return campaign_export(campaign_id, _funnel_report, "pdf")


def _event_issuer(event: Event) -> dict:
    """The organising office (and the office above it) issues an event's printed funnel."""
    office = db.session.get(Office, event.organiser_office_id)
    parent = db.session.get(Office, office.parent_id) if office.parent_id else None
    commune = db.session.get(Commune, event.commune_id)
    return {"issuer_name": office.name, "issuer_superior": parent.name if parent else "",
            "place": without_division(commune.name)}


@bp.get("/events/<int:event_id>/funnel")
@roles_required(READERS)
def event_funnel(event_id: int):
    """One event's funnel, by agent and by potential group."""
    event = get_or_404(Event, event_id)
    return render_page("reports/event_funnel.html", funnels.event_funnel(event))


@bp.get("/events/<int:event_id>/funnel.xlsx")
@roles_required(READERS)
def event_funnel_xlsx(event_id: int):
    """One event's funnel as XLSX (audited)."""
    event = get_or_404(Event, event_id)
    report = funnels.event_funnel_report(funnels.event_funnel(event))
    return exports.xlsx_response(report, obj=event, object_type="event")


@bp.get("/events/<int:event_id>/funnel.pdf")
@roles_required(READERS)
def event_funnel_pdf(event_id: int):
    """One event's funnel, printed (audited)."""
    event = get_or_404(Event, event_id)
    report = funnels.event_funnel_report(funnels.event_funnel(event))
    return exports.pdf_response(report, obj=event, object_type="event", **_event_issuer(event))
