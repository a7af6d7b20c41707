"""Writes to the registry that keep derived fields in step (sort keys, search tokens, territory columns)."""

from __future__ import annotations

from sqlalchemy import delete, insert

from ..extensions import db
from ..geo.models import Hamlet
from ..i18n.collation import collation_key, fold_diacritics, text_collation_key
from .models import Household, Person, person_name_tokens, person_tags


def household_match_key(head_name: str, address: str | None) -> str:
    """What identifies a household within its hamlet: the head's name and the address, folded."""
    return f"{fold_diacritics(head_name)}|{fold_diacritics(address or '')}"[:450]


def set_household_fields(household: Household, *, hamlet: Hamlet, head_name: str, address: str | None) -> None:
    """Set the hamlet, head and address with the derived keys."""
    household.hamlet_id = hamlet.id
    household.commune_id = hamlet.commune_id
    household.head_name = head_name
    household.address = address or None
    household.match_key = household_match_key(head_name, address)
    household.sort_key = collation_key(head_name)
    household.address_key = text_collation_key(address or "")[:700]


def place_person(person: Person, household: Household) -> None:
    """Attach a person to a household (and its hamlet and commune)."""
    person.household_id = household.id
    person.hamlet_id = household.hamlet_id
    person.commune_id = household.commune_id


def sync_tokens(person: Person) -> None:
    """Rewrite the search tokens of a person's name (after a flush gave the person an id)."""
    db.session.execute(delete(person_name_tokens).where(person_name_tokens.c.person_id == person.id))
    tokens = person.name_tokens
    if tokens:
        db.session.execute(insert(person_name_tokens), [{"token": t, "person_id": person.id} for t in tokens])


def set_tags(person: Person, tags: set[str]) -> None:
    """Replace a person's potential-group tags."""
    db.session.execute(delete(person_tags).where(person_tags.c.person_id == person.id))
    if tags:
        db.session.execute(insert(person_tags), [{"person_id": person.id, "tag": t} for t in sorted(tags)])


def apply_person_form(person: Person, form, *, creating: bool) -> list[str]:
    """Copy a PersonForm onto a person, normalising every value; return the changed field names.

    Raises ``normalise.Invalid`` (with the form field's name in ``field``) when a value cannot be accepted.
    """
    from . import normalise

    values = {}
    for name, parse in (("full_name", normalise.person_name), ("cccd", normalise.cccd),
                        ("bhxh_code", normalise.bhxh_code), ("phone", normalise.phone),
                        ("date_of_birth", lambda v: normalise.birth_date(v) if v else None)):
        try:
            values[name] = parse(getattr(form, name).data)
        except normalise.Invalid as exc:
            exc.field = name
            raise
    values.update(
        sex=form.sex.data or None, relation_to_head=form.relation_to_head.data,
        ethnicity=(form.ethnicity.data or "").strip() or None, ethnic_minority=bool(form.ethnic_minority.data),
        occupation=(form.occupation.data or "").strip() or None, income_band=form.income_band.data or None,
        bhxh_tn_status=form.bhxh_tn_status.data, paid_until=form.paid_until.data,
        bhyt_expires_on=form.bhyt_expires_on.data, compulsory_insured=bool(form.compulsory_insured.data),
    )
    changed = [k for k, v in values.items() if creating or getattr(person, k) != v]
    name = values.pop("full_name")
    if creating or person.full_name != name:
        person.set_name(name)
    for key, value in values.items():
        setattr(person, key, value)
    return changed


def duplicate_identity(person_id: int | None, cccd: str | None, bhxh_code: str | None) -> str | None:
    """Which identity number already belongs to someone else ("cccd" or "bhxh_code"), if any."""
    from sqlalchemy import select

    with db.session.no_autoflush:
        for column, value in (("cccd", cccd), ("bhxh_code", bhxh_code)):
            if value:
                other = db.session.scalar(select(Person.id).where(getattr(Person, column) == value,
                                                                  Person.id != (person_id or 0)))
                if other is not None:
                    return column
    return None
