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
    # Given name, then middle names, then family name, each word's letters (a < ă < â, d < đ) then its tones.
    expected = ["Hà Văn Anh", "Vũ Văn Anh", "Bùi Thị Ánh", "Trần Thị Ân", "Ân Văn Bình", "Lê Dũng", "Đỗ Văn Đức"]
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


# --- The plans: every driver gives exactly what one sorted query over people gives --------------------------


def _plain_order(f, scope, today):
    from sqlalchemy import select

    from portal.auth.scope import scoped
    from portal.extensions import db
    from portal.households.models import Person

    stmt = scoped(Person, select(Person.id), scope=scope).where(*queries.filter_clauses(f, today))
    words = queries.name_words(f.name)
    if words:
        stmt = stmt.where(queries.phrase_clause(words, prefix=len(words) == 1 or len(words[-1]) == 1
                                                or words[-1] == "tua"))
    return list(db.session.scalars(stmt.order_by(Person.sort_key, Person.id)))


def _registry(world):
    today = local_today()
    # Three-word names, and some whose phrase may stop before the given name (four words), with a word twice
    # or with a word that is not plain letters (search rows then say "anywhere" for every word).
    names = ["Nguyễn Văn An", "Nguyễn Văn Anh", "Trần Văn An", "Lê Thị Ánh", "Nguyễn Thị Ân", "Phạm Văn Bình",
             "Nguyễn Văn Tuấn", "Nguyễn Ngọc Nga", "Nguyễn Văn Tuấn Anh", "Lò Văn Lò", "Nguyễn Văn An-Bình",
             "Nguyễn Thị Thu An"]
    hamlets = [world.own.hamlet, world.own.hamlet2, world.near.hamlet, world.near.hamlet2, world.far.hamlet]
    for n in range(84):
        make_person(hamlets[n % 5], names[n % len(names)], date_of_birth=date(1960 + n % 40, 1 + n % 12, 1),
                    tags=["small_trader"] if n % 3 == 0 else [],
                    bhxh_tn_status=("never", "participating", "stopped")[n % 3],
                    bhyt_expires_on=today + timedelta(days=n % 50 - 10) if n % 4 else None,
                    compulsory_insured=n % 7 == 0)
    return today


def _cases(world):
    own, near = world.own, world.near
    return [
        (queries.PeopleFilter(), ["all"]),
        (queries.PeopleFilter(name="nguyen van a"), ["word", "prefix", "all"]),
        (queries.PeopleFilter(name="nguyen van an"), ["word", "all"]),
        (queries.PeopleFilter(name="nguyen van tua"), ["word", "prefix", "all"]),
        (queries.PeopleFilter(name="nguyen van t"), ["word", "prefix", "all"]),  # Tuấn, and Tuấn Anh
        (queries.PeopleFilter(name="van an"), ["word", "all"]),  # An, not An-Bình
        (queries.PeopleFilter(name="nguyen thi thu an"), ["word", "all"]),
        (queries.PeopleFilter(name="lo van lo"), ["word", "all"]),
        (queries.PeopleFilter(name="thu"), ["prefix", "all"]),
        (queries.PeopleFilter(name="ng"), ["prefix", "all"]),  # Nguyễn and Ngọc Nga: each person once
        (queries.PeopleFilter(tag="small_trader"), ["tag", "all"]),
        (queries.PeopleFilter(name="van", min_age=30), ["prefix", "all"]),
        (queries.PeopleFilter(name="nguyen an", tag="small_trader", max_age=50), ["word", "tag", "all"]),
        (queries.PeopleFilter(status="participating"), ["status", "all"]),
        (queries.PeopleFilter(status="compulsory", name="an"), ["prefix", "all"]),
        (queries.PeopleFilter(bhyt="30", name="van"), ["bhyt", "prefix", "all"]),
        (queries.PeopleFilter(bhyt="expired", tag="small_trader"), ["bhyt", "tag", "all"]),
        (queries.PeopleFilter(bhyt="none", status="stopped"), ["bhyt", "status", "all"]),
        (queries.PeopleFilter(commune_id=near.commune.id, name="nguyen"), ["commune", "prefix", "all"]),
        (queries.PeopleFilter(commune_id=own.commune2.id, name="nguyen van an", tag="small_trader"),
         ["commune", "word", "word by commune", "tag", "tag by commune", "all"]),
        (queries.PeopleFilter(commune_id=own.commune.id, hamlet_id=own.hamlet2.id, status="never"),
         ["hamlet", "commune", "status", "all"]),
    ]


