"""Reads for the events pages: filtered lists, calendar ranges, what a form may offer, an event's links."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import case, func, or_, select

from ..audit.models import AuditEntry
from ..auth.scope import current_scope, scoped
from ..campaigns.models import Campaign
from ..extensions import db
from ..geo.models import Commune, Hamlet
from ..i18n.formatting import LOCAL_TZ
from ..org.models import Agent, AgentOrganisation, Office, agent_communes
from ..types import utcnow
from .models import EVENT_KINDS, EVENT_STATUSES, Event, Speaker, event_agents, event_audiences, event_speakers


def local_midnight(day: date) -> datetime:
    """The start of a Vietnam day, in UTC."""
    return datetime.combine(day, time(0, 0), tzinfo=LOCAL_TZ).astimezone(UTC)


def filtered(stmt, filters: dict):
    """Narrow an event query by the filters of the list and the calendar."""
    if filters.get("commune"):
        stmt = stmt.where(Event.commune_id == filters["commune"])
    if filters.get("office"):
        stmt = stmt.where(Event.organiser_office_id == filters["office"])
    if filters.get("campaign"):
        stmt = stmt.where(Event.campaign_id == filters["campaign"])
    if filters.get("kind") in EVENT_KINDS:
        stmt = stmt.where(Event.kind == filters["kind"])
    if filters.get("status") in EVENT_STATUSES:
        stmt = stmt.where(Event.status == filters["status"])
    if filters.get("date_from"):
        stmt = stmt.where(Event.ends_at > local_midnight(filters["date_from"]))
    if filters.get("date_to"):
        stmt = stmt.where(Event.starts_at < local_midnight(filters["date_to"] + timedelta(days=1)))
    return stmt


def coming_first(stmt, now: datetime | None = None):
    """Order an event list as officers read it: what is under way or coming, soonest first, then what is over,
    latest first."""
    over = Event.ends_at < (now or utcnow())
    return stmt.order_by(over, case((over, None), else_=Event.starts_at), Event.starts_at.desc(), Event.id)


def events_between(first: date, last: date, filters: dict) -> list[Event]:
    """Visible events that touch the Vietnam days first..last, soonest first."""
    stmt = scoped(Event).where(Event.starts_at < local_midnight(last + timedelta(days=1)),
                               Event.ends_at > local_midnight(first))
    return list(db.session.scalars(filtered(stmt, filters).order_by(Event.starts_at, Event.id)))


def names(model, ids) -> dict[int, str]:
    """Names by id for a handful of ids, in one query."""
    ids = {i for i in ids if i}
    if not ids:
        return {}
    column = model.full_name if model in (Speaker, Agent) else model.name
    return dict(db.session.execute(select(model.id, column).where(model.id.in_(ids))).all())


def filter_options() -> dict:
    """What the filters offer: the visible offices, communes and campaigns."""
    return {
        "offices": list(db.session.scalars(scoped(Office).order_by(Office.kind.desc(), Office.sort_key))),
        "communes": list(db.session.scalars(scoped(Commune).where(Commune.office_id.is_not(None))
                                            .order_by(Commune.sort_key))),
        "campaigns": list(db.session.scalars(scoped(Campaign).order_by(Campaign.starts_on.desc()))),
    }


# What the event form may offer -------------------------------------------------------------------------------

def communes_in_scope() -> list[tuple[Commune, str]]:
    """Communes the user may hold events in (those an office serves), with their office's name."""
    rows = db.session.execute(scoped(Commune, select(Commune, Office.name)).join(Office, Office.id == Commune.office_id)
                              .order_by(Office.sort_key, Commune.sort_key)).all()
    return [(commune, office_name) for commune, office_name in rows]


def hamlets_of(commune_id: int | None) -> list[Hamlet]:
    """The hamlets of a commune, in name order."""
    if not commune_id:
        return []
    return list(db.session.scalars(select(Hamlet).where(Hamlet.commune_id == commune_id).order_by(Hamlet.sort_key)))


def offices_in_scope() -> list[Office]:
    """Offices that may organise an event (province office first)."""
    return list(db.session.scalars(scoped(Office).order_by(Office.kind.desc(), Office.sort_key)))


def organisations_in_scope() -> list[AgentOrganisation]:
    """Agent organisations that may co-organise."""
    return list(db.session.scalars(scoped(AgentOrganisation).order_by(AgentOrganisation.sort_key)))


def campaigns_open(keep: int | None = None) -> list[Campaign]:
    """Campaigns an event may belong to (not closed; the event's own one is always offered)."""
    clause = Campaign.status != "closed"
    if keep:
        clause = or_(clause, Campaign.id == keep)
    return list(db.session.scalars(scoped(Campaign).where(clause).order_by(Campaign.starts_on.desc())))


