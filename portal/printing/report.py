"""The results report of an event (biên bản kết quả hội nghị): attendance and sign-ups against what was planned.

Totals come from portal.results (the same counts as the Results tab). When the event belongs to a campaign the
report adds the commune's campaign targets and what the commune has achieved so far, counted as the progress
reports count them: confirmed sign-ups dated within the campaign, conferences held and people checked in at
held events.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy import case, func, select

from ..auth.models import User
from ..campaigns.models import Campaign, Target
from ..events.models import Event, Speaker, event_agents, event_speakers
from ..extensions import db
from ..i18n.formatting import format_number, format_percent, to_local
from ..org.models import Agent, AgentOrganisation
from ..results.models import Attendance, EventResult, SignUp
from ..results.services import totals
from . import offices
from .documents import _header
from .text import in_document_locale

HELD = ("held", "results_entered", "closed")
METRIC_LABELS = {
    "new_bhxh_tn": lazy_pgettext("document", "New voluntary social insurance participants"),
    "new_bhyt_hgd": lazy_pgettext("document", "New household health insurance participants"),
    "renewals": _l("Renewing participants (voluntary social insurance, health insurance)"),
    "conferences": _l("Outreach conferences held"), "attendees": _l("Conference attendances"),
}


def _percent(done: int, plan: int | None) -> str:
    return format_percent(100.0 * done / plan) if plan else ""


def _n(value: int | None) -> str:
    return "" if value is None else format_number(value)


def commune_progress(campaign: Campaign, commune_id: int) -> dict[str, int]:
    """What a commune has achieved in a campaign so far, per metric (the progress reports' rules)."""
    vn = ZoneInfo("Asia/Ho_Chi_Minh")
    start = datetime.combine(campaign.starts_on, datetime.min.time(), tzinfo=vn).astimezone(UTC)
    end = datetime.combine(campaign.ends_on + timedelta(days=1), datetime.min.time(), tzinfo=vn).astimezone(UTC)
    tn, yt, renewals = db.session.execute(
        select(func.sum(case(((SignUp.scheme == "bhxh_tn") & (SignUp.kind == "new"), 1), else_=0)),
               func.sum(case(((SignUp.scheme == "bhyt_hgd") & (SignUp.kind == "new"), 1), else_=0)),
               func.sum(case((SignUp.kind == "renewal", 1), else_=0)))
        .where(SignUp.status == "confirmed", SignUp.commune_id == commune_id,
               SignUp.signed_on.between(campaign.starts_on, campaign.ends_on))).one()
    held = db.session.scalar(select(func.count()).select_from(Event).where(
        Event.kind == "conference", Event.status.in_(HELD), Event.commune_id == commune_id,
        Event.starts_at >= start, Event.starts_at < end))
    people = db.session.scalar(select(func.count()).select_from(Attendance).join(Event, Event.id == Attendance.event_id)
                               .where(Event.status.in_(HELD), Event.commune_id == commune_id,
                                      Event.starts_at >= start, Event.starts_at < end))
    return {"new_bhxh_tn": int(tn or 0), "new_bhyt_hgd": int(yt or 0), "renewals": int(renewals or 0),
            "conferences": int(held or 0), "attendees": int(people or 0)}


def _people(event) -> dict:
    speakers = [f"{name}{f' ({position})' if position else ''}" for name, position in db.session.execute(
        select(Speaker.full_name, Speaker.position).join(event_speakers, event_speakers.c.speaker_id == Speaker.id)
        .where(event_speakers.c.event_id == event.id).order_by(Speaker.sort_key))]
    agents = list(db.session.scalars(select(Agent.full_name).join(event_agents, event_agents.c.agent_id == Agent.id)
                                     .where(event_agents.c.event_id == event.id).order_by(Agent.sort_key)))
    partner = db.session.get(AgentOrganisation, event.co_organiser_id) if event.co_organiser_id else None
    return {"speakers": speakers, "agents": agents, "partner": partner.name if partner else None}


def _local_government(commune: str) -> str:
    """The People's Committee of the place the meeting was held in ("UBND xã", "UBND phường", ...)."""
    return _("PC of %(division)s", division=offices.division(commune).lower())


@in_document_locale
def results_report(event) -> dict:
    """The context of ``report.html`` for an event."""
    t = totals(event.id)
    start = to_local(event.starts_at)
    head = _header(event)
    head["date"] = start.date()  # minutes are dated the day of the meeting
    commune = head.pop("commune")
    head["place"] = offices.without_division(commune)  # and drawn up where it was held
    result = db.session.get(EventResult, event.id)
    confirmed = None
    if result is not None and result.confirmed_at is not None:
        who = db.session.get(User, result.confirmed_by_id) if result.confirmed_by_id else None
        confirmed = {"on": to_local(result.confirmed_at).date(), "by": who.full_name if who else ""}
    # Each ratio compares like with like: people with people (the expected attendance), households with
    # households (the invitations, one per household).
    rows = [
        [_("People attending (people)"), _n(event.expected_attendance), _n(t.attended),
         _percent(t.attended, event.expected_attendance), False],
        [_("of whom: came with an invitation (people)"), "", _n(t.checked_in_invited), "", True],
        [_("of whom: came without an invitation (people)"), "", _n(t.walk_ins), "", True],
        [_("Invited households someone came from (households)"), _n(t.invited), _n(t.households_came),
         _percent(t.households_came, t.invited), False],
        [_("New voluntary social insurance sign-ups"), "", _n(t.bhxh_tn_new), "", False],
        [_("Voluntary social insurance renewals"), "", _n(t.bhxh_tn_renewal), "", False],
        [_("New household health insurance sign-ups"), "", _n(t.bhyt_new), "", False],
        [_("Household health insurance renewals"), "", _n(t.bhyt_renewal), "", False],
        [_("Amount paid by participants (dong)"), "", _n(t.amount_net), "", False],
        [_("State budget support (dong)"), "", _n(t.amount_support), "", False],
    ]
    campaign_rows, campaign_name = [], None
    if event.campaign_id:
        campaign = db.session.get(Campaign, event.campaign_id)
        targets = dict(db.session.execute(select(Target.metric, Target.value).where(
            Target.campaign_id == campaign.id, Target.level == "commune", Target.commune_id == event.commune_id)).all())
        achieved = commune_progress(campaign, event.commune_id)
        campaign_name = campaign.name
        for metric, label in METRIC_LABELS.items():
            plan = targets.get(metric)
            campaign_rows.append([str(label), _n(plan), _n(achieved[metric]), _percent(achieved[metric], plan)])
    return {
        **head, "title": _("Minutes of the conference's results"), "subtitle": event.title, "number": "……/BB-BHXH",
        "opening": _("At %(hour)s:%(minute)s on %(day)s/%(month)s/%(year)s, at %(venue)s, %(commune)s, %(office)s "
                     "held %(title)s.", hour=f"{start:%H}", minute=f"{start:%M}", day=f"{start.day:02d}",
                     month=f"{start.month:02d}", year=str(start.year), venue=event.venue, commune=commune,
                     office=head["issuer_name"], title=event.title),
        **_people(event), "attended": _n(t.attended), "invited_came": _n(t.checked_in_invited),
        "walk_ins": _n(t.walk_ins), "rows": rows, "campaign": campaign_name, "campaign_rows": campaign_rows,
        "commune": commune, "confirmed": confirmed, "local_gov": _local_government(commune),
        "notes": [line for line in (result.notes or "").splitlines() if line.strip()] if result else [],
    }
