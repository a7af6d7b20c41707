"""The registry's read side, in one place for the views and other domains: people search and export
(search.py, planned by search_plan.py), due-payment lists (due_lists.py), and what the household and person
pages and forms read (below)."""

from __future__ import annotations

from sqlalchemy import select

from ..auth.scope import scoped
from ..extensions import db
from ..facilities.models import Facility
from ..geo.models import Commune, Hamlet
from ..org.models import Agent
from .due_lists import (
    DUE_DEFAULT_DAYS,
    DUE_DETAIL_MAX,
    DUE_KINDS,
    DueFilter,
    DueGroup,
    DueList,
    agents_of_hamlets,
    due_clause,
    due_list,
    due_query,
)
from .models import Household, Person, person_tags
from .search import (
    BHYT_CHOICES,
    COUNT_CAP,
    EXPORT_MAX,
    PER_PAGE,
    STATUSES,
    PeopleFilter,
    SearchResult,
    export_people,
    filter_clauses,
    name_words,
    number_clause,
    phrase_clause,
    search_people,
)

__all__ = [
    "BHYT_CHOICES", "COUNT_CAP", "DUE_DEFAULT_DAYS", "DUE_DETAIL_MAX", "DUE_KINDS", "EXPORT_MAX", "PER_PAGE",
    "STATUSES", "DueFilter", "DueGroup", "DueList", "PeopleFilter", "SearchResult", "agents_of_hamlets",
    "due_clause", "due_list", "due_query", "export_people", "filter_clauses", "name_words", "number_clause",
    "phrase_clause", "search_people",
]


# --- Household and person pages ------------------------------------------------------------------------------


def members(household: Household) -> list[Person]:
    """A household's members: the head first, then by age (oldest first, unknown birth dates last)."""
    return db.session.scalars(select(Person).where(Person.household_id == household.id).order_by(
        Person.relation_to_head != "head", Person.date_of_birth.is_(None), Person.date_of_birth, Person.id)).all()


def tags_of(people) -> dict[int, list[str]]:
    """The potential-group tags of some people, by person id, in tag order."""
    tags: dict[int, list[str]] = {}
    for person_id, tag in db.session.execute(select(person_tags.c.person_id, person_tags.c.tag).where(
            person_tags.c.person_id.in_([p.id for p in people])).order_by(person_tags.c.tag)):
        tags.setdefault(person_id, []).append(tag)
    return tags


def place(hamlet_id: int) -> tuple[Hamlet, Commune]:
    """A hamlet and its commune."""
    hamlet = db.session.get(Hamlet, hamlet_id)
    return hamlet, db.session.get(Commune, hamlet.commune_id)


def household_history(household: Household) -> dict:
    """Visits, invitations, attendance and sign-ups of a household, newest first."""
    from ..events.models import Event
    from ..results.models import Attendance, Invitation, SignUp
    from ..visits.models import Visit

    visits = db.session.execute(
        select(Visit, Agent.full_name).outerjoin(Agent, Agent.id == Visit.agent_id)
        .where(Visit.household_id == household.id).order_by(Visit.recorded_at.desc(), Visit.id.desc())).all()
    invitations = db.session.execute(
        select(Invitation, Event).join(Event, Event.id == Invitation.event_id)
        .where(Invitation.household_id == household.id).order_by(Event.starts_at.desc())).all()
    attendance = db.session.execute(
        select(Attendance, Event, Person.full_name).join(Event, Event.id == Attendance.event_id)
        .outerjoin(Person, Person.id == Attendance.person_id)
        .where(Attendance.household_id == household.id).order_by(Attendance.checked_in_at.desc())).all()
    signups = db.session.execute(
        select(SignUp, Person.full_name).join(Person, Person.id == SignUp.person_id)
        .where(SignUp.household_id == household.id).order_by(SignUp.signed_on.desc(), SignUp.id.desc())).all()
    return {"visits": visits, "invitations": invitations, "attendance": attendance, "signups": signups}


def signups_of(person: Person) -> list:
    """A person's sign-ups, latest first, each with the initial clinic it chose (None for none)."""
    from ..results.models import SignUp

    return db.session.execute(select(SignUp, Facility).outerjoin(Facility, Facility.id == SignUp.facility_id)
                              .where(SignUp.person_id == person.id)
                              .order_by(SignUp.signed_on.desc(), SignUp.id.desc())).all()


def communes_for_households() -> list:
    """(id, name) of the visible communes an office serves, in name order: where households may be registered."""
    return db.session.execute(scoped(Commune, select(Commune.id, Commune.name)).where(
        Commune.office_id.is_not(None)).order_by(Commune.sort_key)).all()


def hamlets_for_households(commune_id: int | None) -> list:
    """(id, name) of the visible hamlets of a commune, in name order."""
    if not commune_id:
        return []
    return db.session.execute(scoped(Hamlet, select(Hamlet.id, Hamlet.name)).where(
        Hamlet.commune_id == commune_id).order_by(Hamlet.sort_key)).all()
