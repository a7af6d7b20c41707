"""An agent organisation (the post office of a commune) as the organiser of an event, not only its co-organiser."""

from __future__ import annotations

from flask_babel import force_locale, gettext
from markupsafe import escape

from .. import factories
from .helpers import actions, by_title, event_data


def _vi(message: str) -> str:
    with force_locale("vi"):
        return str(escape(gettext(message)))


def test_an_organisation_organises_an_event_and_the_page_says_so(client, auth, world):
    auth.login(world.users["local_officer"])
    union = factories.make_organisation(world.own.office, "Hội Nông dân xã", kind="farmers_union")
    data = event_data(world, organiser_organisation_id=str(world.own.organisation.id), co_organiser_id=str(union.id))
    response = client.post("/events/new", data=data)
    assert response.status_code == 303
    event = by_title("Hội nghị thôn Thượng")
    assert event.organiser_organisation_id == world.own.organisation.id and event.co_organiser_id == union.id
    assert event.organiser_office_id == world.own.office.id  # the office stays responsible
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert _vi("Organised by") in page and world.own.organisation.name in page
    # Changing it is in the event's history.
    edited = client.post(f"/events/{event.id}/edit", data=event_data(
        world, organiser_organisation_id="0", co_organiser_id=str(world.own.organisation.id),
        version=str(event.version)))
    assert edited.status_code == 303 and by_title("Hội nghị thôn Thượng").organiser_organisation_id is None
    assert actions(event.id) == ["event.create", "event.update"]


def test_the_organiser_cannot_also_be_the_co_organiser_nor_another_offices_organisation(client, auth, world):
    auth.login(world.users["local_officer"])
    same = str(world.own.organisation.id)
    response = client.post("/events/new", data=event_data(world, organiser_organisation_id=same, co_organiser_id=same))
    assert response.status_code == 422 and by_title("Hội nghị thôn Thượng") is None
    assert _vi("The organisation that organises the event is not also its co-organiser: leave this empty or "
               "choose another one.") in response.get_data(as_text=True)
    foreign = client.post("/events/new", data=event_data(
        world, organiser_organisation_id=str(world.near.organisation.id)))
    assert foreign.status_code == 422 and by_title("Hội nghị thôn Thượng") is None
    assert _vi("Choose an organisation from the list.") in foreign.get_data(as_text=True)
