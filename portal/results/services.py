"""Check-in, walk-ins, sign-ups with calculated amounts, and confirming an event's results."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..audit import services as audit
from ..extensions import db
from ..facilities import queries as facility_queries
from ..facilities.models import Facility
from ..geo import facts
from ..households.models import Household, Person
from ..households.services import place_person, set_household_fields, sync_tokens
from ..i18n.formatting import local_today, to_local
from ..policy import calculator
from ..types import utcnow
from ..visits.models import Visit, VisitAssignment, VisitList
from .clashes import add_months, clashes
from .models import CHANNELS, SUPPORT_CATEGORIES, Attendance, EventResult, Invitation, SignUp
from .queries import default_facility, invitee, totals


class ResultsError(ValueError):
    """A result entry that cannot be accepted (``code`` says why)."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


class Locked(ResultsError):
    """The event's results are confirmed: changes need a reason."""


def event_day(event) -> date:
    """The day the event takes place, in Vietnam."""
    return to_local(event.starts_at).date()


def ensure_event_day(event, *, today: date | None = None) -> None:
    """Check-ins and the event's sign-ups are taken from the event's day on, never for a cancelled event."""
    if event.status == "cancelled":
        raise ResultsError("cancelled")
    if (today or to_local(utcnow()).date()) < event_day(event):
        raise ResultsError("too_early", day=event_day(event))


def ensure_started(event, *, now=None) -> None:
    """Results are confirmed only once the event has started."""
    if event.status == "cancelled":
        raise ResultsError("cancelled")
    if (now or utcnow()) < event.starts_at:
        raise ResultsError("not_started", day=event_day(event))


def new_token() -> str:
    """A random token for an invitation's QR code."""
    return secrets.token_urlsafe(16)


def invite(event, household_id: int, *, agent_id: int | None, expected: int = 1, person_id: int | None = None):
    """Create (or return) the invitation of a household to an event (caller commits)."""
    invitation = db.session.scalar(select(Invitation).where(Invitation.event_id == event.id,
                                                            Invitation.household_id == household_id))
    if invitation is None:
        invitation = Invitation(event_id=event.id, household_id=household_id, person_id=person_id,
                                agent_id=agent_id, token=new_token(), expected_attendees=expected,
                                delivered_at=utcnow())
        db.session.add(invitation)
        db.session.flush()
    return invitation


def invitations_from_visits(event) -> int:
    """Create invitations for every household whose latest outcome on the event's list is "invited"."""
    expected = (select(Visit.expected_attendees).where(Visit.assignment_id == VisitAssignment.id,
                                                       Visit.outcome == "invited")
                .order_by(Visit.recorded_at.desc(), Visit.id.desc()).limit(1).scalar_subquery())
    rows = db.session.execute(
        select(VisitAssignment.household_id, VisitAssignment.agent_id, expected)
        .join(VisitList, VisitList.id == VisitAssignment.visit_list_id)
        .where(VisitList.event_id == event.id, VisitAssignment.outcome == "invited")
    ).all()
    already = set(db.session.scalars(select(Invitation.household_id).where(Invitation.event_id == event.id)))
    created = 0
    for household_id, agent_id, attendees in rows:
        if household_id not in already:
            invite(event, household_id, agent_id=agent_id, expected=attendees or 1)
            created += 1
    return created


def check_in(event, *, person: Person | None = None, invitation: Invitation | None = None, user,
             from_paper: bool = False, submission_key: str | None = None) -> tuple[Attendance, bool]:
    """Record that someone came; return the attendance and whether it is new (a second check-in is a no-op).
    Refused before the event's day."""
    ensure_event_day(event)
    if submission_key:
        existing = db.session.scalar(select(Attendance).where(Attendance.submission_key == submission_key))
        if existing is not None:
            return existing, False
    if person is None and invitation is not None:
        person = invitee(invitation)
    if person is not None:
        existing = db.session.scalar(select(Attendance).where(Attendance.event_id == event.id,
                                                              Attendance.person_id == person.id))
        if existing is not None:
            return existing, False
        if invitation is None:
            invitation = db.session.scalar(select(Invitation).where(Invitation.event_id == event.id,
                                                                    Invitation.household_id == person.household_id))
    attendance = Attendance(event_id=event.id, person_id=person.id if person else None,
                            household_id=person.household_id if person else None,
                            invitation_id=invitation.id if invitation else None, walk_in=invitation is None,
                            recorded_by_id=user.id, from_paper=from_paper, submission_key=submission_key,
                            name=person.full_name if person else None)
    try:
        # The savepoint starts before the row is added: a concurrent duplicate only undoes this insert.
        with db.session.begin_nested():
            db.session.add(attendance)
    except IntegrityError:
        # Someone else checked the same person in at the same moment.
        existing = db.session.scalar(select(Attendance).where(Attendance.event_id == event.id,
                                                              Attendance.person_id == attendance.person_id))
        return existing, False
    return attendance, True


