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


# --- Pages: households and people created and changed by officers (each write adds its audit entry) ---------


def household_taken(hamlet_id: int, head_name: str, address: str | None, exclude_id: int | None = None) -> bool:
    """Whether another household of the hamlet has this head and address."""
    from sqlalchemy import select

    key = household_match_key(head_name, address)
    with db.session.no_autoflush:
        return db.session.scalar(select(Household.id).where(
            Household.hamlet_id == hamlet_id, Household.match_key == key,
            Household.id != (exclude_id or 0))) is not None


def create_household(*, hamlet: Hamlet, values: dict, head: dict) -> Household:
    """A new household with its head as a member.

    ``values``: head_name, address, phone, poverty_status, notes (clean); ``head``: the head's other columns.
    """
    from ..audit import services as audit

    household = Household(phone=values["phone"], poverty_status=values["poverty_status"], notes=values["notes"])
    set_household_fields(household, hamlet=hamlet, head_name=values["head_name"], address=values["address"])
    db.session.add(household)
    db.session.flush()
    person = Person(relation_to_head="head", phone=values["phone"], **head)
    person.set_name(values["head_name"])
    place_person(person, household)
    db.session.add(person)
    db.session.flush()
    sync_tokens(person)
    audit.record("household.create", obj=household, object_type="household",
                 details={"hamlet": hamlet.id, "fields": sorted(k for k, v in values.items() if v)})
    audit.record("person.create", obj=person, object_type="person",
                 details={"household": household.id,
                          "fields": sorted(["full_name", *(k for k, v in head.items() if v)])})
    return household


def update_household(household: Household, *, hamlet: Hamlet, values: dict) -> list[str]:
    """Change a household; members follow it to a new hamlet, and the head's name follows the household's.

    Returns the names of the changed fields (recorded in the audit entry, never the values).
    """
    from sqlalchemy import select

    from ..audit import services as audit

    current = {"hamlet_id": household.hamlet_id, "head_name": household.head_name, "address": household.address,
               "phone": household.phone, "poverty_status": household.poverty_status, "notes": household.notes}
    wanted = {"hamlet_id": hamlet.id, **values}
    changed = [k for k in current if current[k] != wanted[k]]
    if not changed:
        return []
    set_household_fields(household, hamlet=hamlet, head_name=values["head_name"], address=values["address"])
    household.phone = values["phone"]
    household.poverty_status = values["poverty_status"]
    household.notes = values["notes"]
    if "hamlet_id" in changed or "head_name" in changed:
        members = db.session.scalars(select(Person).where(Person.household_id == household.id)).all()
        for member in members:
            if "hamlet_id" in changed:
                place_person(member, household)
            if "head_name" in changed and member.relation_to_head == "head" and member.full_name != values[
                    "head_name"]:
                member.set_name(values["head_name"])
                db.session.flush()
                sync_tokens(member)
    audit.record("household.update", obj=household, object_type="household", details={"fields": changed})
    return changed


def person_tag_set(person_id: int) -> set[str]:
    """A person's potential-group tags."""
    from sqlalchemy import select

    return set(db.session.scalars(select(person_tags.c.tag).where(person_tags.c.person_id == person_id)))


def save_person(person: Person, household: Household, *, values: dict, tags: set[str], creating: bool) -> list[str]:
    """Create or change a member, keeping sort key, search tokens, tags and the household head in step.

    Returns the names of the changed fields (the audit entry records names only, never ID numbers).
    """
    from ..audit import services as audit

    changed = [k for k, v in values.items() if creating or getattr(person, k) != v]
    name = values["full_name"]
    renamed = creating or person.full_name != name
    if renamed:
        person.set_name(name)
    for key, value in values.items():
        if key != "full_name":
            setattr(person, key, value)
    if creating:
        place_person(person, household)
        db.session.add(person)
    db.session.flush()
    if renamed:
        sync_tokens(person)
    if creating or person_tag_set(person.id) != tags:
        set_tags(person, tags)
        if tags or not creating:
            changed.append("tags")
    if person.relation_to_head == "head" and household.head_name != name:
        hamlet = db.session.get(Hamlet, household.hamlet_id)
        set_household_fields(household, hamlet=hamlet, head_name=name, address=household.address)
    audit.record("person.create" if creating else "person.update", obj=person, object_type="person",
                 details={"household": household.id, "fields": changed})
    return changed


def bulk_tag(person_ids: list[int], tag: str, action: str) -> tuple[int, int]:
    """Add or remove a tag on the people of the list that the user's scope covers.

    Returns (people changed, ids ignored because they are outside the scope or unknown).
    """
    from sqlalchemy import select

    from ..audit import services as audit
    from ..auth.scope import scoped

    wanted = sorted(set(person_ids))
    allowed: list[int] = []
    for chunk in range(0, len(wanted), 500):
        allowed.extend(db.session.scalars(scoped(Person, select(Person.id)).where(
            Person.id.in_(wanted[chunk:chunk + 500]))))
    have = set()
    for chunk in range(0, len(allowed), 500):
        have.update(db.session.scalars(select(person_tags.c.person_id).where(
            person_tags.c.tag == tag, person_tags.c.person_id.in_(allowed[chunk:chunk + 500]))))
    if action == "add":
        targets = [p for p in allowed if p not in have]
        if targets:
            db.session.execute(insert(person_tags), [{"person_id": p, "tag": tag} for p in targets])
    else:
        targets = [p for p in allowed if p in have]
        for chunk in range(0, len(targets), 500):
            db.session.execute(delete(person_tags).where(person_tags.c.tag == tag,
                                                         person_tags.c.person_id.in_(targets[chunk:chunk + 500])))
    ignored = len(wanted) - len(allowed)
    audit.record("person.bulk_tag", object_type="person",
                 details={"tag": tag, "action": action, "selected": len(wanted), "changed": len(targets),
                          "ignored": ignored})
    return len(targets), ignored


def record_export(action: str, *, filters: dict, rows: int) -> None:
    """The audit entry of an export of personal data (the filter, never ID numbers, and the row count)."""
    from ..audit import services as audit

    audit.record(action, object_type="export", details={"filter": filters, "rows": rows})
