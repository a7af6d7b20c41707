"""Search rows (person_name_tokens) stay what the people and tags say: after renames, moves, tags added and
removed one by one or in bulk, a rebuild, and the 0011 migration that made them."""

from __future__ import annotations

import os
from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import func, select, text

from portal.auth.scope import Scope
from portal.extensions import db
from portal.households import queries, services
from portal.households.models import Household, person_name_tokens, tag_token, words_after

from .factories import head_of, make_household, make_person


def _search_rows(person_id):
    t = person_name_tokens
    return set(db.session.execute(select(t.c.token, t.c.words_after, t.c.sort_key, t.c.commune_id, t.c.hamlet_id,
                                         t.c.search_name).where(t.c.person_id == person_id)).all())


def _expected_rows(person, tags=()):
    after = words_after(person.full_name, person.search_name)
    return {(w, after.get(w, 0), person.sort_key, person.commune_id, person.hamlet_id, person.search_name)
            for w in [*after, *(tag_token(t) for t in tags)]}


#: Names, and the words_after of each of their folded words.
TRICKY = {
    "Lò Văn Sinh": {"lo": 2, "van": 1, "sinh": 0},
    "Nguyễn Thị Thu Hà": {"nguyen": 3, "thi": 2, "thu": 1, "ha": 0},
    "Trần Văn Ba Bốn Năm": {"tran": 3, "van": 3, "ba": 2, "bon": 1, "nam": 0},
    "Lò Văn Lò": {"lo": 3, "van": 1},  # a word twice: anywhere
    "Nguyễn Văn An-Bình": {"nguyen": 3, "van": 3, "an-binh": 3},  # not plain letters: anywhere
    "Hà": {"ha": 0},
}


def test_words_after_each_word():
    from portal.i18n.collation import fold_diacritics

    for name, expected in TRICKY.items():
        assert words_after(name, fold_diacritics(name)) == expected, name


def test_search_rows_follow_renames_moves_and_tags(app, world):
    household = make_household(world.own.hamlet, "Lò Văn Sinh", tags=["near_poor"])
    head = head_of(household)
    assert _search_rows(head.id) == _expected_rows(head, ["near_poor"])
    # A move to another commune's hamlet and a new head's name.
    household = db.session.get(Household, household.id)
    services.update_household(household, hamlet=world.near.hamlet, values={
        "head_name": "Lò Văn Sáng", "address": household.address, "phone": None, "poverty_status": "none",
        "notes": None})
    db.session.commit()
    assert head.commune_id == world.near.commune.id
    assert _search_rows(head.id) == _expected_rows(head, ["near_poor"])
    # Bulk tagging adds and removes the tag rows.
    with app.test_request_context():
        from flask import g

        g.scope = Scope("all")
        services.bulk_tag([head.id], "small_trader", "add")
        db.session.commit()
        assert _search_rows(head.id) == _expected_rows(head, ["near_poor", "small_trader"])
        services.bulk_tag([head.id], "near_poor", "remove")
        db.session.commit()
    assert _search_rows(head.id) == _expected_rows(head, ["small_trader"])
    found = queries.search_people(queries.PeopleFilter(name="lo van sang", tag="small_trader"), scope=Scope("all"))
    assert [row[0].id for row in found.rows] == [head.id]
    # Rebuilding from people and tags writes the same rows.
    other = make_person(world.own.hamlet2, "Vàng Thị Mỷ", tags=["craft_village", "contract_ended"])
    before = {p: _search_rows(p) for p in (head.id, other.id)}
    total = db.session.scalar(select(func.count()).select_from(person_name_tokens))
    assert services.rebuild_search_rows() == total
    db.session.commit()
    assert {p: _search_rows(p) for p in (head.id, other.id)} == before


