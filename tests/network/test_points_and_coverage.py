"""Collection points and the coverage of the hamlets against the province's rule."""

from __future__ import annotations

from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.auth.scope import scope_for
from portal.extensions import db
from portal.network import queries
from portal.network.models import CollectionPoint, CoverageRule, collection_point_agents

from .. import factories


def _point_data(world, **changes):
    data = {"name": "Điểm thu Bưu điện văn hóa xã", "commune_id": str(world.own.commune.id),
            "hamlet_id": str(world.own.hamlet.id), "organisation_id": str(world.own.organisation.id),
            "address": "Trung tâm xã", "days": ["mon", "thu"], "hours": "7:30–11:00", "active": "y",
            "agents": [str(world.own.agent.id)]}
    return {**data, **changes}


def test_new_point_with_agents_and_days(client, auth, world):
    auth.login(world.users["local_officer"])
    assert client.get(f"/network/points/new?commune={world.own.commune.id}").status_code == 200
    response = client.post("/network/points/new", data=_point_data(world))
    assert response.status_code == 303
    point = db.session.scalar(select(CollectionPoint).where(CollectionPoint.name == "Điểm thu Bưu điện văn hóa xã"))
    assert point.hamlet_id == world.own.hamlet.id and point.days == ["mon", "thu"]
    agents = set(db.session.scalars(select(collection_point_agents.c.agent_id)
                                    .where(collection_point_agents.c.point_id == point.id)))
    assert agents == {world.own.agent.id}
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "collection_point.create")) is not None
    html = client.get("/network/points").get_data(as_text=True)
    assert "Điểm thu Bưu điện văn hóa xã" in html and "7:30–11:00" in html


def test_point_refuses_a_hamlet_of_another_commune_and_writes_nothing(client, auth, world):
    auth.login(world.users["local_officer"])
    response = client.post("/network/points/new", data=_point_data(world, hamlet_id=str(world.near.hamlet.id)))
    assert response.status_code == 422
    assert db.session.scalar(select(CollectionPoint)) is None
    missing = client.post("/network/points/new", data=_point_data(world, name=""))
    assert missing.status_code == 422


def test_agents_of_another_commune_are_not_linked(client, auth, world):
    auth.login(world.users["local_officer"])
    client.post("/network/points/new", data=_point_data(world, agents=[str(world.own.agent.id),
                                                                       str(world.near.agent.id)]))
    linked = set(db.session.scalars(select(collection_point_agents.c.agent_id)))
    assert linked == {world.own.agent.id}


def test_commune_change_refreshes_the_hamlets_and_agents(client, auth, world):
    auth.login(world.users["local_officer"])
    response = client.post("/network/points/new", data={**_point_data(world, commune_id=str(
        world.own.commune2.id)), "_check": "point-links"}, headers={"HX-Request": "true", "HX-Target": "point-links"})
    html = response.get_data(as_text=True)
    assert "<html" not in html and world.own.hamlet.name not in html
    assert 'id="point-links"' in html and world.own.agent.code not in html


def test_points_of_another_office_are_hidden(client, auth, world):
    point = factories.make_point(world.near.commune, name="Điểm thu Bảo Yên")
    auth.login(world.users["local_officer"])
    assert "Điểm thu Bảo Yên" not in client.get("/network/points").get_data(as_text=True)
    assert client.get(f"/network/points/{point.id}/edit").status_code == 404


def test_coverage_counts_points_and_active_agents_per_hamlet(app, world):
    own = world.own
    factories.make_point(own.commune, hamlet=own.hamlet, agents=[own.agent])
    factories.make_point(own.commune, hamlet=own.hamlet, active=False)
    factories.make_point(own.commune)  # for the whole commune
    second = factories.make_agent(own.office, communes=[own.commune], hamlets=[own.hamlet])
    factories.make_agent(own.office, communes=[own.commune], hamlets=[own.hamlet], active=False)
    admin = scope_for(world.users["admin"])
    table = queries.coverage(office_id=own.office.id, scope=admin)
    commune = next(c for c in table if c.id == own.commune.id)
    assert commune.commune_points == 1
    hamlets = {h.id: h for h in commune.hamlets}
    upper, lower = hamlets[own.hamlet.id], hamlets[own.hamlet2.id]
    assert (upper.points, upper.agents, upper.needs_points, upper.needs_agents) == (1, 2, 1, 3)
    assert upper.agents_short and not upper.points_short and upper.gap
    assert (lower.points, lower.agents) == (0, 0) and lower.points_short
    assert second.active
    db.session.add(CoverageRule(province_id=own.province.id, points_per_hamlet=1, agents_per_hamlet=2))
    db.session.commit()
    upper = next(h for c in queries.coverage(office_id=own.office.id, scope=admin) for h in c.hamlets
                 if h.id == own.hamlet.id)
    assert not upper.gap


def test_coverage_page_highlights_gaps_and_planners_set_the_rule(client, auth, world):
    factories.make_point(world.own.commune, hamlet=world.own.hamlet)
    auth.login(world.users["province_officer"])
    html = client.get("/network/coverage").get_data(as_text=True)
    assert 'class="gap"' in html and world.own.hamlet.name in html
    response = client.post("/network/coverage/rule", data={"province_id": str(world.own.province.id),
                                                           "points": "1", "agents": "1"})
    assert response.status_code == 303
    rule = db.session.scalar(select(CoverageRule).where(CoverageRule.province_id == world.own.province.id))
    assert (rule.points_per_hamlet, rule.agents_per_hamlet) == (1, 1)
    bad = client.post("/network/coverage/rule", data={"province_id": str(world.own.province.id), "points": "x",
                                                      "agents": "1"})
    assert bad.status_code == 303
    db.session.refresh(rule)
    assert rule.agents_per_hamlet == 1


def test_coverage_of_a_campaign_shows_its_communes_only(client, auth, world):
    from portal.campaigns.models import Target

    db.session.add(Target(campaign_id=world.campaign_own.id, level="commune", commune_id=world.own.commune2.id,
                          subject_key=f"commune:{world.own.commune2.id}", metric="new_bhxh_tn", value=10))
    db.session.commit()
    auth.login(world.users["province_officer"])
    response = client.htmx_get(f"/network/coverage?campaign={world.campaign_own.id}", target="results")
    html = response.get_data(as_text=True)
    assert "<html" not in html
    assert world.own.commune2.name in html and world.own.commune.name not in html
    assert client.get(f"/network/coverage?campaign={world.campaign_far.id}").status_code == 404
