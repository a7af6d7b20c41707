"""Campaign test helpers: households and people written through portal.households.services (so their derived
columns are right), and targets. Each helper commits."""

from __future__ import annotations

from datetime import date
from itertools import count

from portal.campaigns import services
from portal.extensions import db
from portal.households.models import Household, Person
from portal.households.services import place_person, set_household_fields, sync_tokens

_numbers = count(1)


def households(hamlet, n: int) -> list[Household]:
    """``n`` households (each with its head) in a hamlet."""
    made = []
    for _ in range(n):
        k = next(_numbers)
        household = Household(poverty_status="none")
        set_household_fields(household, hamlet=hamlet, head_name=f"Trần Văn Chủ {k}", address=f"Số {k} đường Mới")
        db.session.add(household)
        db.session.flush()
        _person(household, f"Trần Văn Chủ {k}", "head", None)
        made.append(household)
    db.session.commit()
    return made


def people(hamlet, births: list[date | None]) -> Household:
    """One household whose members were born on the given dates (the first is the head)."""
    k = next(_numbers)
    household = Household(poverty_status="none")
    set_household_fields(household, hamlet=hamlet, head_name=f"Lê Thị Năm {k}", address=f"Xóm {k}")
    db.session.add(household)
    db.session.flush()
    for i, born in enumerate(births):
        _person(household, f"Lê Thị Năm {k}" if i == 0 else f"Lê Văn Con {k}-{i}", "head" if i == 0 else "child",
                born)
    db.session.commit()
    return household


def _person(household: Household, name: str, relation: str, born: date | None) -> Person:
    person = Person(relation_to_head=relation, date_of_birth=born)
    person.set_name(name)
    place_person(person, household)
    db.session.add(person)
    db.session.flush()
    sync_tokens(person)
    return person


def targets(campaign, level: str, subject_id: int, **values: int) -> None:
    """Set some targets of one subject."""
    for metric, value in values.items():
        services.set_target(campaign, level, subject_id, metric, value)
    db.session.commit()
