"""Training records: a training's attendance sets the trained date of agents and collaborators; collaborators."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.i18n.formatting import local_today, to_local
from portal.network.models import Collaborator, TrainingParticipant

from .. import factories


def _training(world, days_ago: int = 3, **fields):
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=days_ago)
    return factories.make_event(world.own.commune, world.own.office, kind="training", title="Tập huấn đại lý thu",
                                starts_at=start, status=fields.pop("status", "held"), **fields)


def test_attendance_sets_the_trained_date_and_taking_off_restores_it(client, auth, world):
    agent = world.own.agent
    agent.trained_on = date(2024, 5, 1)
    db.session.commit()
    head = factories.make_collaborator(world.own.commune, "Lò Văn Páo", hamlet=world.own.hamlet)
    event = _training(world)
    day = to_local(event.starts_at).date()
    auth.login(world.users["local_officer"])
    page = client.get(f"/network/trainings/{event.id}").get_data(as_text=True)
    assert agent.full_name in page and "Lò Văn Páo" in page
    response = client.post(f"/network/trainings/{event.id}", data={"agents": [str(agent.id)],
                                                                   "collaborators": [str(head.id)]})
    assert response.status_code == 303
    db.session.refresh(agent)
    db.session.refresh(head)
    assert agent.trained_on == day and head.trained_on == day
    assert "Tập huấn đại lý thu" in client.get(f"/network/collaborators/{head.id}").get_data(as_text=True)
    # Taken off: the agent gets the 2024 date back, the collaborator none.
    assert client.post(f"/network/trainings/{event.id}", data={}).status_code == 303
    db.session.refresh(agent)
    db.session.refresh(head)
    assert agent.trained_on == date(2024, 5, 1) and head.trained_on is None
    assert db.session.scalar(select(TrainingParticipant)) is None


def test_an_earlier_training_does_not_move_a_later_date_back(client, auth, world):
    agent = world.own.agent
    later = local_today()
    agent.trained_on = later
    db.session.commit()
    event = _training(world, days_ago=30)
    auth.login(world.users["local_officer"])
    client.post(f"/network/trainings/{event.id}", data={"agents": [str(agent.id)]})
    db.session.refresh(agent)
    assert agent.trained_on == later


def test_a_training_still_to_come_is_refused_and_nothing_is_written(client, auth, world):
    event = _training(world, days_ago=-5, status="scheduled")
    auth.login(world.users["local_officer"])
    response = client.post(f"/network/trainings/{event.id}", data={"agents": [str(world.own.agent.id)]})
    assert response.status_code == 422
    db.session.refresh(world.own.agent)
    assert world.own.agent.trained_on is None
    assert db.session.scalar(select(TrainingParticipant)) is None


def test_only_trainings_have_an_attendance_of_agents(client, auth, world):
    auth.login(world.users["local_officer"])
    assert client.get(f"/network/trainings/{world.own.event.id}").status_code == 404


def test_new_collaborator_and_a_wrong_phone(client, auth, world):
    auth.login(world.users["local_officer"])
    data = {"full_name": "hà thị  lan", "role": "association_leader", "position": "Chi hội trưởng Hội Phụ nữ",
            "commune_id": str(world.own.commune.id), "hamlet_id": str(world.own.hamlet.id), "phone": "12",
            "active": "y"}
    assert client.post("/network/collaborators/new", data=data).status_code == 422
    assert db.session.scalar(select(Collaborator)) is None
    response = client.post("/network/collaborators/new", data={**data, "phone": "0912 345 678"})
    assert response.status_code == 303
    row = db.session.scalar(select(Collaborator))
    assert row.full_name == "Hà Thị Lan" and row.phone == "0912345678" and row.hamlet_id == world.own.hamlet.id
    listing = client.get("/network/collaborators?role=association_leader").get_data(as_text=True)
    assert "Hà Thị Lan" in listing


def test_collaborators_of_another_office_are_hidden(client, auth, world):
    other = factories.make_collaborator(world.near.commune, "Giàng A Chứ")
    auth.login(world.users["local_officer"])
    assert "Giàng A Chứ" not in client.get("/network/collaborators").get_data(as_text=True)
    assert client.get(f"/network/collaborators/{other.id}").status_code == 404