def undo_check_in(event, attendance: Attendance, *, user) -> None:
    """Take back a check-in made by mistake (caller commits); refused once the results are confirmed. A walk-in's
    person stays in the register: only their presence at this event goes."""
    _ensure_open(event.id, reason=None)
    details = {"attendance_id": attendance.id, "walk_in": attendance.walk_in, "from_paper": attendance.from_paper,
               "invitation_id": attendance.invitation_id, "household_id": attendance.household_id}
    audit.record("attendance.undo", obj=event, object_type="event", details=details)
    db.session.delete(attendance)
    db.session.flush()


@dataclass
class Quote:
    """The amounts of a sign-up."""

    amount_due: int
    support: int
    local_support: int
    net: int
    #: BHXH TN: months of state support the person has left after this payment (None for BHYT).
    support_months_left: int | None = None
    #: The calculator's warnings (unconfirmed parameters), as codes with their figures.
    warnings: list[dict] = field(default_factory=list)


def supported_months_used(person_id: int) -> int:
    """Months of state support the person has received through the voluntary social insurance sign-ups recorded
    here: the months of every sign-up that had support (an adjustment pays for no month, a duplicate was never
    paid twice). A sign-up that reached the cap counts all its months, which only says the cap is reached."""
    used = db.session.scalar(select(func.coalesce(func.sum(SignUp.months), 0)).where(
        SignUp.person_id == person_id, SignUp.scheme == "bhxh_tn", SignUp.kind != "adjustment", SignUp.support > 0,
        SignUp.status != "duplicate"))
    return int(used or 0)


def quote_for(person: Person, household: Household, *, scheme: str, on: date, income: int | None,
              mode: str | None, months: int | None, member_order: int | None, island: bool | None = None) -> Quote:
    """What the calculator gives for a sign-up. BHXH TN: the state-support categories from the household
    (poor, near-poor), the person (ethnic minority) and the commune (island, unless ``island`` says otherwise);
    support only for the months left of the 120 across the person's sign-ups. BHYT HGĐ: refused (PolicyError
    "budget_paid") for people of poor and near-poor households, whose card the state budget pays: an officer
    expects to be stopped and told to list them for the budget-paid card, not to record a sale of 0 đồng that
    would count as a household sign-up."""
    categories = support_categories(person, household, scheme=scheme, island=island, on=on)
    if scheme == "bhxh_tn":
        q = calculator.bhxh_tn(on, income=income or 0, categories=categories, mode=mode or "monthly",
                               months=months, supported_months_used=supported_months_used(person.id))
        return Quote(q.due, q.support, q.local_support, q.net, q.support_months_left, q.warnings)
    members = member_order or 1
    q = calculator.bhyt_hgd(on, members=members, months=months or 12, categories=categories)
    amount = q.per_member[-1]
    return Quote(amount, 0, 0, amount, None, q.warnings)


def support_categories(person: Person, household: Household, *, scheme: str = "bhxh_tn",
                       island: bool | None = None, on: date | None = None) -> set[str]:
    """The state-support categories of a person on a day (default today): poor or near-poor household; for
    BHXH TN also ethnic minority and island commune (the commune's dated fact unless ``island`` says
    otherwise); "other" always."""
    categories = {"other"}
    if household.poverty_status in ("poor", "near_poor"):
        categories.add(household.poverty_status)
    if scheme == "bhxh_tn":
        if person.ethnic_minority:
            categories.add("ethnic_minority")
        if island is None:
            island = facts.island_on(household.commune_id, on or local_today())  # on the day of the sign-up
        if island:
            categories.add("island")
    return categories


def support_category(person: Person, household: Household, on: date | None = None) -> str:
    """The category a BHXH TN sign-up is declared under (D05-TS): the one with the highest rate."""
    found = support_categories(person, household, on=on)
    return next(c for c in SUPPORT_CATEGORIES if c in found)


