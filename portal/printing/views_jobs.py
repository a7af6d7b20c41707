"""Big print runs started from the Documents tab and the campaign page; they run as background jobs."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from ..auth.roles import OFFICERS, roles_required
from ..auth.scope import current_scope, get_or_404
from ..campaigns.models import Campaign
from ..core.rendering import see_other
from ..core.security import public_url
from ..events.models import Event
from ..extensions import db
from ..jobs import services as jobs
from ..results.models import Invitation
from . import services
from .blueprint import bp
from .forms import StartJobForm


@bp.post("/events/<int:event_id>/print/invitations-job")
@roles_required(OFFICERS)
def invitations_job(event_id: int):
    """Print every invitation letter of the event in the background; then show the job's progress."""
    event = get_or_404(Event, event_id)
    StartJobForm()  # CSRF is checked for every post
    letters = db.session.scalar(select(func.count()).select_from(Invitation).where(Invitation.event_id == event.id))
    if not letters:
        return see_other("documents.index", _("Nobody is invited to this event yet."),
                         "warning", event_id=event.id)
    job = services.start_invitations_job(event, user=current_user, base_url=public_url(), letters=letters)
    db.session.commit()
    job_id = job.id
    jobs.enqueue(job)
    return see_other("jobs.detail", job_id=job_id)


@bp.post("/campaigns/<int:campaign_id>/print/leaflets-job")
@roles_required(OFFICERS)
def campaign_leaflets_job(campaign_id: int):
    """Print the leaflet of every event of the campaign the user can see, in the background."""
    campaign = get_or_404(Campaign, campaign_id)
    StartJobForm()
    event_ids = services.campaign_event_ids(campaign, current_scope())
    if not event_ids:
        return see_other("campaigns.detail", _("The campaign has no events to print leaflets for."),
                         "warning", campaign_id=campaign.id)
    job = services.start_leaflets_job(campaign, user=current_user, event_ids=event_ids)
    db.session.commit()
    job_id = job.id
    jobs.enqueue(job)
    return see_other("jobs.detail", job_id=job_id)
