"""Building pre-visit lists, splitting them among agents, recording outcomes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from portal.events.models import Event
from portal.extensions import db
from portal.households.models import Household, Person
from portal.households.services import place_person, set_household_fields, set_tags, sync_tokens
from portal.visits import building, services
from portal.visits.models import AgentQuota, Visit, VisitAssignment

from .. import factories


def _household(hamlet, head, address, **person):
    household = Household(poverty_status="none")
    set_household_fields(household, hamlet=hamlet, head_name=head, address=address)
    db.session.add(household)
    db.session.flush()
    p = Person(relation_to_head="head", **person)
    p.set_name(head)
    place_person(p, household)
    db.session.add(p)
    db.session.flush()
    sync_tokens(p)
    return household, p


def _fresh(world):
    """A commune of the own office with no households yet (the world's commune has one)."""
    from types import SimpleNamespace

    own = world.own
    commune = factories.make_commune(own.province, "Xã Mới", office=own.office)
    hamlet = factories.make_hamlet(commune, "Thôn Một")
    hamlet2 = factories.make_hamlet(commune, "Thôn Hai")
    agent = factories.make_agent(own.office, communes=[commune], hamlets=[hamlet])
    return SimpleNamespace(commune=commune, hamlet=hamlet, hamlet2=hamlet2, agent=agent, office=own.office,
                           province=own.province)


def _event(place):
    event = Event(kind="conference", title="Hội nghị", commune_id=place.commune.id, venue="Nhà văn hóa",
                  starts_at=datetime(2027, 5, 10, 1, tzinfo=UTC), ends_at=datetime(2027, 5, 10, 4, tzinfo=UTC),
                  organiser_office_id=place.office.id, status="scheduled")
    db.session.add(event)
    db.session.commit()
    return event


def test_criteria_select_households(world):
    own = _fresh(world)
    h1, p1 = _household(own.hamlet, "Lê Văn An", "Nhà 1", bhxh_tn_status="never", date_of_birth=date(1980, 1, 1))
    h2, p2 = _household(own.hamlet, "Trần Thị Bình", "Nhà 2", bhxh_tn_status="stopped", date_of_birth=date(1990, 1, 1))
    h3, p3 = _household(own.hamlet2, "Hà Văn Chung", "Nhà 3", bhxh_tn_status="participating",
                        date_of_birth=date(1950, 1, 1), bhyt_expires_on=date(2027, 5, 20))
    set_tags(p1, {"small_trader"})
    db.session.commit()
    on = date(2027, 5, 10)
    commune = own.commune.id

    def ids(**kw):
        return set(db.session.scalars(building.candidates(commune, building.Criteria(**kw), on)))

    assert ids() == {h1.id, h2.id, h3.id}
    assert ids(hamlet_ids=[own.hamlet2.id]) == {h3.id}
    assert ids(tags=["small_trader"]) == {h1.id}
    assert ids(coverage=["not_participating"]) == {h1.id}
    assert ids(coverage=["stopped_paying", "bhyt_expiring"]) == {h2.id, h3.id}
    assert ids(min_age=18, max_age=60) == {h1.id, h2.id}
    assert building.count_candidates(commune, building.Criteria(max_age=40), on) == 1
    db.session.add(Visit(household_id=h1.id, outcome="consulted", recorded_at=datetime.now(UTC) - timedelta(days=3)))
    db.session.commit()
    assert ids(not_visited_days=7) == {h2.id, h3.id}
    assert ids(not_visited_days=2) == {h1.id, h2.id, h3.id}


def test_build_gives_stable_row_numbers_in_walking_order(world):
    own = _fresh(world)
    for n in (3, 1, 2):
        _household(own.hamlet, f"Chủ Hộ Số {n}", f"Nhà {n}")
    _household(own.hamlet2, "Chủ Hộ Khác", "Nhà 10")
    db.session.commit()
    event = _event(own)
    user = world.users["local_officer"]
    visit_list, added = building.build_list(event, building.Criteria(hamlet_ids=[own.hamlet.id]), user)
    db.session.commit()
    assert added == 3
    rows = db.session.execute(select(VisitAssignment.row_number, Household.address).join(
        Household, Household.id == VisitAssignment.household_id).where(
        VisitAssignment.visit_list_id == visit_list.id).order_by(VisitAssignment.row_number)).all()
    assert [r[1] for r in rows] == ["Nhà 1", "Nhà 2", "Nhà 3"]
    # Adding more continues the numbering; removing never renumbers.
    building.remove_households(visit_list, [db.session.scalar(select(VisitAssignment.id).where(
        VisitAssignment.row_number == 2))])
    _, added = building.build_list(event, building.Criteria(), user)
    db.session.commit()
    assert added == 2  # the hamlet2 household and the removed one come back with new numbers
    assert sorted(db.session.scalars(select(VisitAssignment.row_number).where(
        VisitAssignment.visit_list_id == visit_list.id))) == [1, 3, 4, 5]


def test_split_keeps_hamlets_together_and_balances(world):
    own = _fresh(world)
    h3 = factories.make_hamlet(own.commune, "Thôn Ba")
    a1 = own.agent  # covers own.hamlet
    a2 = factories.make_agent(own.office, communes=[own.commune], hamlets=[own.hamlet, own.hamlet2, h3])
    a3 = factories.make_agent(own.office, communes=[own.commune], hamlets=[own.hamlet2, h3])
    for hamlet, count in ((own.hamlet, 12), (own.hamlet2, 6), (h3, 6)):
        for n in range(count):
            _household(hamlet, f"Người {hamlet.id} {n}", f"Nhà {n + 1}")
    db.session.commit()
    event = _event(own)
    visit_list, added = building.build_list(event, building.Criteria(), world.users["local_officer"])
    result = building.split_among_agents(visit_list)
    db.session.commit()
    assert added == 24 and result.unassigned == 0
    loads = dict(db.session.execute(select(VisitAssignment.agent_id, func.count()).where(
        VisitAssignment.visit_list_id == visit_list.id).group_by(VisitAssignment.agent_id)).all())
    assert sorted(loads.values()) == [8, 8, 8]
    assert set(loads) == {a1.id, a2.id, a3.id}
    # Each agent's households in a hamlet are one run of the walking order.
    for agent in (a1, a2, a3):
        for hamlet in (own.hamlet, own.hamlet2, h3):
            rows = sorted(db.session.scalars(select(VisitAssignment.row_number).where(
                VisitAssignment.agent_id == agent.id, VisitAssignment.hamlet_id == hamlet.id)))
            assert rows == list(range(rows[0], rows[0] + len(rows))) if rows else True


def test_split_respects_quotas_and_reports_uncovered_hamlets(world):
    own = _fresh(world)
    lonely = factories.make_hamlet(own.commune, "Thôn Không Ai")
    for n in range(5):
        _household(own.hamlet, f"Người A {n}", f"Nhà {n}")
    for n in range(2):
        _household(lonely, f"Người B {n}", f"Nhà {n}")
    db.session.commit()
    event = _event(own)
    visit_list, _ = building.build_list(event, building.Criteria(), world.users["local_officer"])
    db.session.add(AgentQuota(visit_list_id=visit_list.id, agent_id=own.agent.id, max_visits=3))
    result = building.split_among_agents(visit_list)
    db.session.commit()
    assert result.assigned == {own.agent.id: 3}
    assert result.unassigned == 4 and result.hamlets_without_agent == [lonely.id]


def test_record_outcome_is_idempotent_and_locked(world):
    own = _fresh(world)
    _household(own.hamlet, "Lê Văn An", "Nhà 1")
    db.session.commit()
    event = _event(own)
    visit_list, _ = building.build_list(event, building.Criteria(), world.users["local_officer"])
    building.split_among_agents(visit_list)
    db.session.commit()
    assignment = db.session.scalar(select(VisitAssignment))
    user = world.users["agent"]
    version = assignment.version
    first = services.record_outcome(assignment, outcome="invited", expected_attendees=2, user=user,
                                    submission_key="k1", expected_version=version)
    db.session.commit()
    again = services.record_outcome(assignment, outcome="invited", user=user, submission_key="k1")
    assert again.id == first.id
    assert db.session.scalar(select(func.count()).select_from(Visit)) == 1
    assert assignment.outcome == "invited"
    with pytest.raises(services.Conflict):
        services.record_outcome(assignment, outcome="declined", decline_reason="no_money", user=user,
                                expected_version=version)
    with pytest.raises(services.OutcomeError):
        services.record_outcome(assignment, outcome="declined", user=user)
