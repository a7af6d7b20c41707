"""The speakers register: scoped by office, officers edit, viewers read, agents are kept out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.events.models import Speaker
from portal.extensions import db
from portal.types import utcnow

from .helpers import add_speaker, event_at


def test_create_a_speaker_with_a_normalised_phone(client, auth, world):
    auth.login(world.users["local_officer"])
    form = client.get("/events/speakers/new").get_data(as_text=True)
    assert f'<option selected value="{world.own.office.id}">' in form
    response = client.post("/events/speakers/new", data={
        "full_name": "trần  thị bích", "position": "Phó Giám đốc BHXH cơ sở", "phone": "+84 912 345 678",
        "office_id": str(world.own.office.id), "active": "y"})
    assert response.status_code == 303
    speaker = db.session.scalar(select(Speaker).where(Speaker.full_name == "Trần Thị Bích"))
    assert speaker.phone == "0912345678" and speaker.office_id == world.own.office.id and speaker.active
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "speaker.create"))
    assert "0912345678" not in str(entry.details)
    assert "Trần Thị Bích" in client.get("/events/speakers").get_data(as_text=True)


@pytest.mark.parametrize(("over", "field"), [({"phone": "12345"}, "phone"), ({"full_name": ""}, "full_name"),
                                             ({"full_name": "Nguyễn 2"}, "full_name")])
def test_speaker_form_errors(client, auth, world, over, field):
    auth.login(world.users["local_officer"])
    data = {"full_name": "Lê Văn Tâm", "phone": "", "office_id": str(world.own.office.id), **over}
    response = client.post("/events/speakers/new", data=data)
    assert response.status_code == 422 and f'id="{field}-error"' in response.get_data(as_text=True)


def test_a_speaker_cannot_go_to_another_offices_register(client, auth, world):
    auth.login(world.users["local_officer"])
    response = client.post("/events/speakers/new", data={"full_name": "Lê Văn Tâm",
                                                          "office_id": str(world.near.office.id)})
    assert response.status_code == 422
    assert db.session.scalar(select(Speaker).where(Speaker.full_name == "Lê Văn Tâm")) is None


def test_register_is_scoped_and_searchable(client, auth, world):
    auth.login(world.users["local_officer"])
    html = client.get("/events/speakers").get_data(as_text=True)
    assert world.own.speaker.full_name in html and world.near.speaker.full_name not in html
    found = client.htmx_get("/events/speakers?q=bao cao", target="results").get_data(as_text=True)
    assert world.own.speaker.full_name in found and "<html" not in found
    assert world.own.speaker.full_name not in client.get("/events/speakers?q=xyz").get_data(as_text=True)
    assert client.get(f"/events/speakers/{world.near.speaker.id}").status_code == 404
    assert client.get(f"/events/speakers/{world.near.speaker.id}/edit").status_code == 404


def test_speaker_page_lists_coming_and_past_events(client, auth, world):
    coming = event_at(world.own, utcnow().replace(microsecond=0) + timedelta(days=3), title="Sắp tới")
    past = event_at(world.own, utcnow().replace(microsecond=0) - timedelta(days=30), title="Đã qua", status="held")
    for event in (coming, past):
        add_speaker(event, world.own.speaker)
    auth.login(world.users["viewer"])
    html = client.get(f"/events/speakers/{world.own.speaker.id}").get_data(as_text=True)
    assert html.index("Sắp tới") < html.index("Đã qua")
    assert "/edit" not in html
    assert ">1</td>" in client.get("/events/speakers").get_data(as_text=True)  # one coming event


def test_an_inactive_speaker_is_not_offered_for_new_events(client, auth, world):
    auth.login(world.users["local_officer"])
    response = client.post(f"/events/speakers/{world.own.speaker.id}/edit", data={
        "full_name": world.own.speaker.full_name, "office_id": str(world.own.office.id), "phone": ""})
    assert response.status_code == 303
    db.session.expire_all()
    assert world.own.speaker.active is False
    assert world.own.speaker.full_name not in client.get("/events/new").get_data(as_text=True)


@pytest.mark.parametrize(("role", "list_status", "new_status"), [("viewer", 200, 403), ("agent", 403, 403)])
def test_readers_and_agents(client, auth, world, role, list_status, new_status):
    auth.login(world.users[role])
    assert client.get("/events/speakers").status_code == list_status
    assert client.get("/events/speakers/new").status_code == new_status
    assert client.post(f"/events/speakers/{world.own.speaker.id}/edit", data={"full_name": "X"}).status_code == 403