def test_editing_a_person_rewrites_their_rows(app, world):
    person = make_person(world.own.hamlet, "Hầu A Sử", tags=["contract_ended"])
    person.bhxh_tn_status = "participating"  # coverage is not copied: no rewrite needed
    services.save_person(person, db.session.get(Household, person.household_id),
                         values={"full_name": "Hầu A Chứ"}, tags={"craft_village"}, creating=False)
    db.session.commit()
    assert _search_rows(person.id) == _expected_rows(person, ["craft_village"])


def test_the_migration_builds_search_rows_from_words_and_tags(tmp_path):
    from flask_migrate import downgrade, upgrade

    from ..conftest import TEST_DATABASE_URL, make_test_app, reset_postgres_database

    if TEST_DATABASE_URL:
        url = TEST_DATABASE_URL + "_search_rows"
        reset_postgres_database(url)
    else:
        url = f"sqlite:///{tmp_path}/search_rows.sqlite3"
    previous = os.environ.get("PORTAL_INSTANCE_PATH")
    app = make_test_app(url, str(tmp_path / "inst"))
    if previous:
        os.environ["PORTAL_INSTANCE_PATH"] = previous
    with app.app_context():
        upgrade(revision="0010")
        from portal.households.models import Person
        from portal.households.services import place_person, set_household_fields

        from .. import factories

        # The commune row as revision 0010 has it (the model has columns added since).
        province = factories.make_province()
        db.session.execute(text("INSERT INTO communes (code, province_id, name, division_type, search_name, "
                                "sort_key) VALUES ('99001', :p, 'Xã Một', 'xã', 'xa mot', 'mot')"),
                           {"p": province.id})
        commune_id = db.session.scalar(text("SELECT id FROM communes WHERE code = '99001'"))
        hamlet = factories.make_hamlet(SimpleNamespace(id=commune_id), "Thôn Một")
        people = []
        for name in TRICKY:
            household = Household(poverty_status="none")
            set_household_fields(household, hamlet=hamlet, head_name=name, address=name)
            db.session.add(household)
            db.session.flush()
            person = Person(relation_to_head="head")
            person.set_name(name)
            place_person(person, household)
            # The person row as revision 0010 has it (the model has columns added since).
            person.id = db.session.scalar(text(
                "INSERT INTO people (household_id, hamlet_id, commune_id, full_name, sort_key, search_name, "
                "relation_to_head, ethnic_minority, bhxh_tn_status, compulsory_insured, version, created_at, "
                "updated_at) VALUES (:h, :hamlet, :c, :n, :k, :s, 'head', false, 'never', false, 1, :t, :t) "
                "RETURNING id"), {"h": household.id, "hamlet": person.hamlet_id, "c": person.commune_id,
                                  "n": person.full_name, "k": person.sort_key, "s": person.search_name,
                                  "t": datetime(2026, 1, 1)})
            people.append(person)
            for word in set(person.search_name.split()):  # the search rows of revision 0010
                db.session.execute(text("INSERT INTO person_name_tokens (token, person_id) VALUES (:t, :p)"),
                                   {"t": word, "p": person.id})
        db.session.execute(text("INSERT INTO person_tags (person_id, tag) VALUES (:p, 'near_poor')"),
                           {"p": people[0].id})
        # What the services would write for the same people and tags.
        expected = {(row["token"], row["words_after"], row["sort_key"], row["person_id"], row["commune_id"],
                     row["hamlet_id"], row["search_name"])
                    for p in people for row in services.search_rows(
                        p.id, full_name=p.full_name, sort_key=p.sort_key, commune_id=p.commune_id,
                        hamlet_id=p.hamlet_id, search_name=p.search_name,
                        tags=["near_poor"] if p is people[0] else ())}
        old_rows = {(w, p.id) for p in people for w in set(p.search_name.split())}
        db.session.commit()
        upgrade()
        rows = set(db.session.execute(select(person_name_tokens)).all())
        assert rows == expected and len(rows) == 19
        db.session.rollback()
        downgrade(revision="0010")
        assert set(db.session.execute(text("SELECT token, person_id FROM person_name_tokens")).all()) == old_rows
        db.session.remove()
        db.engine.dispose()