def warnings_for(person: Person, scheme: str, on: date) -> list[str]:
    """Reasons to look twice before signing someone up (codes for the page to translate)."""
    found = []
    if scheme == "bhxh_tn" and person.compulsory_insured:
        found.append("compulsory")
    if scheme == "bhxh_tn" and person.bhxh_tn_status == "participating" and person.paid_until and person.paid_until >= on:
        found.append("already_paying")
    if scheme == "bhyt_hgd" and person.bhyt_expires_on and person.bhyt_expires_on >= on:
        found.append("valid_card")
    return found


def credited_agent(event_id: int | None, household_id: int) -> int | None:
    """The agent whose visit converted the household: the last visit before the sign-up (event list first)."""
    stmt = select(Visit.agent_id).where(Visit.household_id == household_id, Visit.agent_id.is_not(None))
    if event_id is not None:
        on_list = stmt.join(VisitAssignment, VisitAssignment.id == Visit.assignment_id).join(
            VisitList, VisitList.id == VisitAssignment.visit_list_id).where(VisitList.event_id == event_id)
        agent = db.session.scalar(on_list.order_by(Visit.recorded_at.desc()).limit(1))
        if agent:
            return agent
    return db.session.scalar(stmt.order_by(Visit.recorded_at.desc()).limit(1))


def record_signup(person: Person, *, scheme: str, kind: str, signed_on: date, user, event=None,
                  agent_id: int | None = None, income: int | None = None, mode: str | None = None,
                  months: int | None = None, member_order: int | None = None, net_override: int | None = None,
                  override_reason: str | None = None, receipt_number: str | None = None,
                  sheet_row: int | None = None, submission_key: str | None = None,
                  facility_id: int | None = None, from_month: date | None = None, channel: str | None = None,
                  receipt_date: date | None = None, collection_point: str | None = None,
                  expected_net: int | None = None) -> tuple[SignUp, bool]:
    """Record a sign-up with the calculator's amounts; the same submission twice records it once. This is the one
    way a sign-up is recorded: at an event (``event``, channel "event"), or outside any (``channel`` door,
    counter, online or other, with the receipt and the collection point).

    ``from_month``: the first month paid for (default: the month signed); the state-support category the
    declaration names is kept as the calculator found it.

    A household health insurance sign-up names its initial clinic (``facility_id``, else the default of
    :func:`initial_clinic`).

    ``expected_net``: the amount the phone calculated without signal; refused ("amount_changed") when the
    calculator gives another one now (the parameters changed since the phone saved them)."""
    if submission_key:
        existing = db.session.scalar(select(SignUp).where(SignUp.submission_key == submission_key))
        if existing is not None:
            return existing, False
    channel = "event" if event is not None else (channel or "other")
    if channel not in CHANNELS or (event is None and channel == "event"):
        raise ResultsError("channel")
    if receipt_date is not None and receipt_date < signed_on:
        raise ResultsError("receipt_date")
    if event is not None:
        ensure_event_day(event)
        _ensure_open(event.id, reason=None)
        existing = db.session.scalar(select(SignUp).where(SignUp.event_id == event.id, SignUp.person_id == person.id,
                                                          SignUp.scheme == scheme))
        if existing is not None:
            raise ResultsError("duplicate", signup_id=existing.id)
    facility_id = initial_clinic(person, facility_id) if scheme == "bhyt_hgd" else None
    household = db.session.get(Household, person.household_id)
    try:
        q = quote_for(person, household, scheme=scheme, on=signed_on, income=income, mode=mode, months=months,
                      member_order=member_order)
    except calculator.PolicyError as exc:
        raise ResultsError(exc.code, **exc.params) from exc
    if expected_net is not None and expected_net != q.net:
        raise ResultsError("amount_changed", phone=expected_net, server=q.net)
    net = q.net
    if net_override is not None and net_override != q.net:
        if not (override_reason or "").strip():
            raise ResultsError("override_reason")
        net = net_override
    else:
        override_reason = None
    signup = SignUp(
        person_id=person.id, household_id=person.household_id, commune_id=person.commune_id,
        event_id=event.id if event else None, agent_id=agent_id,
        credited_agent_id=credited_agent(event.id if event else None, person.household_id) or agent_id,
        scheme=scheme, kind=kind, chosen_income=income if scheme == "bhxh_tn" else None,
        payment_mode=mode if scheme == "bhxh_tn" else None,
        months=months or (calculator.DEFAULT_MONTHS.get(mode or "monthly", 1) if scheme == "bhxh_tn" else 12),
        member_order=member_order if scheme == "bhyt_hgd" else None, facility_id=facility_id,
        amount_due=q.amount_due, support=q.support,
        local_support=q.local_support, net=net, computed_net=q.net, override_reason=override_reason,
        receipt_number=(receipt_number or "").strip() or None, signed_on=signed_on, sheet_row=sheet_row,
        from_month=(from_month or signed_on).replace(day=1), receipt_date=receipt_date,
        support_category=support_category(person, household, signed_on) if scheme == "bhxh_tn" else None,
        submission_key=submission_key, created_by_id=user.id, channel=channel,
        collection_point=(collection_point or "").strip() or None,
    )
    try:
        with db.session.begin_nested():
            db.session.add(signup)
    except IntegrityError:
        if submission_key:
            existing = db.session.scalar(select(SignUp).where(SignUp.submission_key == submission_key))
            if existing is not None:
                return existing, False
        raise ResultsError("duplicate") from None
    _extend_coverage(person, signup)
    audit.record("signup.create", obj=signup, object_type="signup",
                 details={"scheme": scheme, "kind": kind, "event_id": event.id if event else None,
                          "channel": channel, "override": bool(override_reason), "facility_id": facility_id})
    return signup, True


