"""Household and person pages: detail, edits with inline validation, 422 and 409, new households and members,
roles and territory, bulk tagging, audit entries without ID numbers."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.auth import roles
from portal.extensions import db
from portal.households.models import Household, Person, person_name_tokens, person_tags

from .factories import add_person, head_of, make_household, make_person


def _audit(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def _household_data(household: Household, **changes) -> dict:
    data = {"commune_id": str(household.commune_id), "hamlet_id": str(household.hamlet_id),
            "head_name": household.head_name, "address": household.address or "", "phone": household.phone or "",
            "poverty_status": household.poverty_status, "notes": household.notes or "",
            "version": str(household.version)}
    data.update(changes)
    return data


def _person_data(person: Person, **changes) -> dict:
    data = {"full_name": person.full_name, "sex": person.sex or "", "relation_to_head": person.relation_to_head,
            "date_of_birth": person.date_of_birth.strftime("%d/%m/%Y") if person.date_of_birth else "",
            "cccd": person.cccd or "", "bhxh_code": person.bhxh_code or "", "phone": person.phone or "",
            "ethnicity": person.ethnicity or "", "occupation": person.occupation or "", "income_band": "",
            "bhxh_tn_status": person.bhxh_tn_status, "paid_until": "", "bhyt_expires_on": "",
            "version": str(person.version)}
    data.update(changes)
    return data


def test_household_page_lists_members_head_first_then_by_birth(client, auth, world):
    household = make_household(world.own.hamlet, "Lê Văn Chủ", date_of_birth=date(1970, 1, 1),
                               members=[("Lê Thị Út", "child", {"date_of_birth": date(2010, 5, 1)}),
                                        ("Lê Văn Cả", "child", {"date_of_birth": date(1995, 5, 1)}),
                                        ("Phạm Thị Vợ", "spouse", {"date_of_birth": date(1972, 3, 1)})],
                               tags=["household_business"])
    auth.login(world.users[roles.AGENT])  # agents read households of their hamlets
    html = client.get(f"/households/{household.id}").get_data(as_text=True)
    names = ["Lê Văn Chủ", "Phạm Thị Vợ", "Lê Văn Cả", "Lê Thị Út"]
    positions = [html.index(name, html.index('class="data members"')) for name in names]
    assert positions == sorted(positions)
    # History sections with an honest empty state each (the household has no visits, invitations, etc.).
    assert html.count('class="muted empty"') == 4
    assert f"/households/{household.id}/edit" not in html  # read-only for agents


def test_household_page_shows_history(client, auth, world):
    auth.login(world.users[roles.LOCAL_OFFICER])
    html = client.get(f"/households/{world.own.household.id}").get_data(as_text=True)
    # The world invited this household to its event: the invitation shows, the other sections stay empty.
    assert f"/events/{world.own.event.id}" in html
    assert html.count('class="muted empty"') == 3


def test_edit_household_saves_and_audits_field_names(client, auth, world):
    household = make_household(world.own.hamlet, "Vàng A Sử", phone="0912000111",
                               members=[("Vàng Thị Mai", "spouse", {})])
    auth.login(world.users[roles.LOCAL_OFFICER])
    assert client.get(f"/households/{household.id}/edit").status_code == 200
    data = _household_data(household, hamlet_id=str(world.own.hamlet2.id), phone="+84 987 654 321",
                           poverty_status="near_poor", notes="Hay vắng nhà")
    response = client.post(f"/households/{household.id}/edit", data=data)
    assert response.status_code == 303 and response.headers["Location"] == f"/households/{household.id}"
    db.session.refresh(household)
    assert (household.hamlet_id, household.phone, household.poverty_status) == (world.own.hamlet2.id,
                                                                                 "0987654321", "near_poor")
    # The members moved with their household.
    assert {p.hamlet_id for p in db.session.scalars(select(Person).where(Person.household_id == household.id))} \
        == {world.own.hamlet2.id}
    entry = _audit("household.update")[-1]
    assert set(entry.details["fields"]) == {"hamlet_id", "phone", "poverty_status", "notes"}
    assert "0987654321" not in str(entry.details)


def test_edit_household_renames_the_head_person(client, auth, world):
    household = make_household(world.own.hamlet, "Lù Văn Sính")
    auth.login(world.users[roles.LOCAL_OFFICER])
    data = _household_data(household, head_name="lù   văn  sình")
    assert client.post(f"/households/{household.id}/edit", data=data).status_code == 303
    head = head_of(household)
    assert head.full_name == "Lù Văn Sình" and household.head_name == "Lù Văn Sình"
    assert set(db.session.scalars(select(person_name_tokens.c.token).where(
        person_name_tokens.c.person_id == head.id))) == {"lu", "van", "sinh"}


def test_edit_household_422_and_409(client, auth, world):
    household = make_household(world.own.hamlet, "Hạng A Tủa")
    make_household(world.own.hamlet, "Hạng A Chư", address="Nhà 99")
    auth.login(world.users[roles.LOCAL_OFFICER])
    url = f"/households/{household.id}/edit"
    bad = client.post(url, data=_household_data(household, phone="12345", head_name=""))
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert 'id="phone-error"' in html and 'id="head_name-error"' in html
    taken = client.post(url, data=_household_data(household, head_name="Hạng A Chư", address="Nhà 99"))
    assert taken.status_code == 422 and 'id="head_name-error"' in taken.get_data(as_text=True)
    outside = client.post(url, data=_household_data(household, hamlet_id=str(world.near.hamlet.id)))
    assert outside.status_code == 422  # not one of the offered hamlets
    stale = _household_data(household, version=str(household.version))
    assert client.post(url, data={**stale, "notes": "một"}).status_code == 303
    response = client.post(url, data={**stale, "notes": "hai"})
    assert response.status_code == 409 and "flash-error" in response.get_data(as_text=True)
    db.session.refresh(household)
    assert household.notes == "một"


def test_inline_validation_answers_one_field_and_saves_nothing(client, auth, world):
    household = make_household(world.own.hamlet, "Má A Chứ")
    auth.login(world.users[roles.LOCAL_OFFICER])
    headers = {"HX-Request": "true", "HX-Target": "phone-error"}
    response = client.post(f"/households/{household.id}/edit",
                           data=_household_data(household, phone="12", _check="phone"), headers=headers)
    html = response.get_data(as_text=True)
    # Only the field's message comes back, never the field itself (what is being typed stays as it is).
    assert response.status_code == 200 and html.startswith('<small id="phone-error"')
    assert "<input" not in html and "<form" not in html and " hidden" not in html
    good = client.post(f"/households/{household.id}/edit",
                       data=_household_data(household, phone="0912345678", _check="phone"), headers=headers)
    assert good.get_data(as_text=True).startswith('<small id="phone-error"')
    assert " hidden" in good.get_data(as_text=True)
    page = client.get(f"/households/{household.id}/edit").get_data(as_text=True)
    assert 'hx-target="#phone-error"' in page and 'aria-describedby="phone-error"' in page
    db.session.refresh(household)
    assert household.phone is None and household.version == 1
    # Changing the commune reloads the hamlets of that commune only (nothing personal in the URL).
    hamlets = client.htmx_get(f"/households/{household.id}/edit?commune_id={world.own.commune2.id}",
                              target="hamlet-choices").get_data(as_text=True)
    assert "<form" not in hamlets and world.own.hamlet.name not in hamlets


def test_new_household_with_its_head(client, auth, world):
    auth.login(world.users[roles.LOCAL_OFFICER])
    page = client.get(f"/households/new?commune_id={world.own.commune.id}").get_data(as_text=True)
    assert world.own.hamlet.name in page and world.near.hamlet.name not in page
    data = {"commune_id": str(world.own.commune.id), "hamlet_id": str(world.own.hamlet2.id),
            "head_name": "giàng  seo  páo", "address": "Nhà 3, ngõ 2", "phone": "0912 555 666",
            "poverty_status": "poor", "notes": "", "sex": "male", "date_of_birth": "05/03/1980",
            "cccd": "12345", "bhxh_code": "", "ethnicity": "Mông", "ethnic_minority": "y"}
    bad = client.post("/households/new", data=data)
    assert bad.status_code == 422 and 'id="cccd-error"' in bad.get_data(as_text=True)
    response = client.post("/households/new", data={**data, "cccd": "010203040506"})
    assert response.status_code == 303
    household = db.session.scalar(select(Household).where(Household.head_name == "Giàng Seo Páo"))
    assert response.headers["Location"] == f"/households/{household.id}"
    head = head_of(household)
    assert (head.cccd, head.phone, head.date_of_birth, head.ethnic_minority, household.poverty_status) == (
        "010203040506", "0912555666", date(1980, 3, 5), True, "poor")
    assert client.post("/households/new", data={**data, "cccd": ""}).status_code == 422  # same head, address
    assert _audit("household.create") and "010203040506" not in str(_audit("person.create")[-1].details)
    # The new head is found by name right away.
    assert f"/households/people/{head.id}" in client.get("/households/?q=giang+seo+pao").get_data(as_text=True)


def test_add_member_and_duplicate_identity(client, auth, world):
    make_person(world.near.hamlet, "Triệu Văn Khác", cccd="001099000111", bhxh_code="0199000111")
    household = make_household(world.own.hamlet, "Triệu Văn Chủ")
    auth.login(world.users[roles.LOCAL_OFFICER])
    url = f"/households/{household.id}/members/new"
    data = {"full_name": "Triệu Thị Con", "sex": "female", "relation_to_head": "child", "date_of_birth": "1/2/2005",
            "cccd": "001099000111", "bhxh_code": "", "phone": "", "ethnicity": "Dao", "occupation": "",
            "income_band": "", "bhxh_tn_status": "never", "paid_until": "", "bhyt_expires_on": "",
            "tags": ["craft_village", "contract_ended"]}
    duplicate = client.post(url, data=data)
    html = duplicate.get_data(as_text=True)
    assert duplicate.status_code == 422 and 'id="cccd-error"' in html
    assert "Triệu Văn Khác" not in html  # the other person (outside this area) is not revealed
    assert client.post(url, data={**data, "cccd": "", "bhxh_code": "0199000111"}).status_code == 422
    future = client.post(url, data={**data, "cccd": "", "date_of_birth": "01/01/2999"})
    assert future.status_code == 422 and 'id="date_of_birth-error"' in future.get_data(as_text=True)
    never_paid = client.post(url, data={**data, "cccd": "", "paid_until": "01/01/2030"})
    assert never_paid.status_code == 422 and 'id="paid_until-error"' in never_paid.get_data(as_text=True)
    response = client.post(url, data={**data, "cccd": "001099000222"})
    assert response.status_code == 303
    member = db.session.scalar(select(Person).where(Person.full_name == "Triệu Thị Con"))
    assert member.hamlet_id == world.own.hamlet.id and member.cccd == "001099000222"
    assert set(db.session.scalars(select(person_tags.c.tag).where(person_tags.c.person_id == member.id))) == {
        "craft_village", "contract_ended"}
    entry = _audit("person.create")[-1]
    assert "cccd" in entry.details["fields"] and "001099000222" not in str(entry.details)
    # Inline validation of the CCCD finds the duplicate too.
    inline = client.post(url, data={**data, "_check": "cccd"}, headers={"HX-Request": "true"})
    assert inline.get_data(as_text=True).startswith('<small id="cccd-error"')
    assert "already recorded" in inline.get_data(as_text=True) or "đã" in inline.get_data(as_text=True)


def test_edit_person_keeps_tokens_tags_and_head_in_step(client, auth, world):
    household = make_household(world.own.hamlet, "Sần Văn Lềnh", tags=["small_trader"])
    person = head_of(household)
    auth.login(world.users[roles.LOCAL_OFFICER])
    assert client.get(f"/households/people/{person.id}/edit").status_code == 200
    data = _person_data(person, full_name="Sần Văn Lành", cccd="079 123 456 789", tags=["near_poor"],
                        bhxh_tn_status="participating", paid_until="31/12/2030")
    response = client.post(f"/households/people/{person.id}/edit", data=data)
    assert response.status_code == 303 and response.headers["Location"] == f"/households/people/{person.id}"
    db.session.refresh(person)
    db.session.refresh(household)
    assert (person.full_name, person.cccd, person.paid_until) == ("Sần Văn Lành", "079123456789", date(2030, 12, 31))
    assert household.head_name == "Sần Văn Lành"
    assert set(db.session.scalars(select(person_tags.c.tag).where(person_tags.c.person_id == person.id))) == {
        "near_poor"}
    entry = _audit("person.update")[-1]
    assert {"full_name", "cccd", "tags", "bhxh_tn_status", "paid_until"} <= set(entry.details["fields"])
    assert "079123456789" not in str(entry.details)
    stale = client.post(f"/households/people/{person.id}/edit", data={**data, "occupation": "Buôn bán"})
    assert stale.status_code == 409


def test_person_page(client, auth, world):
    person = make_person(world.own.hamlet, "Hà Thị Mai", cccd="001234000999", tags=["small_trader"])
    auth.login(world.users[roles.VIEWER])
    html = client.get(f"/households/people/{person.id}").get_data(as_text=True)
    assert "Hà Thị Mai" in html and "001234000999" in html
    assert f"/households/people/{person.id}/edit" not in html


def test_roles_and_territory(client, auth, world):
    own = make_person(world.own.hamlet, "Lục Văn Một")
    near = make_person(world.near.hamlet, "Lục Văn Hai")
    auth.login(world.users[roles.LOCAL_OFFICER])
    assert client.get(f"/households/{near.household_id}").status_code == 404
    assert client.get(f"/households/people/{near.id}").status_code == 404
    assert client.post(f"/households/people/{near.id}/edit", data=_person_data(near)).status_code == 404
    assert client.get(f"/households/{own.household_id}").status_code == 200
    auth.logout()
    for role in (roles.AGENT, roles.VIEWER):
        auth.login(world.users[role])
        assert client.get(f"/households/{own.household_id}/edit").status_code == 403
        assert client.post(f"/households/people/{own.id}/edit", data=_person_data(own)).status_code == 403
        assert client.get("/households/new").status_code == 403
        auth.logout()


def test_bulk_tagging(client, auth, world):
    mine = [make_person(world.own.hamlet, f"Đinh Văn {n}") for n in ("Ba", "Bốn", "Năm")]
    theirs = make_person(world.near.hamlet, "Đinh Văn Sáu")
    auth.login(world.users[roles.LOCAL_OFFICER])
    ids = [str(p.id) for p in mine] + [str(theirs.id), "999999"]
    response = client.post("/households/people/tags", data={"person": ids, "tag": "contract_ended", "action": "add",
                                                            "next": "/households/?q=dinh"})
    assert response.status_code == 303 and response.headers["Location"] == "/households/?q=dinh"
    tagged = set(db.session.scalars(select(person_tags.c.person_id).where(person_tags.c.tag == "contract_ended")))
    assert tagged == {p.id for p in mine}
    entry = _audit("person.bulk_tag")[-1]
    assert entry.details == {"tag": "contract_ended", "action": "add", "selected": 5, "changed": 3, "ignored": 2}
    again = client.post("/households/people/tags", data={"person": ids[:2], "tag": "contract_ended",
                                                         "action": "remove", "next": "https://evil.example/"})
    assert again.headers["Location"] == "/households/"
    tagged = set(db.session.scalars(select(person_tags.c.person_id).where(person_tags.c.tag == "contract_ended")))
    assert tagged == {mine[2].id}
    # Nothing ticked: a warning, nothing written.
    before = len(_audit("person.bulk_tag"))
    assert client.post("/households/people/tags", data={"tag": "small_trader", "action": "add"}).status_code == 303
    assert len(_audit("person.bulk_tag")) == before
    # The results carry the form for editors, and it works without JavaScript.
    html = client.get("/households/?q=dinh+van").get_data(as_text=True)
    assert re.search(r'<form id="bulk-form" method="post" action="/households/people/tags">', html)
    add_person(db.session.get(Household, mine[0].household_id), "Đinh Thị Bảy")


def test_a_number_recorded_meanwhile_is_refused_under_its_own_field(client, auth, world, monkeypatch):
    from portal.households import services

    make_person(world.near.hamlet, "Triệu Văn Khác", bhxh_code="0199000111")
    household = make_household(world.own.hamlet, "Triệu Văn Chủ")
    checks = []
    real = services.identity_holder

    def checked_before_the_other_save(*args):
        checks.append(args)
        return None if len(checks) == 1 else real(*args)

    monkeypatch.setattr(services, "identity_holder", checked_before_the_other_save)
    auth.login(world.users[roles.LOCAL_OFFICER])
    data = {"full_name": "Triệu Thị Con", "sex": "female", "relation_to_head": "child", "date_of_birth": "",
            "cccd": "", "bhxh_code": "0199000111", "phone": "", "ethnicity": "", "occupation": "",
            "income_band": "", "bhxh_tn_status": "never", "paid_until": "", "bhyt_expires_on": ""}
    response = client.post(f"/households/{household.id}/members/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="bhxh_code-error" class="error field-message" aria-live="polite">' in html
    assert 'id="cccd-error" class="error field-message" aria-live="polite" hidden>' in html  # no message
    assert db.session.scalar(select(Person).where(Person.full_name == "Triệu Thị Con")) is None


def test_a_person_changed_meanwhile_answers_409(client, auth, world, monkeypatch):
    from sqlalchemy import text

    from portal.households import services

    person = make_person(world.own.hamlet, "Hà Văn Đổi")
    data = _person_data(person, occupation="Buôn bán", cccd="001099012345")
    person_id = person.id

    def changed_by_someone_else(*args):
        db.session.execute(text("UPDATE people SET version = version + 1 WHERE id = :id"), {"id": person_id})
        return None

    monkeypatch.setattr(services, "identity_holder", changed_by_someone_else)
    auth.login(world.users[roles.LOCAL_OFFICER])
    response = client.post(f"/households/people/{person_id}/edit", data=data)
    assert response.status_code == 409