def speakers_available(keep=()) -> list[Speaker]:
    """Active speakers of the registers in scope (and the event's own ones, even if inactive since)."""
    clause = Speaker.active.is_(True)
    if keep:
        clause = or_(clause, Speaker.id.in_(list(keep)))
    return list(db.session.scalars(scoped(Speaker).where(clause).order_by(Speaker.sort_key)))


def agents_available(commune_id: int | None, organiser_office_id: int | None, keep=()) -> list[Agent]:
    """Active agents who cover the commune and work with the organising office or the commune's office
    (and the agents already at the event)."""
    if not commune_id:
        return []
    commune_office = select(Commune.office_id).where(Commune.id == commune_id).scalar_subquery()
    offices = [commune_office] + ([organiser_office_id] if organiser_office_id else [])
    clause = Agent.active.is_(True) & Agent.office_id.in_(offices) & Agent.id.in_(
        select(agent_communes.c.agent_id).where(agent_communes.c.commune_id == commune_id))
    if keep:
        clause = or_(clause, Agent.id.in_(list(keep)))
    return list(db.session.scalars(scoped(Agent).where(clause).order_by(Agent.sort_key)))


def agents_covering(commune_id: int, agent_ids) -> list[int]:
    """Which of these agents cover a commune."""
    if not agent_ids:
        return []
    return sorted(db.session.scalars(select(agent_communes.c.agent_id).where(
        agent_communes.c.commune_id == commune_id, agent_communes.c.agent_id.in_(list(agent_ids)))))


# One event ---------------------------------------------------------------------------------------------------

def links(event_id: int) -> dict[str, list]:
    """The speaker ids, agent ids and audience tags of an event."""
    return {
        "speakers": list(db.session.scalars(select(event_speakers.c.speaker_id).where(
            event_speakers.c.event_id == event_id).order_by(event_speakers.c.speaker_id))),
        "agents": list(db.session.scalars(select(event_agents.c.agent_id).where(
            event_agents.c.event_id == event_id).order_by(event_agents.c.agent_id))),
        "audience": list(db.session.scalars(select(event_audiences.c.tag).where(
            event_audiences.c.event_id == event_id).order_by(event_audiences.c.tag))),
    }


def history(event_id: int) -> list[AuditEntry]:
    """The audit entries of an event, oldest first: creation, changes, reschedules, status, cancelling."""
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.object_type == "event",
                                                            AuditEntry.object_id == event_id)
                                   .order_by(AuditEntry.at, AuditEntry.id)))


def overview(event: Event) -> dict:
    """Everything the overview tab shows about an event, loaded in a few queries."""
    linked = links(event.id)
    speakers = list(db.session.scalars(select(Speaker).where(Speaker.id.in_(linked["speakers"]))
                                       .order_by(Speaker.sort_key))) if linked["speakers"] else []
    agent_rows = db.session.execute(
        select(Agent, AgentOrganisation.name).outerjoin(AgentOrganisation, AgentOrganisation.id == Agent.organisation_id)
        .where(Agent.id.in_(linked["agents"])).order_by(Agent.sort_key)).all() if linked["agents"] else []
    return {
        "speakers": speakers,
        "agents": [(agent, organisation) for agent, organisation in agent_rows],
        "audience": linked["audience"],
        "commune": db.session.get(Commune, event.commune_id),
        "hamlet": db.session.get(Hamlet, event.hamlet_id) if event.hamlet_id else None,
        "office": db.session.get(Office, event.organiser_office_id),
        "co_organiser": db.session.get(AgentOrganisation, event.co_organiser_id) if event.co_organiser_id else None,
        "organiser_organisation": db.session.get(AgentOrganisation, event.organiser_organisation_id)
        if event.organiser_organisation_id else None,
        "campaign": db.session.get(Campaign, event.campaign_id) if event.campaign_id else None,
        "history": history(event.id),
    }


def speaker_events(speaker_id: int) -> list[Event]:
    """The visible events a speaker speaks at, latest first."""
    return list(db.session.scalars(scoped(Event).where(Event.id.in_(
        select(event_speakers.c.event_id).where(event_speakers.c.speaker_id == speaker_id)))
        .order_by(Event.starts_at.desc())))


def upcoming_counts(speaker_ids, now: datetime) -> dict[int, int]:
    """How many visible, not cancelled events each speaker has from now on."""
    if not speaker_ids:
        return {}
    stmt = (select(event_speakers.c.speaker_id, func.count()).join(Event, Event.id == event_speakers.c.event_id)
            .where(event_speakers.c.speaker_id.in_(list(speaker_ids)), Event.starts_at >= now,
                   Event.status != "cancelled", Event.scope_clause(current_scope()))
            .group_by(event_speakers.c.speaker_id))
    return dict(db.session.execute(stmt).all())
