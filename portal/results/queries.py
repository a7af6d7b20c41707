"""Reads for the attendance, sign-up and results pages: the invited, walk-ins, candidates, evidence, and an
event's totals (the same counts the reports and the printed report use)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, union

from ..auth.scope import scoped
from ..events.models import event_agents
from ..extensions import db
from ..facilities import queries as facility_queries
from ..facilities.models import Facility
from ..geo.models import Hamlet
from ..households.models import Household, Person
from ..i18n.collation import fold_diacritics
from ..org.models import Agent
from .models import Attendance, EventResult, Evidence, Invitation, SignUp


def invited_rows(event_id: int, query: str | None = None, *, invitation_id: int | None = None):
    """The event's invitations in sheet-row order with head, address, hamlet and attendance (300 at most),
    narrowed to heads whose name contains ``query``, or to one invitation."""
    stmt = (
        select(Invitation, Household.head_name, Household.address, Hamlet.name, Attendance.id)
        .join(Household, Household.id == Invitation.household_id)
        .join(Hamlet, Hamlet.id == Household.hamlet_id)
        .outerjoin(Attendance, (Attendance.invitation_id == Invitation.id))
        .where(Invitation.event_id == event_id)
        .order_by(Invitation.sheet_row.is_(None), Invitation.sheet_row, Household.sort_key)
    )
    if query:
        stmt = stmt.where(Household.match_key.like(f"%{fold_diacritics(query)}%"))
    if invitation_id is not None:
        stmt = stmt.where(Invitation.id == invitation_id)
    return db.session.execute(stmt.limit(300)).all()


def invitation_tokens(event_id: int) -> dict[str, int]:
    """The QR token of each of the event's invitations, with the invitation's id."""
    return dict(db.session.execute(select(Invitation.token, Invitation.id).where(Invitation.event_id == event_id)).all())


def walk_ins(event_id: int):
    """The event's walk-ins in order of arrival, each with the name of the person recorded (if any)."""
    return db.session.execute(
        select(Attendance, Person.full_name).outerjoin(Person, Person.id == Attendance.person_id)
        .where(Attendance.event_id == event_id, Attendance.walk_in.is_(True)).order_by(Attendance.checked_in_at)
    ).all()


def attendance(event_id: int, attendance_id: int) -> Attendance | None:
    """One attendance of the event."""
    return db.session.scalar(select(Attendance).where(Attendance.id == attendance_id,
                                                      Attendance.event_id == event_id))


def confirmed(event_id: int) -> bool:
    """Whether the event's results are confirmed."""
    return db.session.scalar(select(EventResult.confirmed_at).where(EventResult.event_id == event_id)) is not None


def invitation(event_id: int, invitation_id: int | None) -> Invitation | None:
    """One invitation of the event."""
    return db.session.scalar(select(Invitation).where(Invitation.id == invitation_id,
                                                      Invitation.event_id == event_id))


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation a QR code names."""
    return db.session.scalar(select(Invitation).where(Invitation.token == token))


def attendance_of(invitation_id: int) -> int | None:
    """The id of the attendance recorded for an invitation, if any."""
    return db.session.scalar(select(Attendance.id).where(Attendance.invitation_id == invitation_id))


def invitee(invitation: Invitation) -> Person | None:
    """Whom an invitation is for: its person, or else the head of its household."""
    if invitation.person_id:
        return db.session.get(Person, invitation.person_id)
    return db.session.scalar(select(Person).where(Person.household_id == invitation.household_id,
                                                  Person.relation_to_head == "head"))


def sheet_invitations(event_id: int) -> dict[int, Invitation]:
    """The event's invitations by their row on the printed sheet."""
    return {i.sheet_row: i for i in db.session.scalars(select(Invitation).where(
        Invitation.event_id == event_id, Invitation.sheet_row.is_not(None)))}


def evidence_of(event_id: int) -> list[Evidence]:
    """The event's evidence files, oldest first."""
    return list(db.session.scalars(select(Evidence).where(Evidence.event_id == event_id)
                                   .order_by(Evidence.uploaded_at)))


def evidence(event_id: int, evidence_id: int) -> Evidence | None:
    """One evidence file of the event."""
    return db.session.scalar(select(Evidence).where(Evidence.id == evidence_id, Evidence.event_id == event_id))


# Sign-ups ----------------------------------------------------------------------------------------------------

def event_agents_in_scope(event_id: int) -> list[Agent]:
    """The visible agents working at the event."""
    return list(db.session.scalars(scoped(Agent).where(Agent.id.in_(
        select(event_agents.c.agent_id).where(event_agents.c.event_id == event_id))).order_by(Agent.sort_key)))


def person_of_commune(person_id: int | None, commune_id: int) -> Person | None:
    """A visible person of the commune, or None."""
    if not person_id:
        return None
    return db.session.scalar(scoped(Person).where(Person.id == person_id, Person.commune_id == commune_id))


