"""Conflicts are shown before saving: same venue, same speaker, same agent, outside the campaign's period."""

from __future__ import annotations

from datetime import date

from portal.campaigns.models import Campaign
from portal.extensions import db

from .helpers import add_speaker, by_title, event_at, event_data, vn

CONFLICTS = {"HX-Request": "true", "HX-Target": "event-checks"}


def _first(client, world, **over):
    """A saved conference 15/05/2027 08:00–11:00 at the commune's cultural house, with speaker and agent."""
    data = event_data(world, speakers=str(world.own.speaker.id), agents=str(world.own.agent.id), **over)
    assert client.post("/events/new", data=data).status_code == 303


def test_same_venue_ignoring_case_and_diacritics(client, auth, world):
    auth.login(world.users["local_officer"])
    _first(client, world)
    second = event_data(world, title="Hội nghị khác", venue="  nhà văn hoá  THÔN thượng ", start_time="10:00",
                        end_time="12:00")
    response = client.post("/events/new", data=second)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'class="conflict-venue"' in html and "Hội nghị thôn Thượng" in html and 'name="save_anyway"' in html
    assert by_title("Hội nghị khác") is None
    assert client.post("/events/new", data={**second, "save_anyway": "y"}).status_code == 303
    assert by_title("Hội nghị khác") is not None


def test_same_venue_in_another_commune_or_later_is_no_conflict(client, auth, world):
    auth.login(world.users["local_officer"])
    _first(client, world)
    other_commune = event_data(world, title="Xã khác", commune_id=str(world.own.commune2.id))
    assert client.post("/events/new", data=other_commune).status_code == 303
    right_after = event_data(world, title="Buổi chiều", start_time="11:00", end_time="13:00")
    assert client.post("/events/new", data=right_after).status_code == 303


def test_same_speaker_at_overlapping_times(client, auth, world):
    auth.login(world.users["local_officer"])
    _first(client, world)
    second = event_data(world, title="Tập huấn", commune_id=str(world.own.commune2.id), venue="Hội trường xã",
                        speakers=str(world.own.speaker.id), start_time="09:00", end_time="10:00")
    response = client.post("/events/new", data=second)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'class="conflict-speaker"' in html and world.own.speaker.full_name in html


def test_same_agent_in_two_places(client, auth, world):
    auth.login(world.users["local_officer"])
    _first(client, world)
    second = event_data(world, title="Ra quân", venue="Chợ xã", agents=str(world.own.agent.id),
                        start_time="07:00", end_time="08:30")
    response = client.post("/events/new", data=second)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'class="conflict-agent"' in html and world.own.agent.full_name in html


def test_outside_the_campaign_period(client, auth, world):
    world.campaign_own.status = "active"
    db.session.commit()
    auth.login(world.users["local_officer"])
    data = event_data(world, campaign_id=str(world.campaign_own.id), day="02/06/2027")
    response = client.post("/events/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'class="conflict-campaign_period"' in html and world.campaign_own.name in html
    inside = event_data(world, title="Trong tháng", campaign_id=str(world.campaign_own.id), day="31/05/2027")
    assert client.post("/events/new", data=inside).status_code == 303


def test_cancelled_events_do_not_conflict(client, auth, world):
    event_at(world.own, vn(2027, 5, 15, 8), venue="Nhà văn hóa thôn Thượng", status="cancelled")
    auth.login(world.users["local_officer"])
    assert client.post("/events/new", data=event_data(world)).status_code == 303


def test_conflicts_show_during_inline_validation(client, auth, world):
    auth.login(world.users["local_officer"])
    _first(client, world)
    partial = event_data(world, title="", venue="Nhà Văn Hóa Thôn Thượng")
    response = client.post("/events/new", data={**partial, "_check": "conflicts"}, headers=CONFLICTS)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'class="conflict-venue"' in html


def test_a_clash_outside_the_users_area_is_named_vaguely(client, auth, world):
    near_event = event_at(world.near, vn(2027, 5, 15, 9), title="Hội nghị bí mật")
    add_speaker(near_event, world.own.speaker)  # lent to the neighbouring office by the province
    auth.login(world.users["local_officer"])
    response = client.post("/events/new", data=event_data(world, speakers=str(world.own.speaker.id)))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'class="conflict-speaker"' in html
    assert "Hội nghị bí mật" not in html and f"/events/{near_event.id}" not in html


def test_editing_an_event_does_not_clash_with_itself(client, auth, world):
    auth.login(world.users["local_officer"])
    _first(client, world)
    event = by_title("Hội nghị thôn Thượng")
    data = event_data(world, speakers=str(world.own.speaker.id), agents=str(world.own.agent.id),
                      version=str(event.version), notes="Mang loa")
    assert client.post(f"/events/{event.id}/edit", data=data).status_code == 303


def test_batch_and_campaign_period_in_vietnam_days(app, world):
    from flask import g

    from portal.auth.scope import Scope
    from portal.events.conflicts import Slot, check, venue_key
    from portal.events.queries import local_midnight

    assert venue_key("Nhà Văn Hoá, thôn  Thượng") == venue_key("nha van hoa thon thuong")
    campaign = Campaign(name="Đợt ra quân", kind="wave", starts_on=date(2027, 5, 10), ends_on=date(2027, 5, 12),
                        province_id=world.own.province.id, office_id=world.own.province_office.id)
    db.session.add(campaign)
    db.session.commit()
    g.scope = Scope("all")
    # 23:30 on 12/05 Vietnam time (16:30 UTC) is inside the campaign; until 00:30 on 13/05 is not.
    inside = Slot(world.own.commune.id, "Sân vận động", vn(2027, 5, 12, 22), vn(2027, 5, 12, 23, 30),
                  speaker_ids=(world.own.speaker.id,), campaign_id=campaign.id, label="A")
    outside = Slot(world.own.commune.id, "sân vận động", vn(2027, 5, 12, 23), vn(2027, 5, 13, 0, 30),
                   speaker_ids=(world.own.speaker.id,), campaign_id=campaign.id, label="B")
    check([inside, outside], speaker_names={world.own.speaker.id: "Giảng"}, agent_names={})
    assert inside.conflicts == []
    assert [(c.kind, c.pending_label) for c in outside.conflicts] == [
        ("venue", "A"), ("speaker", "A"), ("campaign_period", "")]
    assert local_midnight(date(2027, 5, 13)).hour == 17  # 00:00 in Vietnam is 17:00 UTC the day before
