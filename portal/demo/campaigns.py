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
from ..i18n.formatting import LOCAL_TZ, to_local
from ..org.models import Agent, AgentOrganisation, Office, agent_communes
from ..printing.services import set_leaflet_audience
from ..results import services as results
from ..results.models import Attendance, EventResult, Invitation, SignUp
from ..types import utcnow
from ..visits import building
from ..visits.models import Visit, VisitAssignment, VisitList
from ..visits.services import audit_list_change, record_outcome
from .households import _GROUPS, _person_name

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

#: How a visit ended (final outcome on the list; None: not visited in time), before a conference / on a field day.
_CONFERENCE_OUTCOMES = (["invited", "consulted", "interested", "declined", "already_insured", "not_home", None],
                        [50, 11, 8, 10, 5, 10, 6])
_FIELD_DAY_OUTCOMES = (["consulted", "interested", "declined", "already_insured", "not_home", None],
                       [30, 24, 14, 8, 16, 8])
_DECLINE_REASONS = (["no_money", "not_interested", "too_old", "has_other_insurance", "distrust", "away", "other"],
                    [34, 18, 10, 6, 10, 16, 6])
_MODES = (["monthly", "every_3_months", "every_6_months", "every_12_months"], [30, 20, 15, 35])
_RURAL_INCOMES = ([1_500_000, 2_000_000, 2_500_000, 3_000_000], [70, 18, 7, 5])
_TOWN_INCOMES = ([1_500_000, 2_000_000, 3_000_000, 4_000_000, 5_000_000, 7_000_000], [35, 20, 20, 10, 10, 5])
_COVERAGE = ["not_participating", "stopped_paying", "bhyt_expiring"]
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

def _lower_first(name: str) -> str:
    """"Xã Khao Mang" -> "xã Khao Mang" (as inside a sentence)."""
    return name[:1].lower() + name[1:]


def _moment(day: date, at: time) -> datetime:
    return event_services.local_moment(day, at)


def _age(person: Person, on: date) -> int | None:
    born = person.date_of_birth
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _pick(rng: random.Random, table):
    return rng.choices(table[0], table[1])[0]


def _receipt(world: _World, office: _Office, year: int) -> str:
    world.receipt += 1
    return f"{year % 100:02d}{office.short}-{world.receipt:05d}"


@dataclass
class _Slot:
    """An event to be made: what, where, when."""

    kind: str
    commune: Commune
    office: _Office
    day: date
    morning: bool = True
    hamlet: Hamlet | None = None
    list_hamlets: list[int] = field(default_factory=list)
    speaker_id: int | None = None


def _event(world: _World, slot: _Slot, campaign: Campaign | None, *, status: str = "scheduled",
           created_days_before: int = 20) -> Event:
    """Save an event as an officer of its office would, with speakers, agents, audience and leaflet variant."""
    office, commune, hamlet = slot.office, slot.commune, slot.hamlet
    place = f"{_lower_first(hamlet.name)}, {_lower_first(commune.name)}" if hamlet else _lower_first(commune.name)
    town = commune.division_type == "phường"
    if slot.kind == "door_to_door":
        title = f"Ra quân vận động BHXH tự nguyện, BHYT hộ gia đình tại {place}"
        venue = f"Các hộ gia đình {_lower_first(hamlet.name)}" if hamlet else f"Các thôn {_lower_first(commune.name)}"
        start, end = (time(7, 30), time(11, 30)) if slot.morning else (time(13, 30), time(17, 0))
        expected = None
    else:
        title = _event_title(slot)
        venue = f"Nhà văn hóa {_lower_first(hamlet.name)}" if hamlet else f"Hội trường UBND {_lower_first(commune.name)}"
        start, end = (time(8, 0), time(11, 0)) if slot.morning else (time(14, 0), time(16, 30))
        expected = 20 + 5 * len(slot.list_hamlets or [1])
    fields = {"kind": slot.kind, "title": title, "commune_id": commune.id, "hamlet_id": hamlet.id if hamlet else None,
              "venue": venue, "starts_at": _moment(slot.day, start), "ends_at": _moment(slot.day, end),
              "organiser_office_id": office.office.id, "co_organiser_id": office.co_organiser_id,
              "campaign_id": campaign.id if campaign else None, "expected_attendance": expected,
              "notes": "Phối hợp UBND xã, Bưu điện và các hội, đoàn thể." if slot.kind == "conference" else None}
    audience = ["household_business", "small_trader"] if town else ["near_poor", "new_rural"]
    if slot.kind == "door_to_door":
        audience = ["near_poor"] if not town else ["household_business"]
    event = event_services.save(None, fields, speakers=[slot.speaker_id] if slot.speaker_id else [],
                                agents=office.agents.get(commune.id, []), audience=audience, user=office.officer,
                                status=status)
    event.created_at = min(_moment(slot.day - timedelta(days=created_days_before), time(9, 15)),
                           utcnow() - timedelta(hours=3))
    people = world.people_of(commune.id)
    minority = sum(p.ethnic_minority for p in people) > len(people) / 2
    set_leaflet_audience(event, "town" if town else "ethnic" if minority else "low_income")
    return event