LABELS = ("word", "prefix", "tag", "status", "bhyt", "hamlet", "hamlets", "all", "commune", "word by commune",
          "tag by commune")


@pytest.mark.parametrize("kind", ["province", "office", "agent", "all"])
def test_every_driver_gives_the_same_pages(app, world, kind):
    today = _registry(world)
    scope = {"province": Scope("province", province_id=world.own.province.id,
                               office_id=world.own.province_office.id),
             "office": Scope("office", province_id=world.own.province.id, office_id=world.own.office.id),
             "agent": Scope("agent", agent_id=world.own.agent.id), "all": Scope("all")}[kind]
    merged = kind != "all"  # a few communes: walked one by one and merged
    for f, drivers in _cases(world):
        expected = _plain_order(f, scope, today)
        used = set()
        for driver in (None, *LABELS):
            got = []
            try:
                for page in (1, 2, 3, 4):
                    result = queries.search_people(f, scope=scope, page=page, per_page=5, today=today,
                                                   driver=driver)
                    assert result.count == len(expected) and not result.more, (f, driver)
                    assert driver is None or result.plan == driver
                    got += [row[0].id for row in result.rows]
            except ValueError:  # no such driver for this query
                continue
            used.add(driver)
            assert got == expected[:20], (f, driver)
        assert set(drivers) <= used, f
        if merged:
            assert "commune" in used
            assert ("word" not in drivers) or "word by commune" in used
            assert ("tag" not in drivers) or "tag by commune" in used
        assert (kind == "agent") == ("hamlets" in used)


def test_a_misleading_sample_changes_the_plan_not_the_result(app, world, monkeypatch):
    from portal.households import search_sample

    today = _registry(world)
    real = search_sample.current()
    monkeypatch.setattr("portal.households.search_plan.SIZE_CAP", 3)  # price (nearly) every plan with the sample
    monkeypatch.setattr(search_sample, "ARM_COST", 0)  # and let merged walks look free
    scopes = (Scope("office", province_id=world.own.province.id, office_id=world.own.office.id),
              Scope("agent", agent_id=world.own.agent.id), Scope("all"))
    for f, _drivers in _cases(world):
        words = queries.name_words(f.name)
        # A sample where nobody has the words or the tag asked for, standing for a hundred thousand people.
        rows = [r for r in real.rows if not (f.tag and f.tag in r.tags) and not any(w in r.after for w in words)]
        misleading = search_sample.Sample(people=100_000, rows=rows, taken=real.taken)
        monkeypatch.setattr(search_sample, "current", lambda sample=misleading: sample)
        for scope in scopes:
            expected = _plain_order(f, scope, today)
            result = queries.search_people(f, scope=scope, per_page=50, today=today)
            assert [row[0].id for row in result.rows] == expected[:50], (scope, f, result.plan)
            assert result.count == len(expected)


def test_the_planner_starts_from_what_is_rare(app, world):
    today = _registry(world)
    scope = Scope("all")
    make_person(world.own.hamlet, "Giàng Seo Páo", tags=["craft_village"])
    assert queries.search_people(queries.PeopleFilter(name="giang seo pao"), scope=scope, today=today).plan == "word"
    assert queries.search_people(queries.PeopleFilter(tag="craft_village"), scope=scope, today=today).plan == "tag"
    # A word nobody has: nothing to walk.
    result = queries.search_people(queries.PeopleFilter(name="nguyen xyz abc"), scope=scope, today=today)
    assert result.rows == [] and result.count == 0


