"""Writing a clean import report in one transaction, with bulk statements (a few per table, not per row).

The derived columns (sort keys, folded names, search tokens, territory columns) are computed here with the
same functions the single-record services use, so an imported person is indistinguishable from one typed in.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import bindparam, func, insert, select, text, update

from ..audit import services as audit
from ..extensions import db
from ..geo.importer import infer_kind
from ..geo.models import Hamlet
from ..i18n.collation import collation_key, fold_diacritics, text_collation_key
from ..types import utcnow
from .importer import PERSON_FIELDS, Report
from .models import Household, Person, person_name_tokens, person_tags
from .services import add_tag_rows, household_match_key, search_rows

BATCH = 5000


def _create_hamlets(commune, report: Report) -> None:
    for key, (name, _rows) in sorted(report.unknown_hamlets.items()):
        hamlet = Hamlet(commune_id=commune.id, kind=infer_kind(name))
        hamlet.set_name(name)
        db.session.add(hamlet)
        db.session.flush()
        report.hamlet_ids[key] = hamlet.id


def _reserve_ids(table, n: int) -> list[int]:
    """Ids for ``n`` new rows of a table, taken before inserting them all in one batch.

    PostgreSQL hands them out from the table's sequence. On SQLite the import's transaction holds the
    database's only write lock (it began with BEGIN IMMEDIATE), so nobody can take the ids after the highest
    one before ours are written; were it ever otherwise, the insert fails and nothing is written.
    """
    if n == 0:
        return []
    if db.session.get_bind().dialect.name == "postgresql":
        sequence = db.session.scalar(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table.name})
        return list(db.session.scalars(text("SELECT nextval(:s) FROM generate_series(1, :n)"),
                                       {"s": sequence, "n": n}))
    start = db.session.scalar(select(func.coalesce(func.max(table.c.id), 0))) + 1
    return list(range(start, start + n))


def _insert_ids(table, rows: list[dict]) -> list[int]:
    """Insert rows with ids of their own (see :func:`_reserve_ids`); the ids, in the order of the rows."""
    ids = _reserve_ids(table, len(rows))
    for row, row_id in zip(rows, ids, strict=True):
        row["id"] = row_id
    _executemany(insert(table), rows)
    return ids


def _executemany(statement, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        db.session.execute(statement, rows[start:start + BATCH])


def apply(commune, report: Report) -> int:
    """Write every new and updated row of a clean report (caller commits, or rolls back on error)."""
    if not report.ok:
        raise ValueError("a report with rejected rows cannot be applied")
    if report.create_hamlets and report.unknown_hamlets:
        _create_hamlets(commune, report)
    now = utcnow()
    new_households: dict[tuple[int, str], dict] = {}
    for row in report.new:
        if row.household_id is None:
            hamlet_id = report.hamlet_ids[row.hamlet_key]
            key = (hamlet_id, household_match_key(row.head, row.address))
            new_households.setdefault(key, {
                "hamlet_id": hamlet_id, "commune_id": commune.id, "address": row.address or None,
                "head_name": row.head, "phone": None, "poverty_status": row.values.get("poverty") or "none",
                "match_key": key[1], "sort_key": collation_key(row.head),
                "address_key": text_collation_key(row.address or "")[:700], "version": 1, "created_at": now,
                "updated_at": now})
    created = _insert_ids(Household.__table__, list(new_households.values()))
    household_ids = dict(zip(new_households, created, strict=True))
    people = []
    for row in report.new:
        hamlet_id = report.hamlet_ids[row.hamlet_key]
        household_id = row.household_id or household_ids[(hamlet_id, household_match_key(row.head, row.address))]
        values = row.values
        name = values["full_name"]
        person = {f: values.get(f) for f in PERSON_FIELDS}
        person.update(
            household_id=household_id, hamlet_id=hamlet_id, commune_id=commune.id, full_name=name,
            sort_key=collation_key(name), search_name=fold_diacritics(name), relation_to_head=values["relation"],
            bhxh_tn_status=values.get("bhxh_tn_status") or "never",
            compulsory_insured=bool(values.get("compulsory_insured")),
            ethnic_minority=bool(values.get("ethnicity")) and fold_diacritics(values["ethnicity"]) != "kinh",
            version=1, created_at=now, updated_at=now)
        people.append(person)
    ids = _insert_ids(Person.__table__, people)
    tokens = [token for pid, person, row in zip(ids, people, report.new, strict=True)
              for token in search_rows(pid, full_name=person["full_name"], sort_key=person["sort_key"],
                                       commune_id=person["commune_id"], hamlet_id=person["hamlet_id"],
                                       search_name=person["search_name"], tags=row.values.get("tags") or ())]
    tags = [{"person_id": pid, "tag": tag} for pid, row in zip(ids, report.new, strict=True)
            for tag in sorted(row.values.get("tags") or ())]
    added: dict[str, list[int]] = defaultdict(list)
    for row in report.updated:
        for tag in sorted(row.new_tags):
            tags.append({"person_id": row.person_id, "tag": tag})
            added[tag].append(row.person_id)
    _update(report, now)
    _executemany(insert(person_name_tokens), tokens)
    _executemany(insert(person_tags), tags)
    for tag, person_ids in added.items():
        add_tag_rows(tag, person_ids)
    return report.writes


def save(commune, report: Report, filename: str) -> int:
    """Write a clean report and record the import in the audit log (the caller commits); the people written."""
    written = apply(commune, report)
    audit.record("households.import", obj=commune, object_type="commune",
                 details={"file": filename, "new": len(report.new), "updated": len(report.updated),
                          "unchanged": report.unchanged,
                          "hamlets_created": len(report.unknown_hamlets) if report.create_hamlets else 0})
    return written


def _update(report: Report, now) -> None:
    """Changed fields of the people found, grouped by which fields change (one statement per group)."""
    people = Person.__table__
    groups: dict[tuple[str, ...], list[dict]] = defaultdict(list)
    poverty: list[dict] = []
    for row in report.updated:
        fields = tuple(f for f in row.changes if f in PERSON_FIELDS)
        if fields:
            groups[fields].append({"pid": row.person_id, **{f"v_{f}": row.values[f] for f in fields}})
        if "poverty" in row.changes:
            poverty.append({"hid": row.household_id, "v_poverty": row.values["poverty"]})
    for fields, rows in groups.items():
        values = {f: bindparam(f"v_{f}") for f in fields}
        if "ethnicity" in fields:
            for item in rows:
                item["v_minority"] = fold_diacritics(item["v_ethnicity"]) != "kinh"
            values["ethnic_minority"] = bindparam("v_minority")
        statement = (update(people).where(people.c.id == bindparam("pid"))
                     .values(**values, version=people.c.version + 1, updated_at=now))
        _executemany(statement.execution_options(synchronize_session=False), rows)
    if poverty:
        households = Household.__table__
        _executemany(update(households).where(households.c.id == bindparam("hid")).values(
            poverty_status=bindparam("v_poverty"), version=households.c.version + 1, updated_at=now), poverty)
