"""Offices, organisations and agents pages."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.geo.models import Commune
from portal.org.models import Agent, AgentOrganisation, agent_hamlets


def test_agents_search_sort_and_scope(client, auth, world):
    auth.login(world.users["local_officer"])
    html = client.get("/org/agents?q=dai+ly").get_data(as_text=True)
    assert world.own.agent.full_name in html and world.near.agent.full_name not in html
    assert client.get(f"/org/agents/{world.near.agent.id}").status_code == 404


def test_agent_edit_validates_and_sets_coverage(client, auth, world):
    auth.login(world.users["local_officer"])
    agent = world.own.agent
    data = {"code": agent.code, "full_name": "nguyễn thị  hoa", "phone": "12", "office_id": str(world.own.office.id),
            "organisation_id": "0", "trained_on": "", "active": "y", "communes": [str(world.own.commune.id)],
            "hamlets": [str(world.own.hamlet.id), str(world.own.hamlet2.id)]}
    assert client.post(f"/org/agents/{agent.id}/edit", data=data).status_code == 422
    assert client.post(f"/org/agents/{agent.id}/edit", data={**data, "phone": "+84 912 000 111",
                                                              "trained_on": "15/03/2026"}).status_code == 303
    db.session.refresh(agent)
    assert agent.full_name == "Nguyễn Thị Hoa" and agent.phone == "0912000111"
    hamlets = set(db.session.scalars(select(agent_hamlets.c.hamlet_id).where(agent_hamlets.c.agent_id == agent.id)))
    assert hamlets == {world.own.hamlet.id, world.own.hamlet2.id}
    clash = {**data, "phone": "", "code": world.near.agent.code}
    assert client.post(f"/org/agents/{agent.id}/edit", data=clash).status_code == 422


def test_new_agent(client, auth, world):
    auth.login(world.users["local_officer"])
    data = {"code": "dl-moi-01", "full_name": "Vàng A Sử", "phone": "", "office_id": str(world.own.office.id),
            "organisation_id": str(world.own.organisation.id), "trained_on": "", "active": "y"}
    assert client.post("/org/agents/new", data=data).status_code == 303
    assert db.session.scalar(select(Agent).where(Agent.code == "DL-MOI-01")) is not None


def test_office_edit_moves_communes(client, auth, world):
    auth.login(world.users["province_officer"])
    office = world.own.office
    data = {"code": office.code, "name": office.name, "kind": "local", "province_id": str(world.own.province.id),
            "address": "", "phone": "", "communes": [str(world.own.commune.id), str(world.near.commune.id)]}
    response = client.post(f"/org/offices/{office.id}/edit", data=data, follow_redirects=True)
    assert world.near.commune.name in response.get_data(as_text=True)
    assert db.session.get(Commune, world.near.commune.id).office_id == office.id
    assert db.session.get(Commune, world.own.commune2.id).office_id is None
    auth.logout()
    auth.login(world.users["local_officer"])
    assert client.get(f"/org/offices/{office.id}/edit").status_code == 403


def test_organisation_create(client, auth, world):
    auth.login(world.users["local_officer"])
    data = {"name": "Hội Phụ nữ xã Nghĩa Lộ", "kind": "women_union", "office_id": str(world.own.office.id),
            "phone": "", "address": ""}
    assert client.post("/org/organisations/new", data=data).status_code == 303
    assert db.session.scalar(select(AgentOrganisation).where(AgentOrganisation.kind == "women_union")) is not None
    assert client.post("/org/organisations/new", data={**data, "name": ""}).status_code == 422