def _build_list(world: _World, event: Event, slot: _Slot) -> VisitList:
    """Build the event's list from criteria as the officer's form does, and split it among the agents."""
    criteria = building.Criteria(hamlet_ids=slot.list_hamlets, coverage=list(_COVERAGE), min_age=18, max_age=60)
    visit_list, added = building.build_list(event, criteria, slot.office.officer)
    audit_list_change("visit_list.build", visit_list, added=added, criteria=criteria.as_json())
    visit_list.created_at = min(event.created_at + timedelta(days=2), utcnow() - timedelta(hours=1))
    split = building.split_among_agents(visit_list, slot.office.agents.get(slot.commune.id, []))
    audit_list_change("visit_list.split", visit_list, assigned=split.assigned, unassigned=split.unassigned)
    return visit_list


def _assignments(visit_list: VisitList) -> list[VisitAssignment]:
    return list(db.session.scalars(select(VisitAssignment).where(VisitAssignment.visit_list_id == visit_list.id)
                                   .order_by(VisitAssignment.row_number)))


def _visit(world: _World, event: Event, office: _Office, assignment: VisitAssignment, outcome: str, at: datetime,
           rng: random.Random) -> None:
    """Record one visit outcome and move it to when it happened."""
    user, from_paper = world.user_for_agent(assignment.agent_id, office)
    day = to_local(at).date()
    visit = record_outcome(
        assignment, outcome=outcome, user=user, from_paper=from_paper,
        decline_reason=_pick(rng, _DECLINE_REASONS) if outcome == "declined" else None,
        expected_attendees=rng.choices([1, 2, 3], [65, 28, 7])[0] if outcome == "invited" else None,
        follow_up_on=day + timedelta(days=2) if outcome == "not_home" else
        to_local(event.starts_at).date() if outcome == "interested" else None)
    visit.recorded_at = at
    visit.after_event = at >= event.starts_at
    if visit.person_id is None:
        assignment.outcome_at = at


def _visits(world: _World, event: Event, office: _Office, visit_list: VisitList, rng: random.Random, *,
            field_day: bool, share: float = 1.0, until: datetime | None = None) -> dict[int, datetime]:
    """Record the visits of a list (all of them, or the first ``share`` of it, up to ``until``); return the
    moment each household was invited."""
    table = _FIELD_DAY_OUTCOMES if field_day else _CONFERENCE_OUTCOMES
    start = to_local(event.starts_at)
    invited_at: dict[int, datetime] = {}
    rows = _assignments(visit_list)
    for index, assignment in enumerate(rows):
        if index >= len(rows) * share:
            break
        outcome = _pick(rng, table)
        if outcome is None or assignment.agent_id is None:
            continue
        if field_day:
            at = start + timedelta(minutes=rng.randint(10, 200))
        else:
            at = datetime.combine(start.date() - timedelta(days=rng.randint(1, 9)),
                                  time(rng.randint(7, 18), rng.choice([0, 10, 20, 30, 40, 50])), tzinfo=LOCAL_TZ)
        if until is not None and at >= until:
            at = until - timedelta(hours=rng.randint(2, 40))
        if outcome != "not_home" and rng.random() < 0.18:  # nobody home the first time
            _visit(world, event, office, assignment, "not_home", at - timedelta(days=rng.randint(1, 2)), rng)
        _visit(world, event, office, assignment, outcome, at, rng)
        if outcome == "invited":
            invited_at[assignment.household_id] = at
    return invited_at


def _invitations(event: Event, invited_at: dict[int, datetime]) -> list[Invitation]:
    """The letters of the households recorded as invited, handed over at the visit; the sheet is numbered."""
    results.invitations_from_visits(event)
    letters = list(db.session.scalars(select(Invitation).where(Invitation.event_id == event.id)))
    for letter in letters:
        at = invited_at.get(letter.household_id)
        if at is not None:
            letter.delivered_at = letter.created_at = at
    results.number_sheet(event)  # the attendance sheet was printed before the day
    return letters


# --- results: attendance and sign-ups --------------------------------------------------------------------------

