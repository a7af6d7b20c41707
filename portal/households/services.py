"""Writes to the registry that keep derived fields in step (sort keys, search tokens, territory columns)."""

from __future__ import annotations

from sqlalchemy import Integer, String, delete, insert

from ..audit import services as audit
from ..auth.scope import scoped
from ..database import begin_write
from ..extensions import db
from ..geo.models import Hamlet
from ..i18n import normalise
from ..i18n.collation import collation_key, fold_diacritics, text_collation_key
from .models import Household, Person, person_name_tokens, person_tags, tag_token, words_after


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


def search_rows(person_id: int, *, full_name: str, sort_key: str, commune_id: int, hamlet_id: int,
                search_name: str, tags=()) -> list[dict]:
    """The search rows of one person: a row per name word and per tag, each with the person's sort key, place
    and folded name (see models.person_name_tokens)."""
    copies = {"sort_key": sort_key, "person_id": person_id, "commune_id": commune_id, "hamlet_id": hamlet_id,
              "search_name": search_name}
    after = words_after(full_name, search_name) if search_name else {}
    return [*({"token": word, "words_after": n, **copies} for word, n in sorted(after.items())),
            *({"token": tag_token(tag), "words_after": 0, **copies} for tag in sorted(tags))]


def sync_tokens(person: Person) -> None:
    """Rewrite a person's search rows from their name, sort key, place and tags (after a flush gave the person
    an id; again after any of those changed)."""
    db.session.execute(delete(person_name_tokens).where(person_name_tokens.c.person_id == person.id))
    rows = search_rows(person.id, full_name=person.full_name, sort_key=person.sort_key, commune_id=person.commune_id,
                       hamlet_id=person.hamlet_id, search_name=person.search_name, tags=person_tag_set(person.id))
    if rows:
        db.session.execute(insert(person_name_tokens), rows)


def add_tag_rows(tag: str, person_ids) -> None:
    """The search rows of a tag just given to these people (copied from their people rows, in bulk)."""
    from sqlalchemy import literal, select

    person_ids = list(person_ids)
    for chunk in range(0, len(person_ids), 500):
        db.session.execute(insert(person_name_tokens).from_select(
            ["token", "words_after", "sort_key", "person_id", "commune_id", "hamlet_id", "search_name"],
            select(literal(tag_token(tag), String(40)), literal(0, Integer), Person.sort_key, Person.id,
                   Person.commune_id, Person.hamlet_id, Person.search_name)
            .where(Person.id.in_(person_ids[chunk:chunk + 500]))))


def remove_tag_rows(tag: str, person_ids) -> None:
    """Drop the search rows of a tag taken from these people."""
    person_ids = list(person_ids)
    for chunk in range(0, len(person_ids), 500):
        db.session.execute(delete(person_name_tokens).where(
            person_name_tokens.c.token == tag_token(tag), person_name_tokens.c.person_id.in_(person_ids[chunk:chunk + 500])))


def rebuild_search_rows() -> int:
    """Write every person's search rows again from the people and tags tables (after loading data written
    by other means, e.g. an archive of an older schema); returns the number of rows."""
    from sqlalchemy import select

    db.session.execute(delete(person_name_tokens))
    written, last = 0, 0
    while True:
        people = db.session.execute(select(Person.id, Person.full_name, Person.sort_key, Person.commune_id,
                                           Person.hamlet_id, Person.search_name).where(Person.id > last)
                                    .order_by(Person.id).limit(5000)).all()
        if not people:
            return written
        last = people[-1].id
        tags: dict[int, list[str]] = {}
        for person_id, tag in db.session.execute(select(person_tags.c.person_id, person_tags.c.tag).where(
                person_tags.c.person_id.between(people[0].id, last))):
            tags.setdefault(person_id, []).append(tag)
        rows = [row for p in people for row in search_rows(
            p.id, full_name=p.full_name, sort_key=p.sort_key, commune_id=p.commune_id, hamlet_id=p.hamlet_id,
            search_name=p.search_name, tags=tags.get(p.id, ()))]
        if rows:
            db.session.execute(insert(person_name_tokens), rows)
        written += len(rows)


def set_tags(person: Person, tags: set[str]) -> None:
    """Replace a person's potential-group tags (and their search rows)."""
    db.session.execute(delete(person_tags).where(person_tags.c.person_id == person.id))
    if tags:
        db.session.execute(insert(person_tags), [{"person_id": person.id, "tag": t} for t in sorted(tags)])
    sync_tokens(person)


def apply_person_form(person: Person, form, *, creating: bool) -> list[str]:
    """Copy a PersonForm onto a person, normalising every value; return the changed field names.

    Raises ``normalise.Invalid`` (with the form field's name in ``field``) when a value cannot be accepted.
    """
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


def identity_holder(person_id: int | None, cccd: str | None, bhxh_code: str | None) -> tuple[str, int] | None:
    """Which identity number already belongs to someone else ("cccd" or "bhxh_code") and whose, if any."""
    from sqlalchemy import select

    with db.session.no_autoflush:
        for column, value in (("cccd", cccd), ("bhxh_code", bhxh_code)):
            if value:
                other = db.session.scalar(select(Person.id).where(getattr(Person, column) == value,
                                                                  Person.id != (person_id or 0)))
                if other is not None:
                    return column, other
    return None


def duplicate_identity(person_id: int | None, cccd: str | None, bhxh_code: str | None) -> str | None:
    """Which identity number already belongs to someone else ("cccd" or "bhxh_code"), if any."""
    holder = identity_holder(person_id, cccd, bhxh_code)
    return holder[0] if holder else None


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
            moved = "hamlet_id" in changed
            if moved:
                place_person(member, household)
            renamed = "head_name" in changed and member.relation_to_head == "head" and member.full_name != values[
                "head_name"]
            if renamed:
                member.set_name(values["head_name"])
            if moved or renamed:
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
            add_tag_rows(tag, targets)
    else:
        targets = [p for p in allowed if p in have]
        for chunk in range(0, len(targets), 500):
            db.session.execute(delete(person_tags).where(person_tags.c.tag == tag,
                                                         person_tags.c.person_id.in_(targets[chunk:chunk + 500])))
        remove_tag_rows(tag, targets)
    ignored = len(wanted) - len(allowed)
    audit.record("person.bulk_tag", object_type="person",
                 details={"tag": tag, "action": action, "selected": len(wanted), "changed": len(targets),
                          "ignored": ignored})
    return len(targets), ignored


def record_export(action: str, *, filters: dict, rows: int) -> None:
    """The audit entry of an export of personal data (the filter, never ID numbers, and the row count)."""
    audit.record(action, object_type="export", details={"filter": filters, "rows": rows})


def record_list_view(action: str, *, filters: dict, rows: int, **details) -> None:
    """One audit entry for a page view listing many people's personal data: the filter and the row count, never
    a row or an ID number. Taken once the page is rendered, and committed (as ``record_view``)."""
    from ..audit import services as audit
    from ..database import begin_write

    begin_write()
    audit.record(action, object_type="list", details={"filter": filters, "rows": rows, **details})
    db.session.commit()


def record_view(action: str, object_type: str, object_id: int) -> None:
    """The audit entry of a look at a page of personal data (the data-protection report lists who saw whom).

    Taken once the page is rendered: the commit then expires nothing the page still needs, and SQLite's write lock
    is held only for the insert.
    """
    begin_write()
    audit.record(action, object_type=object_type, object_id=object_id)
