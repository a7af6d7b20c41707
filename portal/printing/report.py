"""The results report of an event (biên bản kết quả hội nghị): attendance and sign-ups against what was planned.

Totals come from portal.results (the same counts as the Results tab). When the event belongs to a campaign the
report adds the commune's campaign targets and what the commune has achieved so far, counted as the progress
reports count them: confirmed sign-ups dated within the campaign, conferences held and people checked in at
held events.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select

from ..auth.models import User
from ..campaigns.models import Campaign, Target
from ..events.models import Event, Speaker, event_agents, event_speakers
from ..extensions import db
from ..i18n.formatting import format_number, format_percent, to_local
from ..org.models import Agent, AgentOrganisation
from ..results.models import Attendance, EventResult, SignUp
from ..results.services import totals
from .documents import _header
from .labels import METRIC_VI

HELD = ("held", "results_entered", "closed")


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
    for prefix in ("Đặc khu", "Phường", "Xã"):
        if commune.startswith(prefix):
            return "UBND " + prefix.lower()
    return "UBND xã"


def results_report(event) -> dict:
    """The context of ``report.html`` for an event."""
    t = totals(event.id)
    start = to_local(event.starts_at)
    head = _header(event)
    head["date"] = start.date()  # minutes are dated the day of the meeting
    commune = head.pop("commune")
    head["place"] = commune.replace("Xã ", "").replace("Phường ", "")  # and drawn up where it was held
    result = db.session.get(EventResult, event.id)
    confirmed = None
    if result is not None and result.confirmed_at is not None:
        who = db.session.get(User, result.confirmed_by_id) if result.confirmed_by_id else None
        confirmed = {"on": to_local(result.confirmed_at).date(), "by": who.full_name if who else ""}
    # Each ratio compares like with like: people with people (the expected attendance), households with
    # households (the invitations, one per household).
    rows = [
        ["Người dân tham dự (người)", _n(event.expected_attendance), _n(t.attended),
         _percent(t.attended, event.expected_attendance)],
        ["trong đó: đến theo giấy mời (người)", "", _n(t.checked_in_invited), ""],
        ["trong đó: không có giấy mời (người)", "", _n(t.walk_ins), ""],
        ["Hộ được mời có người đến (hộ)", _n(t.invited), _n(t.households_came),
         _percent(t.households_came, t.invited)],
        ["Đăng ký tham gia BHXH tự nguyện mới", "", _n(t.bhxh_tn_new), ""],
        ["Tái tục BHXH tự nguyện", "", _n(t.bhxh_tn_renewal), ""],
        ["Đăng ký tham gia BHYT hộ gia đình mới", "", _n(t.bhyt_new), ""],
        ["Tái tục BHYT hộ gia đình", "", _n(t.bhyt_renewal), ""],
        ["Số tiền người tham gia đóng (đồng)", "", _n(t.amount_net), ""],
        ["Ngân sách nhà nước hỗ trợ (đồng)", "", _n(t.amount_support), ""],
    ]
    campaign_rows, campaign_name = [], None
    if event.campaign_id:
        campaign = db.session.get(Campaign, event.campaign_id)
        targets = dict(db.session.execute(select(Target.metric, Target.value).where(
            Target.campaign_id == campaign.id, Target.level == "commune", Target.commune_id == event.commune_id)).all())
        achieved = commune_progress(campaign, event.commune_id)
        campaign_name = campaign.name
        for metric, label in METRIC_VI.items():
            plan = targets.get(metric)
            campaign_rows.append([label, _n(plan), _n(achieved[metric]), _percent(achieved[metric], plan)])
    return {
        **head, "title": "Biên bản kết quả hội nghị", "subtitle": event.title, "number": "……/BB-BHXH",
        "opening": (f"Hồi {start:%H} giờ {start:%M} ngày {start.day:02d} tháng {start.month:02d} năm {start.year}, "
                    f"tại {event.venue}, {commune}, {head['issuer_name']} tổ chức {event.title}."),
        **_people(event), "attended": _n(t.attended), "invited_came": _n(t.checked_in_invited),
        "walk_ins": _n(t.walk_ins), "rows": rows, "campaign": campaign_name, "campaign_rows": campaign_rows,
        "commune": commune, "confirmed": confirmed, "local_gov": _local_government(commune),
        "notes": [line for line in (result.notes or "").splitlines() if line.strip()] if result else [],
    }