class _Results:
    """Check-ins and sign-ups of one held event, made with the results services."""

    def __init__(self, world: _World, event: Event, office: _Office, rng: random.Random, campaign_end: date):
        self.world, self.event, self.office, self.rng = world, event, office, rng
        self.day = to_local(event.starts_at).date()
        self.campaign_end = max(campaign_end, self.day)
        self.commune = db.session.get(Commune, event.commune_id)
        self.town = self.commune.division_type == "phường"
        self.signed: set[tuple[int, str]] = set()
        self.signups: list[SignUp] = []

    def check_ins(self, letters: list[Invitation], walk_ins: tuple[int, int], list_hamlets: list[int]) -> set[int]:
        """Most invited households come (some with a second member); a few people walk in. Returns the
        households that came."""
        rng, event, officer = self.rng, self.event, self.office.officer
        start = event.starts_at
        came: set[int] = set()
        for letter in sorted(letters, key=lambda i: i.sheet_row or 0):
            if rng.random() >= 0.8:
                continue
            attendance, _new = results.check_in(event, invitation=letter, user=officer, from_paper=True)
            attendance.checked_in_at = start + timedelta(minutes=rng.randint(-25, 20))
            came.add(letter.household_id)
            if rng.random() < 0.35 + 0.2 * (letter.expected_attendees > 1):
                others = [p for p in self.world.members(event.commune_id, letter.household_id)
                          if p.relation_to_head != "head" and (_age(p, self.day) or 0) >= 18]
                if others:
                    second, _new = results.check_in(event, person=rng.choice(others), user=officer, from_paper=True)
                    second.checked_in_at = attendance.checked_in_at
        invited = {i.household_id for i in letters}
        hamlets = {h.id: h for h in self.world.office_of(event.commune_id).hamlets.get(event.commune_id, [])}
        near = [p for p in self.world.people_of(event.commune_id) if p.household_id not in invited
                and p.relation_to_head in ("head", "spouse") and (not list_hamlets or p.hamlet_id in list_hamlets)]
        for person in rng.sample(near, min(len(near), rng.randint(*walk_ins))):
            household = self.world.household(event.commune_id, person.household_id)
            attendance, new = results.add_walk_in(event, name=person.full_name, phone=household.phone,
                                                  hamlet=hamlets[person.hamlet_id], cccd=None, user=officer,
                                                  person=person)
            if new:
                attendance.checked_in_at = start + timedelta(minutes=rng.randint(0, 45))
                came.add(person.household_id)
        if rng.random() < 0.4 and list_hamlets:  # someone the registry did not know yet
            group = rng.choice(_GROUPS)
            sex = rng.choice(["male", "female"])
            name = _person_name(rng, rng.choice(group[0]), group, sex)
            phone = rng.choice(["09", "08", "03"]) + f"{rng.randrange(10**8):08d}"
            attendance, new = results.add_walk_in(event, name=name, phone=phone, hamlet=hamlets[list_hamlets[0]],
                                                  cccd=None, user=officer)
            if new:
                attendance.checked_in_at = start + timedelta(minutes=rng.randint(5, 50))
        return came

    def _sign_day(self) -> date:
        if self.rng.random() < 0.8:
            return self.day
        return min(self.day + timedelta(days=self.rng.randint(1, 4)), self.campaign_end)

    def _record(self, person: Person, scheme: str, kind: str, on: date, agent_id: int | None,
                sheet_rows: dict[int, int], **amounts) -> None:
        user, _paper = self.world.user_for_agent(agent_id, self.office)
        signup, _new = results.record_signup(
            person, scheme=scheme, kind=kind, signed_on=on, user=user, event=self.event, agent_id=agent_id,
            receipt_number=_receipt(self.world, self.office, on.year) if self.rng.random() < 0.85 else None,
            sheet_row=sheet_rows.get(person.household_id) if on == self.day else None, **amounts)
        signup.created_at = datetime.combine(on, time(self.rng.randint(10, 20), self.rng.randint(0, 59)),
                                             tzinfo=LOCAL_TZ)
        self.signed.add((person.id, scheme))
        self.signups.append(signup)

    def bhxh_tn(self, household_id: int, on: date, agent_id: int | None, sheet_rows: dict[int, int],
                prefer: tuple[int, ...] | list[int] = ()) -> bool:
        """One adult of the household signs up for voluntary social insurance (if anyone can)."""
        rng = self.rng
        members = self.world.members(self.event.commune_id, household_id)
        able = [p for p in members if 18 <= (_age(p, on) or 0) <= 58 and not p.compulsory_insured
                and (p.id, "bhxh_tn") not in self.signed]
        if not able:
            return False
        chosen = [p for p in able if p.id in prefer] or able
        person = rng.choice(chosen)
        renewal = person.bhxh_tn_status in ("participating", "stopped") or \
            (person.id, "bhxh_tn") in self.world.signed_before
        household = self.world.household(self.event.commune_id, household_id)
        mode = _pick(rng, _MODES)
        if household.poverty_status != "none" and mode == "every_12_months":
            mode = "monthly"
        self._record(person, "bhxh_tn", "renewal" if renewal else "new", on, agent_id, sheet_rows,
                     income=_pick(rng, _TOWN_INCOMES if self.town else _RURAL_INCOMES), mode=mode)
        return True

    def bhyt_hgd(self, household_id: int, on: date, agent_id: int | None, sheet_rows: dict[int, int]) -> bool:
        """Household health insurance for the members without a card (new) or whose card runs out within three
        months (renewal). Poor households and small children have free cards; people in compulsory insurance
        are covered at work."""
        household = self.world.household(self.event.commune_id, household_id)
        if household.poverty_status == "poor":
            return False
        soon = on + timedelta(days=90)
        members = []
        for person in self.world.members(self.event.commune_id, household_id):
            if (_age(person, on) or 30) < 6 or person.compulsory_insured or (person.id, "bhyt_hgd") in self.signed:
                continue
            if (person.id, "bhyt_hgd") in self.world.signed_before or (
                    person.bhyt_expires_on is not None and person.bhyt_expires_on <= soon):
                members.append((person, "renewal"))
            elif person.bhyt_expires_on is None:
                members.append((person, "new"))
        if not members:
            return False
        members.sort(key=lambda m: (m[0].relation_to_head != "head", m[0].relation_to_head != "spouse", m[0].id))
        count = min(len(members), self.rng.choices([1, 2, 3, 4], [25, 35, 25, 15])[0])
        months = self.rng.choices([12, 6], [80, 20])[0]
        for order, (person, kind) in enumerate(members[:count], start=1):
            self._record(person, "bhyt_hgd", kind, on, agent_id, sheet_rows, member_order=order, months=months)
        return True

    def confirm(self, *, close: bool) -> None:
        """Confirm the results a day or two after the event (and close the event, as most are)."""
        db.session.flush()  # the confirmation updates the sign-ups in one statement, behind the session's back
        result = results.confirm_results(self.event, self.office.officer)
        for signup in self.signups:
            db.session.expire(signup)
        last = db.session.scalar(select(func.max(SignUp.signed_on)).where(SignUp.event_id == self.event.id))
        day = max(self.day, last or self.day) + timedelta(days=self.rng.randint(1, 3))
        result.confirmed_at = datetime.combine(day, time(16, self.rng.randint(0, 59)), tzinfo=LOCAL_TZ)
        totals = results.totals(self.event.id)
        result.notes = (f"Hội nghị có {totals.attended} người tham dự; {totals.bhxh_tn_new + totals.bhxh_tn_renewal} "
                        f"người đăng ký BHXH tự nguyện, {totals.bhyt_new + totals.bhyt_renewal} người đăng ký BHYT "
                        "hộ gia đình." if self.event.kind == "conference" else
                        f"Ra quân tại hộ gia đình; {totals.bhxh_tn_new + totals.bhxh_tn_renewal} người đăng ký BHXH "
                        f"tự nguyện, {totals.bhyt_new + totals.bhyt_renewal} người đăng ký BHYT hộ gia đình.")
        if close:
            event_services.change_status(self.event, "closed")


