"""Household search, pages, edits, tags, due lists and exports."""

from __future__ import annotations

import io
from datetime import date, timedelta

from openpyxl import load_workbook
from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.extensions import db
from portal.households.models import Person, person_tags
from portal.i18n.formatting import local_today

from .. import factories


def _people(world):
    own = world.own
    factories.make_household(own.hamlet, "Nguyễn Văn An", address="Nhà 5", cccd="001234567890", phone="0912345678")
    factories.make_household(own.hamlet, "Trần Thị Ánh", address="Nhà 6")
    factories.make_household(own.hamlet2, "Lê Văn Bình", address="Nhà 7", bhxh_tn_status="participating",
                             paid_until=local_today() + timedelta(days=10))
    factories.make_household(world.near.hamlet, "Nguyễn Văn An", address="Nhà 9")


def test_search_without_diacritics_sorted_by_given_name(client, auth, world):
    _people(world)
    auth.login(world.users["local_officer"])
    html = client.get("/households/?q=nguyen+van+an").get_data(as_text=True)
    assert "Nguyễn Văn An" in html
    assert "Nhà 9" not in html  # the other one lives in another office's commune
    others = db.session.scalars(select(Person.id).where(Person.hamlet_id == world.near.hamlet.id)).all()
    assert all(f"/households/people/{pid}\"" not in html for pid in others)
    html = client.htmx_get("/households/?q=an", target="results").get_data(as_text=True)
    assert "<html" not in html
    assert html.index("Nguyễn Văn An") < html.index("Trần Thị Ánh")


def test_id_search_posts_the_number_and_never_puts_it_in_a_url(client, auth, world):
    _people(world)
    auth.login(world.users["local_officer"])
    response = client.post("/households/search", data={"q": "001234567890"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Nguyễn Văn An" in html
    assert "001234567890" not in response.headers.get("Location", "")
    assert "?q=001234567890" not in html and "q=0912345678" not in html
    assert "Nguyễn Văn An" in client.post("/households/search", data={"q": "+84 912 345 678"}).get_data(as_text=True)
    assert client.post("/households/search", data={"q": "12345"}).status_code == 422
    # Digits typed into the GET URL are ignored rather than searched.
    assert "Nguyễn Văn An" in client.get("/households/?q=001234567890").get_data(as_text=True)


def test_agent_sees_only_their_hamlets(client, auth, world):
    _people(world)
    auth.login(world.users["agent"])
    html = client.get("/households/?q=le+van").get_data(as_text=True)
    assert "Lê Văn Bình" not in html  # hamlet2 is not the agent's
    assert "Nguyễn Văn An" in client.get("/households/?q=an").get_data(as_text=True)


def test_household_page_and_edits(client, auth, world):
    auth.login(world.users["local_officer"])
    household = world.own.household
    html = client.get(f"/households/{household.id}").get_data(as_text=True)
    assert household.head_name in html
    data = {"hamlet_id": str(world.own.hamlet.id), "head_name": household.head_name, "address": "Nhà 12",
            "phone": "0987654321", "poverty_status": "near_poor", "notes": "", "version": str(household.version)}
    assert client.post(f"/households/{household.id}/edit", data=data).status_code == 303
    assert client.post(f"/households/{household.id}/edit", data=data).status_code == 409
    bad = {**data, "version": str(household.version + 1), "phone": "123"}
    db.session.refresh(household)
    assert client.post(f"/households/{household.id}/edit", data={**bad, "version": str(household.version)}
                       ).status_code == 422


def test_person_edit_rejects_a_duplicate_cccd(client, auth, world):
    _people(world)
    auth.login(world.users["local_officer"])
    person = world.own.person
    base = {"full_name": person.full_name, "relation_to_head": "head", "bhxh_tn_status": "never", "sex": "",
            "income_band": "", "version": str(person.version)}
    response = client.post(f"/households/people/{person.id}/edit", data={**base, "cccd": "1234567890"})
    assert response.status_code == 422
    ok = client.post(f"/households/people/{person.id}/edit", data={**base, "cccd": "079123456789",
                                                                   "tags": ["small_trader"]})
    assert ok.status_code == 303
    db.session.refresh(person)
    assert person.cccd == "079123456789"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "person.update"))
    assert "079123456789" not in str(entry.details)


def test_bulk_tagging_ignores_people_outside_scope(client, auth, world):
    auth.login(world.users["local_officer"])
    response = client.post("/households/people/tags", data={
        "tag": "craft_village", "action": "add", "person": [str(world.own.person.id), str(world.near.person.id)]})
    assert response.status_code == 303
    tagged = set(db.session.scalars(select(person_tags.c.person_id).where(person_tags.c.tag == "craft_village")))
    assert tagged == {world.own.person.id}


def test_due_list_per_hamlet_and_agent_and_export(client, auth, world):
    _people(world)
    auth.login(world.users["local_officer"])
    html = client.get("/households/due?kind=paid_until&days=30").get_data(as_text=True)
    assert "Lê Văn Bình" in html
    html = client.get("/households/due?kind=paid_until&days=30&group=agent").get_data(as_text=True)
    assert "Lê Văn Bình" in html
    response = client.get("/households/due.xlsx?kind=paid_until&days=30")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] and rows[1][1] == "Lê Văn Bình"
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "export.due_list")) is not None


def test_export_keeps_ids_as_text_and_neutralises_formulas(client, auth, world):
    factories.make_household(world.own.hamlet, "=Cmd", address="x", cccd="001234567890")
    db.session.execute(Person.__table__.update().where(Person.__table__.c.cccd == "001234567890").values(
        full_name="=HYPERLINK(\"x\")", search_name="hyperlink x"))
    db.session.commit()
    auth.login(world.users["local_officer"])
    response = client.get("/households/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = [row for row in sheet.iter_rows(values_only=True)]
    names = [v[1] for v in values[1:]]
    assert "'=HYPERLINK(\"x\")" in names
    assert any(v[4] == "001234567890" for v in values[1:])
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "export.households")) is not None
    assert date  # imported for readability of dates above
