"""Commune facts with their dates: what holds on a day, the island rate on the day of a sign-up, the search."""

from __future__ import annotations

from datetime import date

from portal.auth.scope import scope_for
from portal.extensions import db
from portal.geo import facts
from portal.households.search import PeopleFilter, search_people
from portal.policy.services import seed_shipped
from portal.results import services as results

from .. import factories


def test_a_fact_holds_from_its_day_until_a_later_entry_says_otherwise(world):
    commune = world.own.commune
    facts.record(commune, fact="new_rural", value=True, effective_from=date(2026, 1, 1), source="QĐ 12/QĐ-UBND")
    facts.record(commune, fact="new_rural", value=False, effective_from=date(2026, 9, 1), source=None)
    db.session.commit()
    assert not facts.holds_on(commune.id, "new_rural", date(2025, 12, 31))
    assert facts.holds_on(commune.id, "new_rural", date(2026, 1, 1))
    assert not facts.holds_on(commune.id, "new_rural", date(2026, 9, 1))
    assert [f.effective_from for f in facts.history(commune.id)] == [date(2026, 9, 1), date(2026, 1, 1)]
    assert facts.communes_holding("new_rural", date(2026, 5, 1)) == {commune.id}


def test_the_island_rate_follows_the_day_of_the_sign_up(world):
    seed_shipped()
    household, person = factories.make_household(world.own.hamlet, "Nguyễn Văn Đảo")
    facts.record(world.own.commune, fact="island", value=True, effective_from=date(2026, 3, 1), source=None)
    db.session.commit()

    def support(day):
        return results.quote_for(person, household, scheme="bhxh_tn", on=day, income=1_500_000, mode="monthly",
                                 months=None, member_order=None).support

    assert support(date(2026, 2, 27)) == 66_000  # others: 20% of 330.000
    assert support(date(2026, 3, 2)) == 165_000  # island commune: 50%


def test_an_island_commune_from_before_dated_facts_keeps_its_past(world):
    special = factories.make_commune(world.own.province, "Đặc khu Cô Tô Thử", division_type="đặc khu")
    assert facts.island_on(special.id, date(2025, 8, 1))
    facts.record(special, fact="island", value=False, effective_from=date(2026, 6, 1), source=None)
    db.session.commit()
    assert facts.island_on(special.id, date(2025, 8, 1)) and not facts.island_on(special.id, date(2026, 6, 2))


def test_people_search_filters_by_kind_of_commune(world):
    _h, inside = factories.make_household(world.own.hamlet, "Lò Thị Mai")
    _h2, outside = factories.make_household(world.own.hamlet2, "Lò Thị Mai Hai")
    other_commune_hamlet = factories.make_hamlet(world.own.commune2, "Thôn Khác")
    _h3, elsewhere = factories.make_household(other_commune_hamlet, "Lò Văn Khác")
    facts.record(world.own.commune, fact="new_rural", value=True, effective_from=date(2025, 7, 1), source=None)
    db.session.commit()
    scope = scope_for(world.users["local_officer"])
    found = search_people(PeopleFilter(name="lo", commune_fact="new_rural"), scope=scope)
    ids = {row[0].id for row in found.rows}
    assert inside.id in ids and outside.id in ids and elsewhere.id not in ids
    alone = {row[0].id for row in search_people(PeopleFilter(commune_fact="new_rural"), scope=scope).rows}
    assert alone == ids
    assert PeopleFilter.from_args({"commune_fact": "nonsense"}).commune_fact is None
