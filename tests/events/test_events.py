"""Scheduling events: create, conflicts, scope, status, cancel, clone, calendar."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from portal.audit.models import AuditEntry
from portal.events.models import Event, event_speakers
from portal.extensions import db
from portal.i18n.formatting import to_local

from .. import factories


def _data(world, **over):
    data = {"kind": "conference", "title": "Hội nghị thôn Thượng", "campaign_id": "0",
            "commune_id": str(world.own.commune.id), "hamlet_id": "0", "venue": "Nhà văn hóa thôn Thượng",
            "day": "15/05/2027", "start_time": "08:00", "end_time": "11:00",
            "organiser_office_id": str(world.own.office.id), "co_organiser_id": "0", "expected_attendance": "60",
            "notes": ""}
    data.update(over)
    return data


def test_create_event_in_vietnam_time(client, auth, world):
    auth.login(world.users["local_officer"])
    response = client.post("/events/new", data=_data(world, speakers=str(world.own.speaker.id)))
    assert response.status_code == 303
    event = db.session.scalar(select(Event).where(Event.title == "Hội nghị thôn Thượng"))
    assert to_local(event.starts_at).hour == 8 and to_local(event.starts_at).date() == date(2027, 5, 15)
    assert event.starts_at.hour == 1  # stored in UTC
    assert db.session.scalar(select(func.count()).select_from(event_speakers)) == 1
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "event.create")) is not None


def test_validation_errors(client, auth, world):
    auth.login(world.users["local_officer"])
    assert client.post("/events/new", data=_data(world, title="", start_time="25:00")).status_code == 422
    response = client.post("/events/new", data=_data(world, start_time="11:00", end_time="09:00"))
    assert response.status_code == 422


def test_local_officer_cannot_create_outside_their_communes(client, auth, world):
    auth.login(world.users["local_officer"])
    response = client.post("/events/new", data=_data(world, commune_id=str(world.near.commune.id)))
    assert response.status_code in (404, 422)
    assert db.session.scalar(select(func.count()).select_from(Event).where(
        Event.commune_id == world.near.commune.id)) == 1  # only the world's own event there
    assert client.get(f"/events/{world.near.event.id}").status_code == 404


def test_conflicts_are_shown_before_saving(client, auth, world):
    auth.login(world.users["local_officer"])
    first = _data(world, speakers=str(world.own.speaker.id), agents=str(world.own.agent.id))
    assert client.post("/events/new", data=first).status_code == 303
    second = _data(world, title="Hội nghị khác", venue="nhà văn hoá thôn thượng", start_time="10:00",
                   end_time="12:00", speakers=str(world.own.speaker.id), agents=str(world.own.agent.id))
    response = client.post("/events/new", data=second)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Hội nghị thôn Thượng" in html and world.own.speaker.full_name in html
    assert world.own.agent.full_name in html
    assert client.post("/events/new", data={**second, "save_anyway": "y"}).status_code == 303


def test_campaign_period_conflict(client, auth, world):
    from portal.campaigns.models import Campaign

    campaign = Campaign(name="Tháng vận động 2027", kind="may_month", starts_on=date(2027, 5, 1),
                        ends_on=date(2027, 5, 31), province_id=world.own.province.id,
                        office_id=world.own.province_office.id, status="active")
    db.session.add(campaign)
    db.session.commit()
    auth.login(world.users["local_officer"])
    response = client.post("/events/new", data=_data(world, campaign_id=str(campaign.id), day="02/06/2027"))
    assert response.status_code == 422 and "Tháng vận động 2027" in response.get_data(as_text=True)


def test_status_flow_and_cancel_keep_history(client, auth, world):
    auth.login(world.users["local_officer"])
    event = world.own.event
    client.post(f"/events/{event.id}/status", data={"status": "held"})
    db.session.refresh(event)
    assert event.status == "held"
    client.post(f"/events/{event.id}/status", data={"status": "draft"})
    db.session.refresh(event)
    assert event.status == "held"  # not allowed
    other = factories.make_event(world.own.commune, world.own.office, title="Sẽ hủy")
    client.post(f"/events/{other.id}/cancel", data={"reason": ""})
    db.session.refresh(other)
    assert other.status == "scheduled"
    client.post(f"/events/{other.id}/cancel", data={"reason": "Mưa lũ"})
    db.session.refresh(other)
    assert other.status == "cancelled" and other.cancel_reason == "Mưa lũ"
    html = client.get(f"/events/{other.id}").get_data(as_text=True)
    assert "Mưa lũ" in html and "event.cancel" in html
    assert "Sẽ hủy" in client.get("/events/?status=cancelled").get_data(as_text=True)


def test_reschedule_is_audited_and_stale_edit_is_409(client, auth, world):
    auth.login(world.users["local_officer"])
    event = world.own.event
    data = _data(world, title=event.title, version=str(event.version))
    assert client.post(f"/events/{event.id}/edit", data=data).status_code == 303
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "event.reschedule")) is not None
    assert client.post(f"/events/{event.id}/edit", data=data).status_code == 409


def test_clone_to_communes_and_dates(client, auth, world):
    auth.login(world.users["local_officer"])
    event = world.own.event
    response = client.post(f"/events/{event.id}/clone", data={
        "communes": [str(world.own.commune.id), str(world.own.commune2.id)], "dates": "20/05/2027, 21/05/2027",
        "save_anyway": "y"})
    assert response.status_code == 303
    copies = db.session.scalars(select(Event).where(Event.title == event.title, Event.id != event.id)).all()
    assert len(copies) == 4 and all(c.status == "draft" for c in copies)
    assert client.post(f"/events/{event.id}/clone", data={"dates": "32/13/2027"}).status_code == 422


def test_calendar_shows_events_and_offers_a_day_link(client, auth, world):
    auth.login(world.users["local_officer"])
    day = to_local(world.own.event.starts_at).date()
    html = client.get(f"/events/calendar?date={day.isoformat()}").get_data(as_text=True)
    assert world.own.event.title in html and world.near.event.title not in html
    assert "/events/new?date=" in html
    week = client.get(f"/events/calendar?view=week&date={day.isoformat()}").get_data(as_text=True)
    assert world.own.event.title in week


def test_agent_sees_only_assigned_events(client, auth, world):
    auth.login(world.users["agent"])
    html = client.get("/events/").get_data(as_text=True)
    assert world.own.event.title in html and world.near.event.title not in html
    assert client.get("/events/new").status_code == 403
