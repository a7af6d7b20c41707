"""Creating events: happy path, Vietnam time, defaults from the calendar, inline validation, 422s, scope."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.events.models import Event, event_agents, event_audiences, event_speakers
from portal.extensions import db
from portal.i18n.formatting import to_local

from .. import factories
from .helpers import actions, by_title, event_data

HTMX = {"HX-Request": "true"}
CONFLICTS = {"HX-Request": "true", "HX-Target": "event-checks"}


def test_create_and_schedule_in_vietnam_time(client, auth, world):
    auth.login(world.users["local_officer"])
    data = event_data(world, speakers=str(world.own.speaker.id), agents=str(world.own.agent.id),
                      audience=["near_poor", "small_trader"], hamlet_id=str(world.own.hamlet.id),
                      co_organiser_id=str(world.own.organisation.id), intent="schedule")
    response = client.post("/events/new", data=data)
    assert response.status_code == 303
    event = by_title("Hội nghị thôn Thượng")
    assert response.headers["Location"].endswith(f"/events/{event.id}")
    assert event.status == "scheduled" and event.hamlet_id == world.own.hamlet.id
    assert event.starts_at.hour == 1 and event.ends_at.hour == 4  # stored in UTC
    assert to_local(event.starts_at).date() == date(2027, 5, 15) and to_local(event.starts_at).hour == 8
    assert event.organiser_office_id == world.own.office.id and event.co_organiser_id == world.own.organisation.id
    for table, expected in ((event_speakers, 1), (event_agents, 1), (event_audiences, 2)):
        assert db.session.scalar(select(func.count()).select_from(table).where(table.c.event_id == event.id)) == expected
    assert actions(event.id) == ["event.create"]
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "08:00" in page and "15/05/2027" in page and world.own.speaker.full_name in page


def test_draft_is_the_default_and_back_goes_to_the_calendar(client, auth, world):
    auth.login(world.users["local_officer"])
    response = client.post("/events/new", data=event_data(world, back="week"))
    assert response.status_code == 303
    assert "/events/calendar?view=week&date=2027-05-15" in response.headers["Location"]
    assert by_title("Hội nghị thôn Thượng").status == "draft"


@pytest.mark.parametrize(("start", "end"), [("8h30", "11h"), ("8.30", "11.00"), ("08:30", "11:00")])
def test_times_as_people_type_them(client, auth, world, start, end):
    auth.login(world.users["local_officer"])
    assert client.post("/events/new", data=event_data(world, start_time=start, end_time=end)).status_code == 303
    event = by_title("Hội nghị thôn Thượng")
    assert (to_local(event.starts_at).hour, to_local(event.starts_at).minute) == (8, 30)
    assert to_local(event.ends_at).hour == 11


def test_the_form_opens_on_the_calendar_day_with_the_user_office(client, auth, world):
    auth.login(world.users["local_officer"])
    html = client.get(f"/events/new?date=15/05/2027&commune={world.own.commune.id}&back=month").get_data(as_text=True)
    assert 'value="15/05/2027"' in html
    assert f'<option selected value="{world.own.office.id}">' in html
    assert f'<option selected value="{world.own.commune.id}">' in html
    assert world.own.commune2.name in html
    assert world.near.commune.name not in html and world.far.commune.name not in html
    assert world.own.agent.full_name in html  # covers the chosen commune
    assert 'name="back" value="month"' in html


@pytest.mark.parametrize(("over", "field"), [
    ({"title": ""}, "title"),
    ({"start_time": "25:00"}, "start_time"),
    ({"day": "31/02/2027"}, "day"),
    ({"day": ""}, "day"),
    ({"start_time": "11:00", "end_time": "09:00"}, "end_time"),
    ({"expected_attendance": "nhiều"}, "expected_attendance"),
    ({"commune_id": "0"}, "commune_id"),
])
def test_invalid_forms_are_422_with_the_error_at_the_field(client, auth, world, over, field):
    auth.login(world.users["local_officer"])
    response = client.post("/events/new", data=event_data(world, **over))
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Event)) == 3  # the world's three


def test_hamlet_must_belong_to_the_commune(client, auth, world):
    auth.login(world.users["local_officer"])
    response = client.post("/events/new", data=event_data(world, commune_id=str(world.own.commune2.id),
                                                           hamlet_id=str(world.own.hamlet.id)))
    assert response.status_code == 422 and 'id="hamlet_id-error"' in response.get_data(as_text=True)


def test_agents_must_cover_the_commune(client, auth, world):
    auth.login(world.users["local_officer"])
    response = client.post("/events/new", data=event_data(world, commune_id=str(world.own.commune2.id),
                                                           agents=str(world.own.agent.id)))
    assert response.status_code == 422 and 'id="agents-error"' in response.get_data(as_text=True)


def test_speakers_of_another_office_are_refused(client, auth, world):
    auth.login(world.users["local_officer"])
    response = client.post("/events/new", data=event_data(world, speakers=str(world.near.speaker.id)))
    assert response.status_code == 422 and by_title("Hội nghị thôn Thượng") is None


@pytest.mark.parametrize("where", ["near", "far"])
def test_local_officer_cannot_create_outside_their_communes(client, auth, world, where):
    auth.login(world.users["local_officer"])
    other = getattr(world, where)
    response = client.post("/events/new", data=event_data(world, commune_id=str(other.commune.id)))
    assert response.status_code == 404
    assert by_title("Hội nghị thôn Thượng") is None


def test_local_officer_cannot_use_another_office_as_organiser(client, auth, world):
    auth.login(world.users["local_officer"])
    response = client.post("/events/new", data=event_data(world, organiser_office_id=str(world.near.office.id)))
    assert response.status_code == 422 and by_title("Hội nghị thôn Thượng") is None


def test_other_offices_events_do_not_exist_for_a_local_officer(client, auth, world):
    auth.login(world.users["local_officer"])
    for url in (f"/events/{world.near.event.id}", f"/events/{world.near.event.id}/edit",
                f"/events/{world.far.event.id}/overview", f"/events/{world.near.event.id}/clone"):
        assert client.get(url).status_code == 404
    assert client.post(f"/events/{world.near.event.id}/cancel", data={"reason": "x"}).status_code == 404
    html = client.get("/events/").get_data(as_text=True)
    assert world.own.event.title in html and world.near.event.title not in html


def test_province_officer_schedules_in_any_commune_of_the_province(client, auth, world):
    auth.login(world.users["province_officer"])
    html = client.get("/events/new").get_data(as_text=True)
    assert world.near.commune.name in html and world.far.commune.name not in html
    assert "<optgroup" in html  # communes grouped by office
    data = event_data(world, commune_id=str(world.near.commune.id), organiser_office_id=str(world.own.province_office.id))
    assert client.post("/events/new", data=data).status_code == 303
    assert client.post("/events/new", data=event_data(world, title="Xa", commune_id=str(world.far.commune.id))
                       ).status_code == 404


@pytest.mark.parametrize("role", ["viewer", "agent"])
def test_viewers_and_agents_cannot_create(client, auth, world, role):
    auth.login(world.users[role])
    assert client.get("/events/new").status_code == 403
    assert client.post("/events/new", data=event_data(world)).status_code == 403


def test_inline_validation_ignores_empty_fields_and_saves_nothing(client, auth, world):
    auth.login(world.users["local_officer"])
    partial = {"kind": "conference", "title": "Hội nghị", "commune_id": str(world.own.commune.id), "day": "",
               "start_time": "", "end_time": "", "venue": "", "organiser_office_id": str(world.own.office.id)}
    response = client.post("/events/new", data={**partial, "_check": "day"}, headers=HTMX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.startswith('<small id="day-error"') and " hidden" in html  # empty: said when the form is sent
    response = client.post("/events/new", data={**partial, "start_time": "9:75", "_check": "start_time"}, headers=HTMX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.startswith('<small id="start_time-error"') and " hidden" not in html
    assert "<input" not in html
    response = client.post("/events/new", data={**partial, "_check": "conflicts"}, headers=CONFLICTS)
    assert response.get_data(as_text=True).startswith('<div id="event-checks"')
    assert client.post("/events/new", data={**partial, "_check": "csrf_token"}, headers=HTMX).status_code == 400
    assert by_title("Hội nghị") is None


def test_the_form_checks_each_field_and_keeps_the_save_anyway_tick_out_of_swapped_areas(client, auth, world):
    auth.login(world.users["local_officer"])
    html = client.get("/events/new").get_data(as_text=True)
    assert 'id="event-body"' not in html
    assert 'hx-target="#title-error"' in html and 'hx-sync="this:replace"' in html
    checks = html[html.index('id="event-checks"'):]
    assert checks.index('id="save_anyway"') > checks.index("</div>")  # after the conflicts area, not in it


def test_inline_validation_refreshes_hamlets_and_agents_for_the_commune(client, auth, world):
    auth.login(world.users["local_officer"])
    data = event_data(world, commune_id=str(world.own.commune2.id), hamlet_id=str(world.own.hamlet.id))
    hamlets = {"HX-Request": "true", "HX-Target": "field-hamlet_id"}
    agents = {"HX-Request": "true", "HX-Target": "field-agents"}
    html = client.post("/events/new", data={**data, "_check": "hamlet-choices"}, headers=hamlets).get_data(as_text=True)
    assert html.startswith('<div id="field-hamlet_id"') and world.own.hamlet.name not in html
    html = client.post("/events/new", data={**data, "_check": "agent-choices"}, headers=agents).get_data(as_text=True)
    assert html.startswith('<div id="field-agents"') and world.own.agent.full_name not in html
    data = {**event_data(world), "_check": "hamlet-choices"}
    assert world.own.hamlet.name in client.post("/events/new", data=data, headers=hamlets).get_data(as_text=True)
    data = {**event_data(world), "_check": "agent-choices"}
    assert world.own.agent.full_name in client.post("/events/new", data=data, headers=agents).get_data(as_text=True)


def test_an_admin_without_office_gets_a_working_form(client, auth, world):
    auth.login(world.users["admin"])
    assert client.get("/events/new").status_code == 200
    data = event_data(world, commune_id=str(world.far.commune.id), organiser_office_id=str(world.far.office.id))
    assert client.post("/events/new", data=data).status_code == 303


def test_a_commune_without_office_is_not_offered(client, auth, world):
    lonely = factories.make_commune(world.own.province, "Xã Chưa Phân Công")
    auth.login(world.users["province_officer"])
    assert lonely.name not in client.get("/events/new").get_data(as_text=True)
    assert client.post("/events/new", data=event_data(world, commune_id=str(lonely.id))).status_code == 404