def signup_candidates(event_id: int, commune_id: int, query: str):
    """Visible people of the commune (with their head's name) to sign up. With ``query``: those whose name
    contains it, 50 at most, in name order. Without: every member of the households that came (walk-ins
    included) and then of those invited, household by household (head first), 300 people at most."""
    stmt = scoped(Person, select(Person, Household.head_name)).join(Household, Household.id == Person.household_id) \
        .where(Person.commune_id == commune_id)
    if query:
        stmt = stmt.where(Person.search_name.like(f"%{fold_diacritics(query)}%"))
        return db.session.execute(stmt.order_by(Person.sort_key).limit(50)).all()
    came = select(Attendance.household_id).where(Attendance.event_id == event_id,
                                                 Attendance.household_id.is_not(None))
    invited = select(Invitation.household_id).where(Invitation.event_id == event_id)
    # The households by id, so that they are read by their key (a few hundred) rather than hashed whole.
    households = union(came, invited)
    stmt = stmt.where(Person.household_id.in_(households), Household.id.in_(households))
    return db.session.execute(stmt.order_by(
        Person.household_id.not_in(came), Household.sort_key, Household.id, Person.relation_to_head != "head",
        Person.date_of_birth.is_(None), Person.date_of_birth, Person.id).limit(300)).all()


def household_members(household_id: int) -> list[Person]:
    """A household's members for a sign-up: the head first, then by age (oldest first, unknown last)."""
    return list(db.session.scalars(select(Person).where(Person.household_id == household_id).order_by(
        Person.relation_to_head != "head", Person.date_of_birth.is_(None), Person.date_of_birth, Person.id)))


def signups_of(event_id: int):
    """The event's visible sign-ups, latest first, with the person's name and the initial clinic chosen (None
    for none)."""
    return db.session.execute(
        scoped(SignUp, select(SignUp, Person.full_name, Facility)).join(Person, Person.id == SignUp.person_id)
        .outerjoin(Facility, Facility.id == SignUp.facility_id)
        .where(SignUp.event_id == event_id).order_by(SignUp.id.desc())).all()


def facility_choices(person: Person) -> list[Facility]:
    """The initial clinics a person may choose: the active facilities of the person's province."""
    province_id = facility_queries.province_of_commune(person.commune_id)
    return facility_queries.active_of_province(province_id) if province_id else []


def default_facility(person: Person) -> Facility | None:
    """The initial clinic offered first: the household's latest choice of a facility still open in the person's
    province, else the health station of the person's commune, else None."""
    province_id = facility_queries.province_of_commune(person.commune_id)
    last = db.session.scalar(
        select(Facility).join(SignUp, SignUp.facility_id == Facility.id)
        .where(SignUp.household_id == person.household_id, Facility.active.is_(True),
               Facility.province_id == province_id)
        .order_by(SignUp.signed_on.desc(), SignUp.id.desc()).limit(1))
    return last or facility_queries.health_station(person.commune_id)


@dataclass
class Totals:
    """An event's results."""

    invited: int
    checked_in_invited: int
    walk_ins: int
    bhxh_tn_new: int
    bhxh_tn_renewal: int
    bhyt_new: int
    bhyt_renewal: int
    amount_net: int
    amount_support: int
    #: Invited households of which someone came with the invitation (``invited`` counts households too).
    households_came: int = 0

    @property
    def attended(self) -> int:
        return self.checked_in_invited + self.walk_ins


def totals(event_id: int) -> Totals:
    """Count attendance and sign-ups of an event (a handful of aggregate queries)."""
    invited = db.session.scalar(select(func.count()).select_from(Invitation).where(Invitation.event_id == event_id))
    attendance = dict(db.session.execute(
        select(Attendance.walk_in, func.count()).where(Attendance.event_id == event_id).group_by(Attendance.walk_in)
    ).all())
    households_came = db.session.scalar(
        select(func.count(func.distinct(Attendance.invitation_id))).where(
            Attendance.event_id == event_id, Attendance.walk_in.is_(False), Attendance.invitation_id.is_not(None)))
    signups = {(s, k): (n, net, sup) for s, k, n, net, sup in db.session.execute(
        select(SignUp.scheme, SignUp.kind, func.count(), func.coalesce(func.sum(SignUp.net), 0),
               func.coalesce(func.sum(SignUp.support), 0))
        .where(SignUp.event_id == event_id, SignUp.status != "duplicate")
        .group_by(SignUp.scheme, SignUp.kind)).all()}

    def count(scheme, kind):
        return signups.get((scheme, kind), (0, 0, 0))[0]

    return Totals(
        invited=invited or 0, checked_in_invited=attendance.get(False, 0), walk_ins=attendance.get(True, 0),
        bhxh_tn_new=count("bhxh_tn", "new"), bhxh_tn_renewal=count("bhxh_tn", "renewal"),
        bhyt_new=count("bhyt_hgd", "new"), bhyt_renewal=count("bhyt_hgd", "renewal"),
        amount_net=sum(v[1] for v in signups.values()), amount_support=sum(v[2] for v in signups.values()),
        households_came=households_came or 0,
    )