def _held_event(world: _World, event: Event, slot: _Slot, size_walk_ins: tuple[int, int], rng: random.Random,
                campaign_end: date, *, confirm: bool = True, close: bool = False) -> set[tuple[int, str]]:
    """Everything of an event that took place: its list and visits, letters, attendance, sign-ups, results."""
    office = slot.office
    field_day = slot.kind == "door_to_door"
    visit_list = _build_list(world, event, slot)
    invited_at = _visits(world, event, office, visit_list, rng, field_day=field_day)
    event_services.change_status(event, "held", now=event.starts_at)
    outcome_of = {a.household_id: (a.outcome, a.agent_id) for a in _assignments(visit_list)}
    default_agent = (office.agents.get(slot.commune.id) or [None])[0]
    done = _Results(world, event, office, rng, campaign_end)
    if field_day:
        for household_id, (outcome, agent_id) in outcome_of.items():
            if outcome not in ("consulted", "interested"):
                continue
            signed = rng.random() < 0.4 and done.bhxh_tn(household_id, done.day, agent_id, {})
            if rng.random() < (0.25 if signed else 0.35):
                done.bhyt_hgd(household_id, done.day, agent_id, {})
    else:
        letters = _invitations(event, invited_at)
        came = done.check_ins(letters, size_walk_ins, slot.list_hamlets)
        rows = {i.household_id: i.sheet_row for i in letters}
        agent_of = {i.household_id: i.agent_id for i in letters}
        attendees = {}
        for household_id, person_id in db.session.execute(select(Attendance.household_id, Attendance.person_id).where(
                Attendance.event_id == event.id, Attendance.household_id.is_not(None))):
            attendees.setdefault(household_id, []).append(person_id)
        for household_id in sorted(came):
            agent_id = agent_of.get(household_id) or outcome_of.get(household_id, (None, None))[1] or default_agent
            if rng.random() < 0.32:
                done.bhxh_tn(household_id, done._sign_day(), agent_id, rows, prefer=attendees.get(household_id, []))
            if rng.random() < 0.26:
                done.bhyt_hgd(household_id, done._sign_day(), agent_id, rows)
        for household_id, (outcome, agent_id) in outcome_of.items():  # signed up at home after the conference
            if outcome == "interested" and household_id not in came and rng.random() < 0.3:
                later = min(done.day + timedelta(days=rng.randint(1, 5)), done.campaign_end)
                done.bhxh_tn(household_id, later, agent_id, {})
    if confirm:
        done.confirm(close=close)
    return done.signed


