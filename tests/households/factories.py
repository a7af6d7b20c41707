"""Households and people for tests, written through portal.households.services so that sort keys, search
tokens, tags and territory columns are what the pages would have written. Each helper commits."""

from __future__ import annotations

from itertools import count

from portal.extensions import db
from portal.households.models import Household, Person
from portal.households.services import place_person, set_household_fields, set_tags, sync_tokens

_addresses = count(1)


def _person(household: Household, full_name: str, relation: str, tags=(), **fields) -> Person:
    person = Person(relation_to_head=relation, **fields)
    person.set_name(full_name)
    place_person(person, household)
    db.session.add(person)
    db.session.flush()
    sync_tokens(person)
    if tags:
        set_tags(person, set(tags))
    return person


def make_household(hamlet, head_name: str = "Nguyễn Văn An", *, address: str | None = None, phone: str | None = None,
                   poverty_status: str = "none", notes: str | None = None, members=(), tags=(),
                   **head_fields) -> Household:
    """A household with its head (``head_fields`` are Person columns) and optional members.

    ``phone`` is the household's and the head's. ``members`` is a list of (full name, relation, {Person
    columns}) tuples.
    """
    household = Household(phone=phone, poverty_status=poverty_status, notes=notes)
    set_household_fields(household, hamlet=hamlet, head_name=head_name,
                         address=address if address is not None else f"Nhà {next(_addresses)}")
    db.session.add(household)
    db.session.flush()
    _person(household, head_name, "head", tags=tags, phone=phone, **head_fields)
    for name, relation, fields in members:
        _person(household, name, relation, **fields)
    db.session.commit()
    return household


def add_person(household: Household, full_name: str, *, relation: str = "child", tags=(), **fields) -> Person:
    """Another member of a household."""
    person = _person(household, full_name, relation, tags=tags, **fields)
    db.session.commit()
    return person


def head_of(household: Household) -> Person:
    """The head person of a household."""
    from sqlalchemy import select

    return db.session.scalar(select(Person).where(Person.household_id == household.id,
                                                  Person.relation_to_head == "head"))


def make_person(hamlet, full_name: str, **fields) -> Person:
    """A person heading a household of their own (the quickest way to put someone in a hamlet)."""
    return head_of(make_household(hamlet, full_name, **fields))
