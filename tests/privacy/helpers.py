"""A person with a history (visit, invitation, attendance, sign-up, evidence) for the data-protection tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from portal.extensions import db
from portal.households.models import Household, Person
from portal.policy.services import seed_shipped
from portal.privacy.models import DataSubjectRequest
from portal.results import services as results
from portal.visits.models import Visit

from ..factories import under_way
from ..households.factories import add_person, head_of, make_household

CCCD = "012345678901"
BHXH = "0101234567"
PHONE = "0912345678"


@dataclass
class Subject:
    """The person the tests are about, their household and a relative."""

    person: Person
    household: Household
    relative: Person


def make_subject(world) -> Subject:
    """Lò Thị Hoa, head of a household in the own territory, invited, visited, present and signed up."""
    seed_shipped()
    own = world.own
    household = make_household(own.hamlet, "Lò Thị Hoa", address="Bản Mường 3", phone=PHONE, cccd=CCCD,
                               bhxh_code=BHXH, date_of_birth=date(1985, 2, 3), sex="female", ethnicity="Thái",
                               ethnic_minority=True, poverty_status="near_poor", notes="Làm nghề dệt thổ cẩm",
                               tags=("craft_village",))
    person = head_of(household)
    relative = add_person(household, "Lò Văn Minh", relation="child", date_of_birth=date(2008, 6, 1))
    user = world.users["local_officer"]
    under_way(own.event)
    invitation = results.invite(own.event, household.id, agent_id=own.agent.id, person_id=person.id)
    db.session.add(Visit(household_id=household.id, person_id=person.id, agent_id=own.agent.id,
                         outcome="interested", note="Hẹn gọi lại số 0912345678"))
    results.check_in(own.event, invitation=invitation, user=user)
    results.record_signup(person, scheme="bhxh_tn", kind="new", signed_on=date(2027, 5, 10), user=user,
                          event=own.event, income=2_200_000, mode="monthly")
    db.session.commit()
    return Subject(person=person, household=household, relative=relative)


def make_request(subject: Subject | None, kind: str, *, received_on: date = date(2026, 1, 5),
                 status: str = "received") -> DataSubjectRequest:
    """A committed request of a kind about the subject."""
    from portal.privacy.deadlines import deadlines

    ack, answer = deadlines(received_on)
    row = DataSubjectRequest(kind=kind, person_id=subject.person.id if subject else None,
                             requester_name="Lò Thị Hoa", channel="in_person", received_on=received_on,
                             acknowledge_by=ack, answer_by=answer, status=status)
    db.session.add(row)
    db.session.commit()
    return row