# --- planning a May ---------------------------------------------------------------------------------------------

#: Weight of each day of May: the launch week, the middle of the month, the final push.
_DAY_WEIGHTS = [6 if d <= 6 else 3 if d <= 13 else 2 if d <= 23 else 4 for d in range(1, 32)]


class _Planner:
    """Chooses days so that no agent, speaker or venue is booked twice on a day."""

    def __init__(self, rng: random.Random, year: int):
        self.rng, self.year = rng, year
        self.busy: set[tuple[str, int, date]] = set()

    def free(self, slot: _Slot, day: date) -> bool:
        keys = [("agent", a, day) for a in slot.office.agents.get(slot.commune.id, [])]
        return ("commune", slot.commune.id, day) not in self.busy and not any(k in self.busy for k in keys)

    def place(self, slot: _Slot, days: list[date] | None = None) -> bool:
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


def _slot(world: _World, rng: random.Random, kind: str, commune: Commune, hamlets: tuple[int, int]) -> _Slot:
    office = world.office_of(commune.id)
    own = office.hamlets.get(commune.id, [])
    count = min(len(own), rng.randint(*hamlets)) if kind == "conference" else min(len(own), rng.randint(1, 2))
    chosen = rng.sample(own, count)
    at_hamlet = kind == "door_to_door" or rng.random() < 0.6
    return _Slot(kind, commune, office, date(2000, 1, 1), morning=rng.random() < 0.7,
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
    campaign.created_at = _moment(date(year, 3, 18), time(9, 0))
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
    for index, slot in enumerate(placed):
        event = _event(world, slot, campaign)
        signed |= _held_event(world, event, slot, size.walk_ins, rng, end, close=index % 5 != 0)
    for commune in rng.sample(others, size.cancelled):
        slot = _slot(world, rng, "conference", commune, size.hamlets)
        if planner.place(slot):
            event = _event(world, slot, campaign)
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
        event = _event(world, slot, campaign, status=status)
        if with_list:
            _build_list(world, event, slot)
            if with_letters:
                for assignment in _assignments(db.session.scalar(select(VisitList).where(
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
                                                    Event.title == _event_title(slot), Event.campaign_id.is_(None))):
            continue  # loaded before
        event = _event(world, slot, None, created_days_before=12)
        if slot is coming:
            visit_list = _build_list(world, event, slot)
            invited_at = _visits(world, event, office, visit_list, rng, field_day=False, share=0.45, until=now)
            _invitations(event, invited_at)
        else:
            _held_event(world, event, slot, (2, 5), rng, slot.day + timedelta(days=5), confirm=False)


def _event_title(slot: _Slot) -> str:
    """The title :func:`_event` gives a conference slot."""
    commune, hamlet = slot.commune, slot.hamlet
    place = f"{_lower_first(hamlet.name)}, {_lower_first(commune.name)}" if hamlet else _lower_first(commune.name)
    return f"Hội nghị tuyên truyền BHXH tự nguyện, BHYT hộ gia đình {place}"


# --- entry point -----------------------------------------------------------------------------------------------

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
