"""Due-payment and lapse lists: each kind with its window, per hamlet and per agent, scope, narrowing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.auth import roles
from portal.auth.scope import Scope
from portal.households import queries
from portal.i18n.formatting import local_today

from .. import factories as base
from .factories import make_person
from .test_search import people_in


@pytest.fixture
def due_world(world):
    """People on and off each list; hamlet H1 has two agents, hamlet H2 none."""
    today = local_today()
    own = world.own
    second = base.make_agent(own.office, organisation=own.organisation, communes=[own.commune],
                             hamlets=[own.hamlet], name="Bàn Văn Hai")

    def participating(hamlet, name, days):
        return make_person(hamlet, name, bhxh_tn_status="participating", paid_until=today + timedelta(days=days))

    people = {
        "due_soon": participating(own.hamlet, "Nông Văn Sớm", 10),
        "due_soon2": participating(own.hamlet2, "Nông Thị Hai", 20),
        "due_later": participating(own.hamlet, "Nông Văn Muộn", 60),
        "due_past": participating(own.hamlet, "Nông Văn Quá", -5),
        "near_due": participating(world.near.hamlet, "Nông Văn Xa", 10),
        "stopped_recent": make_person(own.hamlet, "Nông Văn Dừng", bhxh_tn_status="stopped",
                                      paid_until=today - timedelta(days=100)),
        "stopped_old": make_person(own.hamlet2, "Nông Văn Cũ", bhxh_tn_status="stopped",
                                   paid_until=today - timedelta(days=800)),
        "stopped_undated": make_person(own.hamlet2, "Nông Văn Không", bhxh_tn_status="stopped"),
        "card_soon": make_person(own.hamlet, "Nông Thị Thẻ", bhyt_expires_on=today + timedelta(days=7)),
        "card_expired": make_person(own.hamlet2, "Nông Thị Hết", bhyt_expires_on=today - timedelta(days=3)),
        "card_long_expired": make_person(own.hamlet, "Nông Thị Lâu", bhyt_expires_on=today - timedelta(days=100)),
    }
    return world, second, {k: p.id for k, p in people.items()}


def _office_scope(world):
    return Scope("office", province_id=world.own.province.id, office_id=world.own.office.id)


def _ids(result) -> set[int]:
    return {row[0].id for group in result.groups for row in group.rows}


def test_each_kind_finds_its_people(app, due_world):
    world, _second, p = due_world
    scope = _office_scope(world)

    def due(**kw):
        result = queries.due_list(queries.DueFilter(**kw), scope=scope)
        assert result.total == len(_ids(result))
        return _ids(result)

    assert due(kind="paid_until") == {p["due_soon"], p["due_soon2"]}
    assert due(kind="paid_until", days=90) == {p["due_soon"], p["due_soon2"], p["due_later"]}
    today = local_today()
    assert due(kind="paid_until", start=today + timedelta(days=15), end=today + timedelta(days=61)) == {
        p["due_soon2"], p["due_later"]}
    assert due(kind="paid_until", start=today - timedelta(days=7), end=today) == {p["due_past"]}
    assert due(kind="stopped") == {p["stopped_recent"]}
    assert due(kind="stopped", days=0) == {p["stopped_recent"], p["stopped_old"], p["stopped_undated"]}
    assert due(kind="bhyt_expiring") == {p["card_soon"]}
    assert due(kind="bhyt_expired") == {p["card_expired"]}
    assert due(kind="bhyt_expired", days=365) == {p["card_expired"], p["card_long_expired"]}


def test_grouped_per_hamlet_and_per_agent(app, due_world):
    world, second, p = due_world
    scope = _office_scope(world)
    per_hamlet = queries.due_list(queries.DueFilter(kind="paid_until"), scope=scope)
    assert [(g.key, g.count, [r[0].id for r in g.rows]) for g in per_hamlet.groups] == [
        (world.own.hamlet2.id, 1, [p["due_soon2"]]), (world.own.hamlet.id, 1, [p["due_soon"]])]  # Hạ < Thượng
    per_agent = queries.due_list(queries.DueFilter(kind="paid_until", group="agent"), scope=scope)
    groups = [(g.key, g.count, [r[0].id for r in g.rows]) for g in per_agent.groups]
    # The person of the hamlet with two agents is under both; hamlet H2 has no agent; agents in name order.
    assert groups == [(second.id, 1, [p["due_soon"]]), (world.own.agent.id, 1, [p["due_soon"]]),
                      (None, 1, [p["due_soon2"]])]
    assert per_agent.total == 2
    only_second = queries.due_list(queries.DueFilter(kind="paid_until", agent_id=second.id), scope=scope)
    assert _ids(only_second) == {p["due_soon"]}


def test_due_page_per_role(client, auth, due_world):
    world, second, p = due_world
    auth.login(world.users[roles.LOCAL_OFFICER])
    html = client.get("/households/due").get_data(as_text=True)
    assert set(people_in(html)) == {p["due_soon"], p["due_soon2"]}
    html = client.get("/households/due?kind=paid_until&group=agent").get_data(as_text=True)
    assert people_in(html).count(p["due_soon"]) == 1  # links once per id in people_in, but…
    assert html.count(f'/households/people/{p["due_soon"]}"') == 2  # …listed under both agents
    assert "Bàn Văn Hai" in html and world.own.agent.full_name in html
    for kind, key in (("stopped", "stopped_recent"), ("bhyt_expiring", "card_soon"), ("bhyt_expired", "card_expired")):
        assert set(people_in(client.get(f"/households/due?kind={kind}").get_data(as_text=True))) == {p[key]}
    fragment = client.htmx_get("/households/due?kind=stopped&days=", target="due-page").get_data(as_text=True)
    assert "<html" not in fragment
    assert set(people_in(fragment)) == {p["stopped_recent"], p["stopped_old"], p["stopped_undated"]}
    auth.logout()
    auth.login(world.users[roles.AGENT])  # the agent covers hamlet H1 only
    html = client.get("/households/due").get_data(as_text=True)
    assert set(people_in(html)) == {p["due_soon"]}
    auth.logout()
    auth.login(world.users[roles.PROVINCE_OFFICER])
    assert p["near_due"] in people_in(client.get("/households/due").get_data(as_text=True))


def test_bad_window_is_explained(client, auth, due_world):
    world, _second, _p = due_world
    auth.login(world.users[roles.LOCAL_OFFICER])
    response = client.get("/households/due?kind=paid_until&from=31/02/2026&days=0")
    assert response.status_code == 422
    assert response.get_data(as_text=True).count('role="alert"') == 2


def test_long_lists_show_counts_per_group(client, auth, due_world, monkeypatch):
    world, _second, p = due_world
    monkeypatch.setattr(queries, "DUE_DETAIL_MAX", 1)
    auth.login(world.users[roles.LOCAL_OFFICER])
    html = client.get("/households/due?kind=paid_until").get_data(as_text=True)
    assert people_in(html) == [] and 'class="data due-groups"' in html
    assert f"hamlet={world.own.hamlet.id}" in html
    narrowed = client.get(f"/households/due?kind=paid_until&hamlet={world.own.hamlet.id}").get_data(as_text=True)
    assert people_in(narrowed) == [p["due_soon"]]


def test_a_due_list_page_view_leaves_one_audit_entry_with_its_filter(client, auth, due_world):
    from sqlalchemy import select

    from portal.audit.models import AuditEntry
    from portal.extensions import db

    world, _second, p = due_world
    auth.login(world.users[roles.LOCAL_OFFICER])
    client.get("/households/due?kind=paid_until&group=agent")
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "view.due_list")).all()
    assert len(entries) == 1
    assert entries[0].details["filter"]["kind"] == "paid_until" and entries[0].details["filter"]["group"] == "agent"
    assert entries[0].details["rows"] >= 2 and entries[0].user_id == world.users[roles.LOCAL_OFFICER].id
