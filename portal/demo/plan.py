"""Demo plan beyond offices, communes and agents: each office's targets split by channel, each agent organisation's
own plan, each commune's targets split among its hamlets (by their households), and a few conferences of the past
Mays organised by the commune's post office itself rather than co-organised by it.

Targets are written through the campaign services (as the grids would), for every demo campaign that has none of
these kinds yet, so loading again adds nothing.
"""

from __future__ import annotations

from sqlalchemy import func, select

from ..campaigns import services as campaign_services
from ..campaigns.models import SIGNUP_METRICS, TARGET_CHANNELS, Campaign, Target
from ..campaigns.wizard import spread
from ..events.models import Event
from ..extensions import db
from ..geo.models import Commune, Hamlet, Province
from ..households.models import Household
from ..org.models import Agent, AgentOrganisation, Office

#: How an office splits its sign-up targets by channel (weights, in the order of TARGET_CHANNELS): conferences
#: win a third, door-to-door visits as many, counters and online the rest.
CHANNEL_WEIGHTS = {"event": 30, "door": 35, "counter": 20, "online": 10, "other": 5}
#: Every how many conferences co-organised by the post office one is organised by it instead.
ORGANISED_EVERY = 4


def load_plan(province_code: str = "15") -> int:
    """Create the missing targets by channel, organisation and hamlet, and the post offices' own conferences;
    return how many records were added."""
    province = db.session.scalar(select(Province).where(Province.code == province_code))
    if province is None:
        return 0
    created = 0
    campaigns = list(db.session.scalars(select(Campaign).where(Campaign.province_id == province.id)
                                        .order_by(Campaign.starts_on)))
    offices = list(db.session.scalars(select(Office).where(Office.province_id == province.id,
                                                           Office.kind == "local").order_by(Office.code)))
    for campaign in campaigns:
        has = set(db.session.scalars(select(Target.level).where(
            Target.campaign_id == campaign.id, Target.level.in_(("channel", "organisation", "hamlet"))).distinct()))
        office_targets: dict[int, dict[str, int]] = {}
        for office_id, metric, value in db.session.execute(select(Target.office_id, Target.metric, Target.value)
                                                           .where(Target.campaign_id == campaign.id,
                                                                  Target.level == "office")):
            office_targets.setdefault(office_id, {})[metric] = value
        if not office_targets:
            continue
        for office in offices:
            own = office_targets.get(office.id, {})
            if "channel" not in has:
                created += _channels(campaign, office, own)
            if "organisation" not in has:
                created += _organisations(campaign, office, own)
        if "hamlet" not in has:
            created += _hamlets(campaign, offices)
    created += _organised_by_post_offices(province.id)
    db.session.flush()
    return created


def _channels(campaign: Campaign, office: Office, own: dict[str, int]) -> int:
    changes = []
    for metric in SIGNUP_METRICS:
        shares = spread(own.get(metric, 0), {n: CHANNEL_WEIGHTS[c] for n, c in enumerate(TARGET_CHANNELS, 1)})
        changes += [(number, metric, value) for number, value in sorted(shares.items())]
    return campaign_services.save_targets(campaign, "channel", changes, source="grid", office_id=office.id)


def _organisations(campaign: Campaign, office: Office, own: dict[str, int]) -> int:
    """Each organisation's share of the office's sign-up targets by its active agents; the post office gets
    conferences too (a third of the office's)."""
    weights = dict(db.session.execute(
        select(AgentOrganisation.id, func.count(Agent.id)).outerjoin(
            Agent, (Agent.organisation_id == AgentOrganisation.id) & Agent.active.is_(True))
        .where(AgentOrganisation.office_id == office.id).group_by(AgentOrganisation.id)).all())
    if not any(weights.values()):
        return 0
    changes = []
    for metric in SIGNUP_METRICS:
        # The organisations' agents bring most of the office's sign-ups, not all (commune staff, online).
        shares = spread(own.get(metric, 0) * 4 // 5, weights)
        changes += [(org_id, metric, value) for org_id, value in sorted(shares.items())]
    post_office = db.session.scalar(select(AgentOrganisation.id).where(
        AgentOrganisation.office_id == office.id, AgentOrganisation.kind == "post_office")
        .order_by(AgentOrganisation.id))
    if post_office is not None and own.get("conferences"):
        changes.append((post_office, "conferences", max(1, own["conferences"] // 3)))
    return campaign_services.save_targets(campaign, "organisation", changes, source="grid", office_id=office.id)


def _hamlets(campaign: Campaign, offices: list[Office]) -> int:
    """Each commune's sign-up targets spread over its hamlets by their households."""
    commune_targets: dict[int, dict[str, int]] = {}
    for commune_id, metric, value in db.session.execute(select(Target.commune_id, Target.metric, Target.value).where(
            Target.campaign_id == campaign.id, Target.level == "commune")):
        commune_targets.setdefault(commune_id, {})[metric] = value
    households = dict(db.session.execute(select(Household.hamlet_id, func.count()).group_by(Household.hamlet_id))
                      .all())
    created = 0
    for office in offices:
        for commune_id in db.session.scalars(select(Commune.id).where(Commune.office_id == office.id)
                                             .order_by(Commune.id)):
            own = commune_targets.get(commune_id)
            hamlets = list(db.session.scalars(select(Hamlet.id).where(Hamlet.commune_id == commune_id)))
            if not own or not hamlets:
                continue
            weights = {h: households.get(h, 0) or 1 for h in hamlets}
            changes = []
            for metric in SIGNUP_METRICS:
                changes += sorted((h, metric, v) for h, v in spread(own.get(metric, 0), weights).items())
            created += campaign_services.save_targets(campaign, "hamlet", changes, source="grid",
                                                      office_id=office.id)
    return created


def _organised_by_post_offices(province_id: int) -> int:
    """Some conferences the post office co-organised become its own (the office stays responsible)."""
    if db.session.scalar(select(func.count()).select_from(Event).where(
            Event.organiser_organisation_id.is_not(None))):
        return 0
    communes = select(Commune.id).where(Commune.province_id == province_id)
    events = list(db.session.scalars(select(Event).where(
        Event.kind == "conference", Event.co_organiser_id.is_not(None), Event.commune_id.in_(communes))
        .order_by(Event.id)))
    for event in events[::ORGANISED_EVERY]:
        event.organiser_organisation_id, event.co_organiser_id = event.co_organiser_id, None
    return 0
