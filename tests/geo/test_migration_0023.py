"""Migration 0023 moves the island communes and the "new rural" person tag to dated commune facts."""

from __future__ import annotations

import os
from datetime import date

from sqlalchemy import text

from portal.extensions import db

from .. import factories
from ..conftest import TEST_DATABASE_URL, make_test_app, reset_postgres_database


def test_island_communes_and_new_rural_tags_become_commune_facts(tmp_path):
    from flask_migrate import upgrade

    if TEST_DATABASE_URL:
        url = TEST_DATABASE_URL + "_facts"
        reset_postgres_database(url)
    else:
        url = f"sqlite:///{tmp_path}/facts.sqlite3"
    previous = os.environ.get("PORTAL_INSTANCE_PATH")
    app = make_test_app(url, str(tmp_path / "inst"))
    if previous:
        os.environ["PORTAL_INSTANCE_PATH"] = previous
    with app.app_context():
        upgrade(revision="0022")
        province = factories.make_province()
        island = factories.make_commune(province, "Xã Đảo Cũ")
        rural = factories.make_commune(province, "Xã Nông Thôn")
        plain = factories.make_commune(province, "Xã Thường")
        db.session.execute(text("UPDATE communes SET island = :t WHERE id = :c"), {"t": True, "c": island.id})
        tagged = []
        for commune in (rural, rural, plain):
            _household, person = factories.make_household(factories.make_hamlet(commune), "Lò Văn Một")
            tagged.append(person.id)
        db.session.execute(text("INSERT INTO person_tags (person_id, tag) VALUES (:p, 'new_rural')"),
                           [{"p": tagged[0]}, {"p": tagged[1]}])
        db.session.execute(text("INSERT INTO person_tags (person_id, tag) VALUES (:p, 'near_poor')"),
                           {"p": tagged[2]})
        db.session.commit()
        upgrade()
        rows = db.session.execute(text("SELECT commune_id, fact, value, effective_from FROM commune_facts "
                                       "ORDER BY commune_id, fact")).all()
        found = {(c, f, bool(v), str(d)[:10]) for c, f, v, d in rows}
        assert found == {(island.id, "island", True, "2025-07-01"), (rural.id, "new_rural", True, "2025-07-01")}
        assert db.session.scalars(text("SELECT tag FROM person_tags")).all() == ["near_poor"]
        assert not db.session.scalar(text("SELECT count(*) FROM person_name_tokens WHERE token = 'TAG:new_rural'"))
        from portal.geo import facts

        assert facts.island_on(island.id, date(2026, 1, 1))
        assert facts.holds_on(rural.id, "new_rural", date(2026, 1, 1))
        db.session.remove()
        db.engine.dispose()
