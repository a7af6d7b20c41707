"""Copying an event to other communes and dates in one step, with each copy's conflicts shown first."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.audit.models import AuditEntry
from portal.events.models import Event, event_agents, event_speakers
from portal.extensions import db
from portal.i18n.formatting import to_local

from .. import factories
from .helpers import actions, add_speaker, event_at, vn


def _copies(source):
    db.session.expire_all()
    return list(db.session.scalars(select(Event).where(Event.title == source.title, Event.id != source.id)
                                   .order_by(Event.id)))


def test_clone_to_three_communes_in_one_step(client, auth, world):
    third = factories.make_commune(world.own.province, "Xã Nghĩa Lộ Ba", office=world.own.office)
    fourth = factories.make_commune(world.own.province, "Xã Nghĩa Lộ Bốn", office=world.own.office)
    source = event_at(world.own, vn(2027, 5, 15, 8), agents=[world.own.agent], title="Hội nghị mẫu",
                      hamlet_id=world.own.hamlet.id)
    auth.login(world.users["local_officer"])
    communes = [str(world.own.commune2.id), str(third.id), str(fourth.id)]
    response = client.post(f"/events/{source.id}/clone", data={"communes": communes, "dates": "",
                                                                "action": "create"})
    assert response.status_code == 303
    copies = _copies(source)
    assert sorted(c.commune_id for c in copies) == sorted([world.own.commune2.id, third.id, fourth.id])
    for copy in copies:
        assert copy.status == "draft" and copy.hamlet_id is None and copy.venue == source.venue
        assert to_local(copy.starts_at).strftime("%H:%M %d/%m/%Y") == "08:00 15/05/2027"
        assert to_local(copy.ends_at).strftime("%H:%M") == "11:00"
        assert "event.create" in actions(copy.id)
    # The agent covers only the source's commune: no copy takes them.
    assert db.session.scalar(select(func.count()).select_from(event_agents).where(
        event_agents.c.event_id.in_([c.id for c in copies]))) == 0
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "event.clone"))
    assert entry.object_id == source.id and sorted(entry.details["copies"]) == sorted(c.id for c in copies)


def test_clone_to_dates_keeps_commune_hamlet_and_agents(client, auth, world):
    source = event_at(world.own, vn(2027, 5, 15, 8), agents=[world.own.agent], title="Hội nghị mẫu",
                      hamlet_id=world.own.hamlet.id)
    add_speaker(source, world.own.speaker)
    auth.login(world.users["local_officer"])
    response = client.post(f"/events/{source.id}/clone", data={"dates": "20/05/2027; 21/5/2027", "action": "create"})
    assert response.status_code == 303
    copies = _copies(source)
    assert [to_local(c.starts_at).day for c in copies] == [20, 21]
    assert all(c.hamlet_id == world.own.hamlet.id and c.commune_id == world.own.commune.id for c in copies)
    for table in (event_agents, event_speakers):
        assert db.session.scalar(select(func.count()).select_from(table).where(
            table.c.event_id.in_([c.id for c in copies]))) == 2


def test_each_copys_conflicts_show_before_anything_is_created(client, auth, world):
    source = event_at(world.own, vn(2027, 5, 15, 8), title="Hội nghị mẫu")
    add_speaker(source, world.own.speaker)
    auth.login(world.users["local_officer"])
    data = {"communes": [str(world.own.commune.id), str(world.own.commune2.id)], "dates": "16/05/2027",
            "action": "create"}
    response = client.post(f"/events/{source.id}/clone", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert html.count('class="has-conflicts"') == 1  # the second copy: same speaker as the first copy
    assert 'class="conflict-speaker"' in html and 'name="save_anyway"' in html
    assert _copies(source) == []
    check = client.post(f"/events/{source.id}/clone", data={**data, "action": "check"})
    assert check.status_code == 200 and _copies(source) == []
    assert client.post(f"/events/{source.id}/clone", data={**data, "save_anyway": "y"}).status_code == 303
    assert len(_copies(source)) == 2


def test_clone_validation(client, auth, world):
    source = world.own.event
    auth.login(world.users["local_officer"])
    bad = client.post(f"/events/{source.id}/clone", data={"dates": "32/13/2027, mai", "action": "create"})
    assert bad.status_code == 422 and "32/13/2027" in bad.get_data(as_text=True)
    day = to_local(source.starts_at).strftime("%d/%m/%Y")
    same = client.post(f"/events/{source.id}/clone", data={"dates": day, "action": "create"})
    assert same.status_code == 422  # the same commune on the same day is no copy
    outside = client.post(f"/events/{source.id}/clone", data={"communes": str(world.near.commune.id)})
    assert outside.status_code == 404
    preview = client.post(f"/events/{source.id}/clone", data={"dates": "01/06/2027", "_check": "preview"},
                          headers={"HX-Request": "true", "HX-Target": "clone-preview"})
    assert preview.status_code == 200 and preview.get_data(as_text=True).startswith('<div id="clone-preview"')
    assert "01/06/2027" in preview.get_data(as_text=True)
    dates = client.post(f"/events/{source.id}/clone", data={"dates": "32/13/2027", "_check": "dates"},
                        headers={"HX-Request": "true"})
    assert dates.get_data(as_text=True).startswith('<small id="dates-error"') and "32/13/2027" in dates.get_data(
        as_text=True)
    assert _copies(source) == []


def test_clone_refuses_far_away_years(client, auth, world):
    auth.login(world.users["local_officer"])
    response = client.post(f"/events/{world.own.event.id}/clone", data={"dates": "31/12/9999", "action": "create"})
    assert response.status_code == 422 and _copies(world.own.event) == []
