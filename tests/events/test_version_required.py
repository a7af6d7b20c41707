"""A write form of a versioned record without its version is refused, never saved over others' changes."""

from __future__ import annotations

from portal.auth import roles
from portal.events.models import Event
from portal.extensions import db
from portal.households.models import Person

from ..households.factories import make_person
from .helpers import event_data


def test_an_event_edit_without_its_version_is_refused_with_a_message(client, auth, world):
    event = world.own.event
    title, version = event.title, event.version
    auth.login(world.users[roles.LOCAL_OFFICER])
    data = event_data(world, title="Tên bị ghi đè")
    response = client.post(f"/events/{event.id}/edit", data=data)
    assert response.status_code == 422
    assert "không cho biết đã mở từ phiên bản nào" in response.get_data(as_text=True)
    db.session.expire_all()
    saved = db.session.get(Event, event.id)
    assert (saved.title, saved.version) == (title, version)
    assert client.post(f"/events/{event.id}/edit", data={**data, "version": "abc"}).status_code == 422


def test_a_person_edit_without_its_version_is_refused_with_a_message(client, auth, world):
    person = make_person(world.own.hamlet, "Hà Văn Cũ")
    auth.login(world.users[roles.LOCAL_OFFICER])
    data = {"full_name": "Hà Văn Mới", "sex": "", "relation_to_head": person.relation_to_head,
            "date_of_birth": "", "cccd": "", "bhxh_code": "", "phone": "", "ethnicity": "", "occupation": "",
            "income_band": "", "bhxh_tn_status": person.bhxh_tn_status, "paid_until": "", "bhyt_expires_on": ""}
    response = client.post(f"/households/people/{person.id}/edit", data=data)
    assert response.status_code == 422
    assert "không cho biết đã mở từ phiên bản nào" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Person, person.id).full_name == "Hà Văn Cũ"