def initial_clinic(person: Person, facility_id: int | None) -> int | None:
    """The initial clinic of a person's health insurance sign-up: the one chosen, which must be an open facility
    of the person's province, or else the default (the household's last choice, then the commune's health
    station). None only while the province has no open facility in the register."""
    province_id = facility_queries.province_of_commune(person.commune_id)
    if facility_id is not None:
        facility = db.session.get(Facility, facility_id)
        if facility is None or not facility.active or facility.province_id != province_id:
            raise ResultsError("facility")
        return facility.id
    default = default_facility(person)
    if default is not None:
        return default.id
    if province_id is not None and facility_queries.has_active(province_id):
        raise ResultsError("facility_missing")
    return None


def first_member_order(household_id: int, chosen: list[int], on: date) -> int:
    """Where a household's BHYT ladder starts for the members chosen now: after the other members whose household
    health insurance card is still valid on that day."""
    holding = db.session.scalar(select(func.count()).select_from(Person).where(
        Person.household_id == household_id, Person.id.not_in(chosen or [0]), Person.bhyt_expires_on >= on))
    return 1 + (holding or 0)


def record_household_bhyt(people: list[Person], *, kind: str, signed_on: date, months: int, user, event=None,
                          agent_id: int | None = None, first_order: int = 1, receipt_number: str | None = None,
                          submission_key: str | None = None, facility_id: int | None = None,
                          from_month: date | None = None, receipt_date: date | None = None) -> list[SignUp]:
    """Sign several members of one household up for household health insurance at once: member order
    ``first_order``, then the next, in the order given (the law's ladder: 100%, 70%, 60%, 50%, then 40%), each
    with its amount, and the same initial clinic (``facility_id``, else each member's default). All or nothing:
    a refusal for one member records nobody (caller commits or rolls back)."""
    if not people or len({p.household_id for p in people}) != 1:
        raise ResultsError("household")
    signups = []
    for order, person in enumerate(people, start=first_order):
        signup, _new = record_signup(
            person, scheme="bhyt_hgd", kind=kind, signed_on=signed_on, user=user, event=event, agent_id=agent_id,
            months=months, member_order=order, receipt_number=receipt_number, facility_id=facility_id,
            from_month=from_month, receipt_date=receipt_date, submission_key=f"{submission_key}-{person.id}" if submission_key else None)
        signups.append(signup)
    return signups


def _extend_coverage(person: Person, signup: SignUp) -> None:
    """What a sign-up pays for shows in the register: BHXH TN participating and paid until the end of the last
    month paid for (after what was already paid); a BHYT household card valid for the months paid after its
    current expiry (or from the day of the sign-up). An adjustment pays for nothing new."""
    if signup.kind == "adjustment" or not signup.months:
        return
    day = signup.signed_on
    if signup.scheme == "bhxh_tn":
        start = date(day.year, day.month, 1)
        if person.paid_until and person.paid_until >= start - timedelta(days=1):
            start = add_months(date(person.paid_until.year, person.paid_until.month, 1), 1)
        person.bhxh_tn_status = "participating"
        person.paid_until = add_months(start, signup.months) - timedelta(days=1)
    elif signup.scheme == "bhyt_hgd":
        base = person.bhyt_expires_on if person.bhyt_expires_on and person.bhyt_expires_on >= day else day
        person.bhyt_expires_on = add_months(base, signup.months)


