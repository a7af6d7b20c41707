"""Demo campaigns: the two May campaign months before today, the coming one, and this week's work.

Everything is made through the portal's own services (the May campaign wizard, event saving and status
changes, pre-visit list building and splitting, visit outcomes, invitations, check-in, sign-ups priced by the
contribution calculator, confirmation of results), so every derived column is what the pages would have
written. Moments the services stamp with "now" (visits, check-ins, confirmations, creation times) are then moved
back to when the work would have happened.

- Last May (the most recent May that is over) is closed: about thirty conferences and a few door-to-door days in
  the communes of the demo offices, every one held with its results confirmed, spread over the month.
- The May before that is smaller and closed, so dashboards can compare with the same days of the year before.
- The coming May is active with its targets and a few scheduled events; one of them, in a commune of the demo
  agent, has its pre-visit list built and split and its invitations made, so its Documents tab prints them all.
- Outside any campaign, a conference next week whose visits have begun and one held last week whose results
  still wait for confirmation give the home pages something to do.

A campaign that already exists (by province and year) is left alone, so loading again adds nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from ..auth import roles
from ..auth.models import User
from ..campaigns import services as campaign_services
from ..campaigns.models import Campaign, Target
from ..campaigns.queries import may_campaign_of
from ..campaigns.wizard import create_may_campaign, spread
from ..events import services as event_services
from ..events.models import Event, Speaker
from ..extensions import db
from ..geo.models import Commune, Hamlet, Province
from ..households.models import Household, Person
from ..i18n.formatting import to_local
from ..org.models import Agent, AgentOrganisation, Office, agent_communes
from ..results import services as results
from ..results.models import Attendance, EventResult, Invitation, SignUp
from ..types import utcnow
from ..visits.models import Visit, VisitAssignment, VisitList
from .fieldwork import (
    Slot,
    add_event,
    assignments_of,
    build_list,
    event_title,
    hold_event,
    make_invitations,
    moment,
    record_visits,
)

#: Tables whose new rows are counted as records added.
_COUNTED = (Campaign, Target, Speaker, Event, VisitList, VisitAssignment, Visit, Invitation, Attendance, SignUp,
            EventResult, Household, Person)

#: Speakers (báo cáo viên) in each office's register: name and position (the office's name is appended).
_SPEAKERS = {
    "BHXH-15-NL": [("Nguyễn Văn Thành", "Phó Giám đốc"), ("Đỗ Thị Hải Yến", "Viên chức Tổ Quản lý thu"),
                   ("Lò Văn Khiêm", "Viên chức Tổ Truyền thông")],
    "BHXH-15-SP": [("Vũ Minh Tâm", "Giám đốc"), ("Giàng Thị Mai", "Viên chức Tổ Quản lý thu"),
                   ("Trần Quang Huy", "Viên chức Tổ Truyền thông")],
    "BHXH-15-BH": [("Hoàng Thị Thu Hà", "Phó Giám đốc"), ("Nông Văn Lợi", "Viên chức Tổ Quản lý thu"),
                   ("Lục Thị Hiền", "Viên chức Tổ Truyền thông")],
}

_CANCEL_REASON = "Mưa lớn kéo dài, đường vào thôn bị sạt lở; hội nghị sẽ tổ chức lại sau khi thông đường."


@dataclass(frozen=True)
class Size:
    """How big a May campaign of the demo is."""

    conferences: int
    field_days: int
    cancelled: int
    hamlets: tuple[int, int]  #: hamlets whose households go on a conference's list
    walk_ins: tuple[int, int]
    targets: dict[str, int]  #: province totals the wizard shares out by households


LAST_MAY = Size(30, 6, 1, (2, 3), (4, 11),
                {"new_bhxh_tn": 200, "new_bhyt_hgd": 140, "renewals": 50, "conferences": 32, "attendees": 900})
MAY_BEFORE = Size(13, 3, 0, (2, 2), (2, 7),
                  {"new_bhxh_tn": 80, "new_bhyt_hgd": 50, "renewals": 15, "conferences": 15, "attendees": 290})
COMING_MAY = {"new_bhxh_tn": 230, "new_bhyt_hgd": 160, "renewals": 60, "conferences": 36, "attendees": 1000}


def campaign_years(today: date) -> tuple[int, int, int]:
    """The May before last, last May (the latest May that is over) and the coming May."""
    last = today.year if today > date(today.year, 5, 31) else today.year - 1
    return last - 1, last, last + 1


# --- the territory ---------------------------------------------------------------------------------------------

@dataclass
class _Office:
    office: Office
    short: str
    communes: list[Commune]
    hamlets: dict[int, list[Hamlet]]
    agents: dict[int, list[int]]  #: commune id -> agents covering it
    officer: User
    co_organiser_id: int | None
    speakers: list[int] = field(default_factory=list)


@dataclass
class _World:
    province: Province
    province_officer: User
    offices: list[_Office]
    agent_users: dict[int, User]
    demo_agent: Agent | None  #: the agent with a login (the first by code): their communes always get events
    people: dict[int, list[Person]] = field(default_factory=dict)
    households: dict[int, dict[int, Household]] = field(default_factory=dict)
    by_household: dict[int, list[Person]] = field(default_factory=dict)
    #: (person, scheme) signed up in an earlier demo campaign: later sign-ups of theirs are renewals.
    signed_before: set[tuple[int, str]] = field(default_factory=set)
    #: (person, scheme) signed up in the campaign being made: one enrolment each, whatever the event.
    signed_now: set[tuple[int, str]] = field(default_factory=set)
    receipt: int = 0

    def office_of(self, commune_id: int) -> _Office:
        return next(o for o in self.offices if any(c.id == commune_id for c in o.communes))

    def all_communes(self) -> list[Commune]:
        return [c for o in self.offices for c in o.communes]

    def people_of(self, commune_id: int) -> list[Person]:
        """The people of a commune (read once)."""
        if commune_id not in self.people:
            self.people[commune_id] = list(db.session.scalars(
                select(Person).where(Person.commune_id == commune_id).order_by(Person.household_id, Person.id)))
            self.households[commune_id] = {h.id: h for h in db.session.scalars(
                select(Household).where(Household.commune_id == commune_id))}
            for person in self.people[commune_id]:
                self.by_household.setdefault(person.household_id, []).append(person)
        return self.people[commune_id]

    def household(self, commune_id: int, household_id: int) -> Household:
        self.people_of(commune_id)
        return self.households[commune_id][household_id]

    def members(self, commune_id: int, household_id: int) -> list[Person]:
        self.people_of(commune_id)
        return self.by_household.get(household_id, [])

    def user_for_agent(self, agent_id: int | None, office: _Office) -> tuple[User, bool]:
        """Who records an agent's work: the agent's own account (on the phone), or the officer from paper."""
        user = self.agent_users.get(agent_id) if agent_id else None
        return (user, False) if user is not None else (office.officer, True)


def _world(province_code: str) -> _World | None:
    province = db.session.scalar(select(Province).where(Province.code == province_code))
    if province is None:
        return None
    province_office = db.session.scalar(select(Office).where(Office.province_id == province.id,
                                                             Office.kind == "province").order_by(Office.id))
    officer = None
    if province_office is not None:
        officer = db.session.scalar(select(User).where(User.role == roles.PROVINCE_OFFICER,
                                                       User.office_id == province_office.id).order_by(User.id))
    officer = officer or db.session.scalar(select(User).where(User.role == roles.ADMIN).order_by(User.id))
    if officer is None:
        return None
    offices = []
    for office in db.session.scalars(select(Office).where(Office.province_id == province.id, Office.kind == "local")
                                     .order_by(Office.code)):
        communes = list(db.session.scalars(select(Commune).where(Commune.office_id == office.id)
                                           .order_by(Commune.id)))
        if not communes:
            continue
        hamlets: dict[int, list[Hamlet]] = {}
        for hamlet in db.session.scalars(select(Hamlet).where(Hamlet.commune_id.in_([c.id for c in communes]))
                                         .order_by(Hamlet.id)):
            hamlets.setdefault(hamlet.commune_id, []).append(hamlet)
        agents: dict[int, list[int]] = {}
        for agent_id, commune_id in db.session.execute(
                select(agent_communes.c.agent_id, agent_communes.c.commune_id)
                .join(Agent, Agent.id == agent_communes.c.agent_id)
                .where(agent_communes.c.commune_id.in_([c.id for c in communes]), Agent.active.is_(True))
                .order_by(agent_communes.c.agent_id)):
            agents.setdefault(commune_id, []).append(agent_id)
        local = db.session.scalar(select(User).where(User.role == roles.LOCAL_OFFICER, User.office_id == office.id,
                                                     User.active.is_(True)).order_by(User.id))
        post_office = db.session.scalar(select(AgentOrganisation.id).where(
            AgentOrganisation.office_id == office.id, AgentOrganisation.kind == "post_office")
            .order_by(AgentOrganisation.id))
        offices.append(_Office(office, office.code.rsplit("-", 1)[-1], communes, hamlets, agents, local or officer,
                               post_office))
    if not offices:
        return None
    agent_users = {u.agent_id: u for u in db.session.scalars(select(User).where(User.agent_id.is_not(None))
                                                              .order_by(User.id))}
    demo_agent = db.session.scalar(select(Agent).where(Agent.id.in_(list(agent_users))).order_by(Agent.code))
    return _World(province, officer, offices, agent_users, demo_agent)


def _load_speakers(world: _World) -> None:
    for office in world.offices:
        existing = {s.full_name: s for s in db.session.scalars(select(Speaker).where(
            Speaker.office_id == office.office.id))}
        for name, position in _SPEAKERS.get(office.office.code, []):
            speaker = existing.get(name)
            if speaker is None:
                speaker = event_services.save_speaker(
                    None, full_name=name, position=f"{position} {office.office.name}", phone=None,
                    office_id=office.office.id, active=True)
            office.speakers.append(speaker.id)


# --- small helpers ---------------------------------------------------------------------------------------------

_DAY_WEIGHTS = [6 if d <= 6 else 3 if d <= 13 else 2 if d <= 23 else 4 for d in range(1, 32)]


class _Planner:
    """Chooses days so that no agent, speaker or venue is booked twice on a day."""

    def __init__(self, rng: random.Random, year: int):
        self.rng, self.year = rng, year
        self.busy: set[tuple[str, int, date]] = set()

    def free(self, slot: Slot, day: date) -> bool:
        keys = [("agent", a, day) for a in slot.office.agents.get(slot.commune.id, [])]
        return ("commune", slot.commune.id, day) not in self.busy and not any(k in self.busy for k in keys)

    def place(self, slot: Slot, days: list[date] | None = None) -> bool:
        days = days or [date(self.year, 5, d) for d in range(1, 32)]
        weights = _DAY_WEIGHTS[:len(days)] if len(days) == 31 else [1] * len(days)
        for _ in range(60):
            day = self.rng.choices(days, weights)[0]
            if self.free(slot, day):
                break
        else:
            return False
        slot.day = day
        for agent_id in slot.office.agents.get(slot.commune.id, []):
            self.busy.add(("agent", agent_id, day))
        self.busy.add(("commune", slot.commune.id, day))
        if slot.kind == "conference":
            speakers = [s for s in slot.office.speakers if ("speaker", s, day) not in self.busy]
            slot.speaker_id = self.rng.choice(speakers) if speakers else None
            if slot.speaker_id:
                self.busy.add(("speaker", slot.speaker_id, day))
        return True


def _slot(world: _World, rng: random.Random, kind: str, commune: Commune, hamlets: tuple[int, int]) -> Slot:
    office = world.office_of(commune.id)
    own = office.hamlets.get(commune.id, [])
    count = min(len(own), rng.randint(*hamlets)) if kind == "conference" else min(len(own), rng.randint(1, 2))
    chosen = rng.sample(own, count)
    at_hamlet = kind == "door_to_door" or rng.random() < 0.6
    return Slot(kind, commune, office, date(2000, 1, 1), morning=rng.random() < 0.7,
                 hamlet=chosen[0] if at_hamlet and chosen else None, list_hamlets=[h.id for h in chosen])


def _demo_communes(world: _World) -> list[Commune]:
    """The communes of the demo agent, in their order."""
    if world.demo_agent is None:
        return []
    ids = set(db.session.scalars(select(agent_communes.c.commune_id).where(
        agent_communes.c.agent_id == world.demo_agent.id)))
    return [c for c in world.all_communes() if c.id in ids]


def _agent_targets(world: _World, campaign: Campaign) -> None:
    """Share each office's targets among its agents by the households of their communes (as the office's grid
    would be filled)."""
    office_targets = {}
    for office_id, metric, value in db.session.execute(select(Target.office_id, Target.metric, Target.value).where(
            Target.campaign_id == campaign.id, Target.level == "office")):
        office_targets.setdefault(office_id, {})[metric] = value
    households = dict(db.session.execute(select(Household.commune_id, func.count()).group_by(Household.commune_id)).all())
    for office in world.offices:
        weights: dict[int, int] = {}
        for commune in office.communes:
            agents = office.agents.get(commune.id, [])
            for agent_id in agents:
                weights[agent_id] = weights.get(agent_id, 0) + households.get(commune.id, 0) // len(agents)
        if not weights or not any(weights.values()):
            continue
        changes = []
        for metric in ("new_bhxh_tn", "new_bhyt_hgd", "renewals"):
            shares = spread(office_targets.get(office.office.id, {}).get(metric, 0), weights)
            changes += [(agent_id, metric, value) for agent_id, value in sorted(shares.items())]
        campaign_services.save_targets(campaign, "agent", changes, source="grid", office_id=office.office.id)


def _new_campaign(world: _World, year: int, numbers: dict[str, int]) -> Campaign:
    campaign = create_may_campaign(province_id=world.province.id, year=year, basis="households", numbers=numbers,
                                   user=world.province_officer)
    campaign.created_at = moment(date(year, 3, 18), time(9, 0))
    campaign.notes = (f"Kế hoạch tổ chức Tháng vận động năm {year}: ra quân đồng loạt tuần đầu tháng 5, hội nghị "
                      "tuyên truyền tại các xã, phường; đại lý thu đến từng hộ trước hội nghị.")
    _agent_targets(world, campaign)
    campaign_services.change_status(campaign, "active")
    return campaign


def _past_may(world: _World, year: int, size: Size, rng: random.Random) -> None:
    """A May campaign that is over: targets, events held with results confirmed, one cancelled; closed."""
    campaign = _new_campaign(world, year, size.targets)
    planner = _Planner(rng, year)
    communes = world.all_communes()
    must = _demo_communes(world)
    others = [c for c in communes if c not in must]
    chosen = must + rng.sample(others, min(len(others), max(0, size.conferences - len(must))))
    slots = [_slot(world, rng, "conference", c, size.hamlets) for c in chosen]
    field_communes = must[:1] + rng.sample(others, min(len(others), max(0, size.field_days - 1)))
    slots += [_slot(world, rng, "door_to_door", c, size.hamlets) for c in field_communes[:size.field_days]]
    placed = [s for s in slots if planner.place(s)]
    placed.sort(key=lambda s: (s.day, s.commune.id))
    end = campaign.ends_on
    signed: set[tuple[int, str]] = set()
    world.signed_now = set()
    for index, slot in enumerate(placed):
        event = add_event(world, slot, campaign)
        signed |= hold_event(world, event, slot, size.walk_ins, rng, end, close=index % 5 != 0)
    for commune in rng.sample(others, size.cancelled):
        slot = _slot(world, rng, "conference", commune, size.hamlets)
        if planner.place(slot):
            event = add_event(world, slot, campaign)
            event_services.cancel(event, _CANCEL_REASON)
    world.signed_before |= signed
    campaign_services.change_status(campaign, "closed")


def _coming_may(world: _World, year: int, rng: random.Random, now: datetime) -> None:
    """The coming May: active, with targets and scheduled events; the first (in the demo agent's commune) with its
    list built and split and its letters made, a second with its list, the others only planned."""
    campaign = _new_campaign(world, year, COMING_MAY)
    planner = _Planner(rng, year)
    today = to_local(now).date()
    days = [d for d in (date(year, 5, n) for n in range(1, 32)) if d > today + timedelta(days=2)]
    days = days or [today + timedelta(days=n) for n in range(3, 20)]
    must = _demo_communes(world)
    communes = world.all_communes()
    by_office = {o.office.id: [c for c in o.communes if c not in must] for o in world.offices}
    picks = [(must[-1] if must else communes[0], "conference", "scheduled", True, True)]
    if must[:1] and must[0] != picks[0][0]:
        picks.append((must[0], "door_to_door", "draft", False, False))
    first_office = world.office_of(picks[0][0].id)
    picks.append((rng.choice(by_office[first_office.office.id]), "conference", "scheduled", True, False))
    for office in world.offices:
        if office is not first_office and by_office[office.office.id]:
            picks.append((rng.choice(by_office[office.office.id]), "conference", "scheduled", False, False))
    launch = [d for d in days if d.day <= 6] or days
    for commune, kind, status, with_list, with_letters in picks:
        slot = _slot(world, rng, kind, commune, (3, 3))
        if not planner.place(slot, launch if kind == "conference" else days):
            continue
        event = add_event(world, slot, campaign, status=status)
        if with_list:
            build_list(world, event, slot)
            if with_letters:
                for assignment in assignments_of(db.session.scalar(select(VisitList).where(
                        VisitList.event_id == event.id))):
                    letter = results.invite(event, assignment.household_id, agent_id=assignment.agent_id)
                    letter.delivered_at = None  # printed, to be handed over on the visits


def _current_work(world: _World, rng: random.Random, now: datetime) -> None:
    """Outside any campaign: a conference next week in the demo agent's commune whose visits are under way, and one
    held last week in another commune of the same office whose results are not confirmed yet."""
    must = _demo_communes(world)
    if not must:
        return
    today = to_local(now).date()
    office = world.office_of(must[0].id)
    coming = _slot(world, rng, "conference", must[0], (2, 2))
    coming.day, coming.morning = today + timedelta(days=6), True
    coming.speaker_id = office.speakers[0] if office.speakers else None
    others = [c for c in office.communes if c not in must and office.agents.get(c.id)]
    held = _slot(world, rng, "conference", others[0] if others else must[-1], (2, 2))
    held.day, held.morning = today - timedelta(days=5), False
    held.speaker_id = office.speakers[-1] if office.speakers else None
    for slot in (coming, held):
        if db.session.scalar(select(Event.id).where(Event.commune_id == slot.commune.id,
                                                    Event.title == event_title(slot), Event.campaign_id.is_(None))):
            continue  # loaded before
        event = add_event(world, slot, None, created_days_before=12)
        if slot is coming:
            visit_list = build_list(world, event, slot)
            invited_at = record_visits(world, event, office, visit_list, rng, field_day=False, share=0.45, until=now)
            make_invitations(event, invited_at)
        else:
            hold_event(world, event, slot, (2, 5), rng, slot.day + timedelta(days=5), confirm=False)


def row_counts() -> dict[str, int]:
    """Rows of the tables the demo campaigns write (for the count of records added)."""
    return {m.__tablename__: db.session.scalar(select(func.count()).select_from(m)) or 0 for m in _COUNTED}


def load_campaigns(today: date, province_code: str = "15", now: datetime | None = None) -> int:
    """Create the demo campaigns that are missing; return how many records were added (caller commits)."""
    db.session.flush()
    world = _world(province_code)
    if world is None:
        return 0
    before = row_counts()
    now = now or utcnow()
    older, last, coming = campaign_years(today)
    _load_speakers(world)
    for year, size in ((older, MAY_BEFORE), (last, LAST_MAY)):
        if may_campaign_of(world.province.id, year) is None:
            _past_may(world, year, size, random.Random(year))
        else:
            world.signed_before |= {(person_id, scheme) for person_id, scheme in db.session.execute(
                select(SignUp.person_id, SignUp.scheme).join(Commune, Commune.id == SignUp.commune_id).where(
                    Commune.province_id == world.province.id,
                    SignUp.signed_on.between(date(year, 5, 1), date(year, 5, 31))))}
    if may_campaign_of(world.province.id, coming) is None:
        _coming_may(world, coming, random.Random(coming), now)
    _current_work(world, random.Random(7), now)
    db.session.flush()
    after = row_counts()
    return sum(after[k] - before[k] for k in after)