def test_count_stops_at_the_cap(app, world, monkeypatch):
    from portal.households import search

    monkeypatch.setattr(search, "COUNT_CAP", 10)
    for n in range(12):
        make_person(world.own.hamlet, f"Hà Văn {chr(ord('A') + n)}")
    scope = Scope("office", province_id=world.own.province.id, office_id=world.own.office.id)
    for name, driver in (("ha van", "word"), ("ha v", "prefix"), ("ha van", "all"), ("ha van", None)):
        result = queries.search_people(queries.PeopleFilter(name=name), scope=scope, per_page=5, driver=driver)
        assert result.count == 10 and result.more and result.pages == 2
        assert len(result.rows) == 5


def test_factories_write_derived_fields(app, world):
    person = make_person(world.own.hamlet, "Nguyễn Thị Hồng", tags=["near_poor"])
    assert person.search_name == "nguyen thi hong" and person.commune_id == world.own.commune.id
    assert base.DEFAULT_PASSWORD  # the shared factories stay usable beside ours


def test_each_page_of_search_results_leaves_one_audit_entry_without_digits(client, auth, world):
    from sqlalchemy import select

    from portal.audit.models import AuditEntry
    from portal.auth import roles as _roles
    from portal.extensions import db

    from .factories import make_person as _make_person

    for name in ("Vừ Thị Một", "Vừ Thị Hai", "Vừ Thị Ba"):
        _make_person(world.own.hamlet, name)
    _make_person(world.own.hamlet, "Vừ Văn Số", cccd="001088123456")
    auth.login(world.users[_roles.LOCAL_OFFICER])
    client.get("/households/?q=vu+thi")
    client.post("/households/search", data={"q": "001088123456"})
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "view.people_search")
                                 .order_by(AuditEntry.id)).all()
    assert [e.details["rows"] for e in entries] == [3, 1]
    assert entries[0].details["filter"]["name"] == "vu thi" or "vu" in str(entries[0].details["filter"])
    assert entries[1].details["number_search"] is True and "123456" not in str(entries[1].details)


@pytest.mark.parametrize("drives", [False, True])
def test_a_filter_declared_once_is_honoured_by_every_driver(app, world, monkeypatch, drives):
    """A new filter is one Condition: the plain query, every plan and the planner's sample read it."""
    from dataclasses import asdict, dataclass

    from portal.extensions import db
    from portal.households import search, search_sample
    from portal.households.models import Person

    today = _registry(world)
    for n, person_id in enumerate(_plain_order(queries.PeopleFilter(), Scope("all"), today)):
        db.session.get(Person, person_id).sex = ("male", "female", "female")[n % 3]
    sex = search.Condition("sex", "sex", lambda value: value if value in ("male", "female") else None, ("sex",),
                           lambda value, today, c: c.sex == value, lambda value, today: lambda r: r.sex == value,
                           drive=search.Drive(index="ix_people_sort") if drives else None)
    monkeypatch.setattr(search, "CONDITIONS", (*search.CONDITIONS, sex))
    search_sample.forget()  # sampled people now carry the new column

    @dataclass
    class WithSex(queries.PeopleFilter):
        sex: str | None = None

    assert WithSex.from_args({"sex": "female", "q": "an"}).query_args() == {"q": "an", "sex": "female"}
    assert WithSex.from_args({"sex": "other"}).sex is None
    scopes = (Scope("office", province_id=world.own.province.id, office_id=world.own.office.id),
              Scope("agent", agent_id=world.own.agent.id), Scope("all"))
    thinned = 0
    for f, _drivers in _cases(world):
        f = WithSex(**asdict(f), sex="female")
        for scope in scopes:
            plain = _plain_order(WithSex(**{**asdict(f), "sex": None}), scope, today)
            expected = [i for i in plain if db.session.get(Person, i).sex == "female"]
            thinned += len(plain) - len(expected)
            used = set()
            for driver in (None, *LABELS, "sex"):
                try:
                    result = queries.search_people(f, scope=scope, per_page=50, today=today, driver=driver)
                except ValueError:  # no such driver for this query
                    continue
                used.add(driver)
                assert [row[0].id for row in result.rows] == expected[:50], (f, scope, driver, result.plan)
                assert result.count == len(expected)
            assert ("sex" in used) == drives
            assert "all" in used
    assert thinned > 100  # the filter left people out
