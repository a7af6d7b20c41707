"""Search: names with or without diacritics in Vietnamese order, numbers only in POST bodies, filters, pages,
scope, and the search plans (candidates and walk give the same pages)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

import pytest

from portal.auth import roles
from portal.auth.scope import Scope
from portal.households import queries
from portal.i18n.formatting import local_today

from .. import factories as base
from .factories import add_person, make_household, make_person

LINK = re.compile(r'/households/people/(\d+)"')
URL_ATTRS = re.compile(r'(?:href|action|hx-get|hx-post|hx-push-url|src)="([^"]*)"')


def people_in(html: str) -> list[int]:
    """Person ids linked from a page, in page order (each once)."""
    seen: list[int] = []
    for match in LINK.finditer(html):
        person_id = int(match.group(1))
        if person_id not in seen:
            seen.append(person_id)
    return seen


@pytest.fixture
def officer(client, auth, world):
    auth.login(world.users[roles.LOCAL_OFFICER])
    return world.users[roles.LOCAL_OFFICER]


def test_name_found_with_and_without_diacritics(client, officer, world):
    an = make_person(world.own.hamlet, "Nguyễn Văn An")
    anh = make_person(world.own.hamlet, "Nguyễn Văn Anh")
    other = make_person(world.own.hamlet, "Trần Thị Ánh")
    far = make_person(world.near.hamlet, "Nguyễn Văn An")
    tuan = make_person(world.own.hamlet, "Nguyễn Văn Tuấn")
    for query in ("nguyen van an", "Nguyễn Văn An", "NGUYEN VAN AN", unicodedata.normalize("NFD", "nguyễn văn an")):
        found = people_in(client.get("/households/", query_string={"q": query}).get_data(as_text=True))
        assert found == [an.id], query  # a whole last word: An (and Ân), not Anh; not another office's An

    def search(query):
        return people_in(client.get("/households/", query_string={"q": query}).get_data(as_text=True))

    # The last word is read as unfinished when it is one letter, or when no name has it as a whole word.
    assert search("nguyen van a") == [an.id, anh.id]
    assert search("nguyen van tua") == [tuan.id]
    assert other.id not in search("nguyen van a") and far.id not in search("nguyen van a")
    # Words must start where the name's words start: "an" is not found inside "Trần".
    found = people_in(client.get("/households/?q=an").get_data(as_text=True))
    assert an.id in found and anh.id in found and other.id in found  # Ánh
    assert world.own.person.id not in found  # "Hộ Nghĩa Lộ"
    assert people_in(client.get("/households/?q=van+an").get_data(as_text=True)) == [an.id]
    assert people_in(client.get("/households/?q=an+van").get_data(as_text=True)) == []


def test_results_in_vietnamese_order_by_given_name(client, officer, world):
    hamlet = world.own.hamlet2
    names = ["Đỗ Văn Đức", "Bùi Thị Ánh", "Lê Dũng", "Vũ Văn Anh", "Ân Văn Bình", "Trần Thị Ân", "Hà Văn Anh"]
    people = {name: make_person(hamlet, name) for name in names}
    html = client.get(f"/households/?hamlet={hamlet.id}&commune={world.own.commune.id}").get_data(as_text=True)
    # Given name, then middle names, then family name; a < ă < â, d < đ; tones break ties only at the end.
    expected = ["Bùi Thị Ánh", "Hà Văn Anh", "Vũ Văn Anh", "Trần Thị Ân", "Ân Văn Bình", "Lê Dũng", "Đỗ Văn Đức"]
    assert people_in(html) == [people[n].id for n in expected]


def test_number_search_uses_the_body_and_never_a_url(client, officer, world):
    person = make_person(world.own.hamlet, "Phạm Thị Lan", cccd="001234567890", phone="0912345678",
                         bhxh_code="0123456789")
    secret = {"001234567890", "0912345678", "0123456789", "912345678"}

    def check(response):
        html = response.get_data(as_text=True)
        urls = [u for u in URL_ATTRS.findall(html) if not u.startswith("tel:")]  # a tap-to-call link is fine
        for url in urls + [response.headers.get("Location", ""), response.headers.get("HX-Push-Url", "")]:
            assert not any(s in url for s in secret), url
        return html

    for typed in ("001234567890", "0012 3456 7890", "0912345678", "+84 912 345 678", "0912.345.678",
                  "0123456789"):
        response = client.post("/households/search", data={"q": typed})
        assert response.status_code == 200 and "Location" not in response.headers
        assert people_in(check(response)) == [person.id], typed
        fragment = client.post("/households/search", data={"q": typed},
                               headers={"HX-Request": "true", "HX-Target": "results"})
        html = check(fragment)
        assert "<html" not in html and people_in(html) == [person.id]
    # The person's page shows the numbers, but its links do not carry them either.
    check(client.get(f"/households/people/{person.id}"))
    # Not a readable number: a clear message, nobody listed.
    for typed in ("12345", "0912 345 67", "an 0912345678"):
        response = client.post("/households/search", data={"q": typed})
        assert response.status_code == 422 and people_in(check(response)) == []
    # Digits in the address bar are not searched at all.
    html = check(client.get("/households/?q=001234567890"))
    assert 'role="alert"' in html


def test_name_search_by_post_goes_to_its_bookmarkable_page(client, officer, world):
    make_person(world.own.hamlet, "Nguyễn Văn An")
    response = client.post("/households/search", data={"q": "nguyen van an", "status": "never",
                                                       "commune": str(world.own.commune.id)})
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/households/?q=nguyen+van+an")
    assert "status=never" in response.headers["Location"]
    htmx = client.post("/households/search", data={"q": "nguyen van an"},
                       headers={"HX-Request": "true", "HX-Target": "results"})
    assert htmx.status_code == 200 and htmx.headers["HX-Push-Url"] == "/households/?q=nguyen+van+an"
    assert 'hx-swap-oob="true"' in htmx.get_data(as_text=True)  # the hamlet filter follows the commune
    page = client.htmx_get("/households/?q=nguyen+van+an", target="results")
    assert "<html" not in page.get_data(as_text=True)


def test_filters(client, officer, world):
    today = local_today()
    hamlet, hamlet2 = world.own.hamlet, world.own.hamlet2
    young = make_person(hamlet, "Thào Văn Trẻ", date_of_birth=date(today.year - 20, 1, 1), tags=["craft_village"])
    old = make_person(hamlet2, "Thào Văn Già", date_of_birth=date(today.year - 70, 1, 1),
                      bhxh_tn_status="participating", paid_until=today + timedelta(days=40))
    card = make_person(hamlet2, "Thào Thị Thẻ", bhyt_expires_on=today + timedelta(days=10), compulsory_insured=True)
    lapsed = make_person(hamlet, "Thào Thị Dừng", bhxh_tn_status="stopped", bhyt_expires_on=today - timedelta(days=3))

    def found(**args):
        return set(people_in(client.get("/households/", query_string={"q": "thao", **args}).get_data(as_text=True)))

    everyone = {young.id, old.id, card.id, lapsed.id}
    assert found() == everyone
    assert found(hamlet=hamlet2.id, commune=world.own.commune.id) == {old.id, card.id}
    assert found(commune=world.own.commune2.id) == set()
    assert found(tag="craft_village") == {young.id}
    assert found(status="participating") == {old.id}
    assert found(status="stopped") == {lapsed.id}
    assert found(status="compulsory") == {card.id}
    assert found(bhyt="30") == {card.id}
    assert found(bhyt="expired") == {lapsed.id}
    assert found(bhyt="none") == {young.id, old.id}
    assert found(min_age=60) == {old.id}
    assert found(max_age=30) == {young.id}
    assert found(min_age=18, max_age=65) == {young.id}
    assert found(tag="nonsense", status="nonsense", bhyt="7", min_age="x") == everyone  # unknown values ignored


def test_pages_of_results(client, officer, world):
    hamlet = world.own.hamlet2
    household = make_household(hamlet, "Sùng A Páo")
    for n in range(29):
        add_person(household, f"Sùng Thị {chr(ord('A') + n % 26)}{n:02d}")
    first = client.get(f"/households/?q=sung&commune={world.own.commune.id}").get_data(as_text=True)
    second = client.get(f"/households/?q=sung&commune={world.own.commune.id}&page=2").get_data(as_text=True)
    assert len(people_in(first)) == 25 and len(people_in(second)) == 5
    assert not set(people_in(first)) & set(people_in(second))
    assert 'rel="next"' in first and "page=2" in first and 'rel="prev"' in second
    assert "/households/export.xlsx?q=sung" in first


def test_agent_and_officers_see_only_their_area(client, auth, world):
    own = make_person(world.own.hamlet, "Giàng Seo Chứ")
    own2 = make_person(world.own.hamlet2, "Giàng Seo Dợ")
    near = make_person(world.near.hamlet, "Giàng Seo Mỷ")
    far = make_person(world.far.hamlet, "Giàng Seo Pó")
    expected = {roles.AGENT: {own.id}, roles.LOCAL_OFFICER: {own.id, own2.id}, roles.VIEWER: {own.id, own2.id},
                roles.PROVINCE_OFFICER: {own.id, own2.id, near.id}, roles.ADMIN: {own.id, own2.id, near.id, far.id}}
    for role, ids in expected.items():
        auth.login(world.users[role])
        assert set(people_in(client.get("/households/?q=giang+seo").get_data(as_text=True))) == ids, role
        assert set(people_in(client.get("/households/?q=").get_data(as_text=True))) >= ids
        assert set(people_in(client.get("/households/?q=").get_data(as_text=True))).isdisjoint(
            {near.id, far.id} - ids)
        auth.logout()


def test_only_editors_get_the_bulk_form(client, auth, world):
    make_person(world.own.hamlet, "Hoàng Văn Nam")
    auth.login(world.users[roles.AGENT])
    html = client.get("/households/?q=nam").get_data(as_text=True)
    assert 'name="person"' not in html and "/households/people/tags" not in html


# --- The plans: the walk over communes gives exactly what one sorted query gives -----------------------------


def _plain_order(f, scope, today):
    from sqlalchemy import select

    from portal.auth.scope import scoped
    from portal.extensions import db
    from portal.households.models import Person

    stmt = scoped(Person, select(Person.id), scope=scope).where(*queries.filter_clauses(f, today))
    words = queries.name_words(f.name)
    if words:
        stmt = stmt.where(queries.phrase_clause(words))
    return list(db.session.scalars(stmt.order_by(Person.sort_key, Person.id)))


@pytest.mark.parametrize("plan", ["candidates", "walk"])
def test_plans_give_the_same_pages(app, world, monkeypatch, plan):
    today = local_today()
    names = ["Nguyễn Văn An", "Nguyễn Văn Anh", "Trần Văn An", "Lê Thị Ánh", "Nguyễn Thị Ân", "Phạm Văn Bình"]
    hamlets = [world.own.hamlet, world.own.hamlet2, world.near.hamlet, world.near.hamlet2]
    for n in range(60):
        make_person(hamlets[n % 4], names[n % len(names)], date_of_birth=date(1960 + n % 40, 1 + n % 12, 1),
                    tags=["small_trader"] if n % 3 == 0 else [])
    if plan == "walk":
        monkeypatch.setattr(queries, "PROBE_US", 1e9)  # candidates never pay off: walk the sort index
        monkeypatch.setattr(queries, "CANDIDATE_ROW_US", 1e9)
    else:
        monkeypatch.setattr(queries, "WALK_ROW_US", 1e9)
    province = Scope("province", province_id=world.own.province.id, office_id=world.own.province_office.id)
    for f in (queries.PeopleFilter(), queries.PeopleFilter(name="nguyen van a"), queries.PeopleFilter(name="an"),
              queries.PeopleFilter(tag="small_trader"), queries.PeopleFilter(name="van", min_age=30)):
        expected = _plain_order(f, province, today)
        got = []
        for page in (1, 2, 3, 4):
            result = queries.search_people(f, scope=province, page=page, per_page=7, today=today)
            assert result.count == len(expected)
            got += [row[0].id for row in result.rows]
            if f.name or f.tag:
                assert result.plan == plan
        assert got == expected[:28], f


def test_count_stops_at_the_cap(app, world, monkeypatch):
    monkeypatch.setattr(queries, "COUNT_CAP", 10)
    for n in range(12):
        make_person(world.own.hamlet, f"Hà Văn {chr(ord('A') + n)}")
    scope = Scope("office", province_id=world.own.province.id, office_id=world.own.office.id)
    result = queries.search_people(queries.PeopleFilter(name="ha van"), scope=scope, per_page=5)
    assert result.count == 10 and result.more and result.pages == 2


def test_factories_write_derived_fields(app, world):
    person = make_person(world.own.hamlet, "Nguyễn Thị Hồng", tags=["near_poor"])
    assert person.search_name == "nguyen thi hong" and person.commune_id == world.own.commune.id
    assert base.DEFAULT_PASSWORD  # the shared factories stay usable beside ours
