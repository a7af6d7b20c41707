"""Writes the Documents tab makes: the leaflet variant chosen for an event, and the big print jobs."""

from __future__ import annotations

from sqlalchemy import select

from ..audit import services as audit
from ..auth.scope import Scope, scoped
from ..events.models import LEAFLET_AUDIENCES, Event
from ..extensions import db
from ..jobs import services as jobs


def set_leaflet_audience(event: Event, audience: str | None) -> None:
    """Remember which leaflet variant an event's audience gets (the caller commits)."""
    if audience not in (*LEAFLET_AUDIENCES, None):
        raise ValueError(audience)
    before = event.leaflet_audience
    event.leaflet_audience = audience
    audit.record("event.leaflet_audience", obj=event, object_type="event",
                 details={"from": before, "to": audience})


def start_invitations_job(event: Event, *, user, base_url: str, letters: int):
    """Queue the printing of every invitation letter of an event (audited as a print of personal data)."""
    job = jobs.create("invitations", user=user, event=event, params={"base_url": base_url}, total=letters)
    audit.record("print.invitations", obj=event, object_type="event", details={"letters": letters, "job": job.id})
    return job


def campaign_event_ids(campaign, scope: Scope) -> list[int]:
    """The events of a campaign a user may see (not cancelled), in date order."""
    return list(db.session.scalars(scoped(Event, select(Event.id), scope=scope).where(
        Event.campaign_id == campaign.id, Event.status != "cancelled").order_by(Event.starts_at, Event.id)))


def start_leaflets_job(campaign, *, user, event_ids: list[int]):
    """Queue the leaflets of every event of a campaign (they name the events' agents and phones: audited)."""
    job = jobs.create("campaign_leaflets", user=user, campaign=campaign,
                      params={"event_ids": event_ids, "events": len(event_ids)}, total=len(event_ids))
    audit.record("print.campaign_leaflets", obj=campaign, object_type="campaign",
                 details={"events": len(event_ids), "job": job.id})
    return job