def _ensure_open(event_id: int, reason: str | None) -> None:
    result = db.session.get(EventResult, event_id)
    if result is not None and result.confirmed_at is not None and not (reason or "").strip():
        raise Locked("confirmed")


def confirm_results(event, user, notes: str | None = None) -> EventResult:
    """Confirm an event's results, with notes for the record: its sign-ups count in reports from now on
    (caller commits). Refused before the event has started."""
    ensure_started(event)
    if any(c.blocking for c in clashes(signups_to_confirm(event.id))):
        raise ResultsError("clashes")
    result = db.session.get(EventResult, event.id) or EventResult(event_id=event.id)
    db.session.add(result)
    result.confirmed_at = utcnow()
    result.confirmed_by_id = user.id
    result.notes = (notes or "").strip() or None
    db.session.execute(
        SignUp.__table__.update().where(SignUp.__table__.c.event_id == event.id,
                                        SignUp.__table__.c.status != "duplicate")
        .values(status="confirmed", version=SignUp.__table__.c.version + 1, updated_at=result.confirmed_at))
    if event.status in ("held", "scheduled"):
        event.status = "results_entered"
    audit.record("event.results_confirm", obj=event, object_type="event", details=totals(event.id).__dict__)
    return result


def signups_to_confirm(event_id: int) -> list[SignUp]:
    """The event's sign-ups that its confirmation makes count (all but the duplicates)."""
    return list(db.session.scalars(select(SignUp).where(SignUp.event_id == event_id, SignUp.status != "duplicate")))


def number_sheet(event) -> int:
    """Give attendance-sheet row numbers to invitations that have none, by the invitee's name in Vietnamese
    order after the rows already printed (numbers never change once given); return how many were numbered."""
    from sqlalchemy import func as sa_func

    pending = db.session.execute(
        select(Invitation, Household.sort_key).join(Household, Household.id == Invitation.household_id)
        .where(Invitation.event_id == event.id, Invitation.sheet_row.is_(None))
    ).all()
    if not pending:
        return 0
    start = (db.session.scalar(select(sa_func.max(Invitation.sheet_row)).where(Invitation.event_id == event.id))
             or 0) + 1
    for offset, (invitation, _key) in enumerate(sorted(pending, key=lambda r: (r[1], r[0].id))):
        invitation.sheet_row = start + offset
        invitation.late = start > 1
    db.session.flush()
    return len(pending)


def check_in_rows(event, rows: list[int], *, user) -> tuple[list[int], list[int]]:
    """Check in the invitations with these sheet row numbers; return (checked in, unknown rows). Invitations not
    yet numbered get their rows first, as the printed sheet would give them."""
    number_sheet(event)
    invitations = {i.sheet_row: i for i in db.session.scalars(
        select(Invitation).where(Invitation.event_id == event.id, Invitation.sheet_row.in_(rows)))}
    done, unknown = [], []
    for row in rows:
        invitation = invitations.get(row)
        if invitation is None:
            unknown.append(row)
            continue
        check_in(event, invitation=invitation, user=user, from_paper=True)
        done.append(row)
    return done, unknown


def add_walk_in(event, *, name: str, phone: str | None, hamlet, cccd: str | None, user,
                person: Person | None = None, submission_key: str | None = None) -> tuple[Attendance, bool]:
    """Check in a walk-in: an existing person when matched, else a new household and person in the hamlet."""
    if person is None:
        household = Household(poverty_status="none", phone=phone)
        set_household_fields(household, hamlet=hamlet, head_name=name, address=None)
        existing = db.session.scalar(select(Household).where(Household.hamlet_id == hamlet.id,
                                                             Household.match_key == household.match_key))
        if existing is not None:
            household = existing
        else:
            db.session.add(household)
            db.session.flush()
        person = Person(relation_to_head="head" if existing is None else "other", phone=phone, cccd=cccd)
        person.set_name(name)
        place_person(person, household)
        db.session.add(person)
        db.session.flush()
        sync_tokens(person)
    attendance, new = check_in(event, person=person, user=user, submission_key=submission_key)
    if new:
        attendance.walk_in = attendance.invitation_id is None
        attendance.phone = phone
        attendance.hamlet_id = hamlet.id
    return attendance, new

