"""The number of SQL statements per report page does not grow with the data (no query per row)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event

from portal.extensions import db
from portal.results import services

from .. import factories
from . import scenario

pytestmark = pytest.mark.real_commits  # counts statements: no savepoints of the rolled-back mode among them


def _grow(world, may, rounds: int) -> None:
    """More communes, agents, events with lists, letters, attendance, sign-ups and tags in both offices."""
    user = world.users["local_officer"]
    for n in range(rounds):
        for territory in (world.own, world.near):
            commune = factories.make_commune(territory.province, f"Xã Thêm {territory.office.id} {n}",
                                             office=territory.office)
            hamlet = factories.make_hamlet(commune, f"Thôn Thêm {n}")
            agent = factories.make_agent(territory.office, communes=[commune], hamlets=[hamlet],
                                         name=f"Đại Lý Thêm {territory.office.id} {n}")
            event_ = factories.make_event(commune, territory.office, title=f"Hội nghị thêm {n}", status="held",
                                          starts_at=datetime(2026, 5, 5, 1, tzinfo=UTC) + timedelta(days=n),
                                          leaflet_audience=("town", "ethnic", None)[n % 3])
            people = [factories.make_household(hamlet, f"Người Thêm {n} {k}", address=f"Nhà {k}")
                      for k in range(3)]
            scenario._list(event_, [h for h, _p in people], [(agent, "invited"), (agent, "declined"), (agent, None)])
            for household, person in people[:2]:
                services.invite(event_, household.id, agent_id=agent.id)
                services.check_in(event_, person=person, user=user)
                scenario._tag(person, ("small_trader", "craft_village")[n % 2])
            scenario._signup(people[0][1], "bhxh_tn", "new", date(2026, 5, 5) + timedelta(days=n), user, event_,
                             agent)
            services.confirm_results(event_, user)
            for campaign_target in ((commune.id, "commune"), (agent.id, "agent")):
                from portal.campaigns import services as campaign_services

                campaign_services.set_target(may.campaign, campaign_target[1], campaign_target[0], "new_bhxh_tn", 3)
    db.session.commit()


def _count(client, url: str, *, cold: bool = True) -> int:
    """Statements of one request; ``cold`` empties the caches of group counts and kept figures first (the most
    it runs)."""
    from portal.reports import groups, memo

    if cold:
        groups.cache().clear()
        memo.clear()
    statements = []

    def listen(conn, cursor, statement, *args):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", listen)
    try:
        response = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    assert response.status_code == 200, (url, response.status_code)
    return len(statements)


def _pages(world, may):
    c, own = may.campaign.id, world.own.office.id
    return {
        "dashboard, offices": f"/reports/campaigns/{c}",
        "dashboard, communes": f"/reports/campaigns/{c}?level=commune&office={own}",
        "dashboard, agents": f"/reports/campaigns/{c}?level=agent&office={own}",
        "dashboard, organisations": f"/reports/campaigns/{c}?level=organisation",
        "dashboard, hamlets": f"/reports/campaigns/{c}?level=hamlet&office={own}&commune={world.own.commune.id}",
        "funnel, offices": f"/reports/campaigns/{c}/funnel",
        "funnel, communes": f"/reports/campaigns/{c}/funnel?level=commune&office={own}",
        "funnel, agents": f"/reports/campaigns/{c}/funnel?level=agent&office={own}",
        "funnel, events": f"/reports/campaigns/{c}/funnel?level=event&office={own}",
        "event funnel": f"/reports/events/{may.e1.id}/funnel",
        "commune report": f"/reports/campaigns/{c}/communes.xlsx",
        "funnel report": f"/reports/campaigns/{c}/funnel.xlsx?level=agent&office={own}",
        "home": "/",
    }


@pytest.mark.parametrize("role", ["province_officer", "local_officer"])
def test_statements_per_page_stay_constant(client, auth, world, role):
    may = scenario.build(world)
    auth.login(world.users[role])
    pages = _pages(world, may)
    before = {name: _count(client, url) for name, url in pages.items()}
    _grow(world, may, 3)
    after = {name: _count(client, url) for name, url in pages.items()}
    assert after == before
    assert max(before.values()) <= 40, before  # and a small number at that
    warm = {name: _count(client, url, cold=False) for name, url in pages.items()}
    assert all(warm[name] <= after[name] for name in pages)
