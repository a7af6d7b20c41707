"""Field work of a demo event: the event itself, its pre-visit list, the visits, the invitations left, and for a
held event the check-ins, sign-ups and confirmed results, each made through the portal's services and dated when
it would have happened (see campaigns.py for the campaigns they belong to)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from ..campaigns.models import Campaign
from ..events import services as event_services
from ..events.models import Event
from ..extensions import db
from ..geo.models import Commune, Hamlet
from ..households.models import Person
from ..i18n.formatting import LOCAL_TZ, to_local
from ..printing.services import set_leaflet_audience
from ..results import services as results
from ..results.models import Attendance, Invitation, SignUp
from ..types import utcnow
from ..visits import building
from ..visits.models import VisitAssignment, VisitList
from ..visits.services import audit_list_change, record_outcome
from .households import _GROUPS, _person_name

if TYPE_CHECKING:
    from .campaigns import _Office, _World

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


def lower_first(name: str) -> str:
    """"Xã Khao Mang" -> "xã Khao Mang" (as inside a sentence)."""
    return name[:1].lower() + name[1:]


def moment(day: date, at: time) -> datetime:
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
class Slot:
    """An event to be made: what, where, when."""

    kind: str
    commune: Commune
    office: _Office
    day: date
    morning: bool = True
    hamlet: Hamlet | None = None
    list_hamlets: list[int] = field(default_factory=list)
    speaker_id: int | None = None


def add_event(world: _World, slot: Slot, campaign: Campaign | None, *, status: str = "scheduled",
           created_days_before: int = 20) -> Event:
    """Save an event as an officer of its office would, with speakers, agents, audience and leaflet variant."""
    office, commune, hamlet = slot.office, slot.commune, slot.hamlet
    place = f"{lower_first(hamlet.name)}, {lower_first(commune.name)}" if hamlet else lower_first(commune.name)
    town = commune.division_type == "phường"
    if slot.kind == "door_to_door":
        title = f"Ra quân vận động BHXH tự nguyện, BHYT hộ gia đình tại {place}"
        venue = f"Các hộ gia đình {lower_first(hamlet.name)}" if hamlet else f"Các thôn {lower_first(commune.name)}"
        start, end = (time(7, 30), time(11, 30)) if slot.morning else (time(13, 30), time(17, 0))
        expected = None
    else:
        title = event_title(slot)
        venue = f"Nhà văn hóa {lower_first(hamlet.name)}" if hamlet else f"Hội trường UBND {lower_first(commune.name)}"
        start, end = (time(8, 0), time(11, 0)) if slot.morning else (time(14, 0), time(16, 30))
        expected = 20 + 5 * len(slot.list_hamlets or [1])
    fields = {"kind": slot.kind, "title": title, "commune_id": commune.id, "hamlet_id": hamlet.id if hamlet else None,
              "venue": venue, "starts_at": moment(slot.day, start), "ends_at": moment(slot.day, end),
              "organiser_office_id": office.office.id, "co_organiser_id": office.co_organiser_id,
              "campaign_id": campaign.id if campaign else None, "expected_attendance": expected,
              "notes": "Phối hợp UBND xã, Bưu điện và các hội, đoàn thể." if slot.kind == "conference" else None}
    audience = ["household_business", "small_trader"] if town else ["near_poor"]
    if slot.kind == "door_to_door":
        audience = ["near_poor"] if not town else ["household_business"]
    event = event_services.save(None, fields, speakers=[slot.speaker_id] if slot.speaker_id else [],
                                agents=office.agents.get(commune.id, []), audience=audience, user=office.officer,
                                status=status)
    event.created_at = min(moment(slot.day - timedelta(days=created_days_before), time(9, 15)),
                           utcnow() - timedelta(hours=3))
    people = world.people_of(commune.id)
    minority = sum(p.ethnic_minority for p in people) > len(people) / 2
    set_leaflet_audience(event, "town" if town else "ethnic" if minority else "low_income")
    return event


def build_list(world: _World, event: Event, slot: Slot) -> VisitList:
    """Build the event's list from criteria as the officer's form does, and split it among the agents."""
    criteria = building.Criteria(hamlet_ids=slot.list_hamlets, coverage=list(_COVERAGE), min_age=18, max_age=60)
    visit_list, added = building.build_list(event, criteria, slot.office.officer)
    audit_list_change("visit_list.build", visit_list, added=added, criteria=criteria.as_json())
    visit_list.created_at = min(event.created_at + timedelta(days=2), utcnow() - timedelta(hours=1))
    split = building.split_among_agents(visit_list, slot.office.agents.get(slot.commune.id, []))
    audit_list_change("visit_list.split", visit_list, assigned=split.assigned, unassigned=split.unassigned)
    return visit_list


def assignments_of(visit_list: VisitList) -> list[VisitAssignment]:
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


def record_visits(world: _World, event: Event, office: _Office, visit_list: VisitList, rng: random.Random, *,
            field_day: bool, share: float = 1.0, until: datetime | None = None) -> dict[int, datetime]:
    """Record the visits of a list (all of them, or the first ``share`` of it, up to ``until``); return the
    moment each household was invited."""
    table = _FIELD_DAY_OUTCOMES if field_day else _CONFERENCE_OUTCOMES
    start = to_local(event.starts_at)
    invited_at: dict[int, datetime] = {}
    rows = assignments_of(visit_list)
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


def make_invitations(event: Event, invited_at: dict[int, datetime]) -> list[Invitation]:
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
        receipt = _receipt(self.world, self.office, on.year) if self.rng.random() < 0.85 else None
        signup, _new = results.record_signup(
            person, scheme=scheme, kind=kind, signed_on=on, user=user, event=self.event, agent_id=agent_id,
            receipt_number=receipt, receipt_date=on if receipt else None,
            sheet_row=sheet_rows.get(person.household_id) if on == self.day else None, **amounts)
        signup.created_at = datetime.combine(on, time(self.rng.randint(10, 20), self.rng.randint(0, 59)),
                                             tzinfo=LOCAL_TZ)
        self.signed.add((person.id, scheme))
        self.world.signed_now.add((person.id, scheme))
        self.signups.append(signup)

    def bhxh_tn(self, household_id: int, on: date, agent_id: int | None, sheet_rows: dict[int, int],
                prefer: tuple[int, ...] | list[int] = ()) -> bool:
        """One adult of the household signs up for voluntary social insurance (if anyone can)."""
        rng = self.rng
        members = self.world.members(self.event.commune_id, household_id)
        able = [p for p in members if 18 <= (_age(p, on) or 0) <= 58 and not p.compulsory_insured
                and (p.id, "bhxh_tn") not in self.signed and (p.id, "bhxh_tn") not in self.world.signed_now]
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
        months (renewal). Poor households and small children have free cards, near-poor households budget-supported
        ones; people in compulsory insurance are covered at work."""
        household = self.world.household(self.event.commune_id, household_id)
        if household.poverty_status in ("poor", "near_poor"):
            return False
        soon = on + timedelta(days=90)
        members = []
        for person in self.world.members(self.event.commune_id, household_id):
            if (_age(person, on) or 30) < 6 or person.compulsory_insured or (person.id, "bhyt_hgd") in self.signed \
                    or (person.id, "bhyt_hgd") in self.world.signed_now:
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


def hold_event(world: _World, event: Event, slot: Slot, size_walk_ins: tuple[int, int], rng: random.Random,
                campaign_end: date, *, confirm: bool = True, close: bool = False) -> set[tuple[int, str]]:
    """Everything of an event that took place: its list and visits, letters, attendance, sign-ups, results."""
    office = slot.office
    field_day = slot.kind == "door_to_door"
    visit_list = build_list(world, event, slot)
    invited_at = record_visits(world, event, office, visit_list, rng, field_day=field_day)
    event_services.change_status(event, "held", now=event.starts_at)
    outcome_of = {a.household_id: (a.outcome, a.agent_id) for a in assignments_of(visit_list)}
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
        letters = make_invitations(event, invited_at)
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


def event_title(slot: Slot) -> str:
    """The title :func:`add_event` gives a conference slot."""
    commune, hamlet = slot.commune, slot.hamlet
    place = f"{lower_first(hamlet.name)}, {lower_first(commune.name)}" if hamlet else lower_first(commune.name)
    return f"Hội nghị tuyên truyền BHXH tự nguyện, BHYT hộ gia đình {place}"


# --- entry point -----------------------------------------------------------------------------------------------
