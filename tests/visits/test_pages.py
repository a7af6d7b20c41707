"""Pre-visit pages: build, split, supervise, paper entry, the agent's work."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.extensions import db
from portal.visits.models import Visit, VisitAssignment, VisitList

from .. import factories


def _households(world, n=6):
    for i in range(n):
        factories.make_household(world.own.hamlet if i % 2 else world.own.hamlet2, f"Người Thứ {i}", address=f"Nhà {i}")


def test_build_counts_then_builds(client, auth, world):
    _households(world)
    auth.login(world.users["local_officer"])
    event = world.own.event
    html = client.htmx_get(f"/events/{event.id}/previsit/build?hamlets={world.own.hamlet2.id}",
                           target="candidate-count").get_data(as_text=True)
    assert "3" in html and "<html" not in html
    response = client.post(f"/events/{event.id}/previsit/build",
                           data={"hamlets": str(world.own.hamlet2.id), "action": "build"})
    assert response.status_code == 303
    visit_list = db.session.scalar(select(VisitList).where(VisitList.event_id == event.id))
    assert db.session.scalar(select(func.count()).select_from(VisitAssignment).where(
        VisitAssignment.visit_list_id == visit_list.id)) == 4  # the world's household plus three


def test_build_rejects_bad_ages(client, auth, world):
    auth.login(world.users["local_officer"])
    response = client.post(f"/events/{world.own.event.id}/previsit/build", data={"min_age": "-4", "action": "count"})
    assert response.status_code == 422


def test_split_and_supervise(client, auth, world):
    _households(world)
    second = factories.make_agent(world.own.office, communes=[world.own.commune],
                                  hamlets=[world.own.hamlet, world.own.hamlet2], name="Lê Thị Hoa")
    auth.login(world.users["local_officer"])
    event = world.own.event
    client.post(f"/events/{event.id}/previsit/build", data={"action": "build"})
    response = client.post(f"/events/{event.id}/previsit/split", data={"redo": "1"})
    assert response.status_code == 303
    loads = dict(db.session.execute(select(VisitAssignment.agent_id, func.count()).join(VisitList).where(
        VisitList.event_id == event.id).group_by(VisitAssignment.agent_id)).all())
    assert set(loads) == {world.own.agent.id, second.id}
    html = client.get(f"/events/{event.id}/previsit").get_data(as_text=True)
    assert "Lê Thị Hoa" in html and "Người Thứ 1" in html


def test_paper_entry_by_row_number(client, auth, world):
    auth.login(world.users["local_officer"])
    event = world.own.event
    row = world.own.assignment.row_number
    response = client.post(f"/events/{event.id}/previsit/paper", data={"lines": f"{row} m 3\n99 v\n{row} z"},
                           headers={"HX-Request": "true", "HX-Target": "paper-entry"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422  # two bad lines are reported
    assert "99" in html
    visit = db.session.scalar(select(Visit))
    assert visit.outcome == "invited" and visit.expected_attendees == 3 and visit.from_paper


def test_agent_records_outcomes_and_sees_only_own_work(client, auth, world):
    auth.login(world.users["agent"])
    html = client.get("/my").get_data(as_text=True)
    assert world.own.household.head_name in html
    assert world.near.household.head_name not in html
    assignment = world.own.assignment
    data = {"outcome": "not_home", "quick": "1", "person_id": "0", "version": str(assignment.version),
            "submission_key": "abc"}
    response = client.post(f"/my/assignments/{assignment.id}", data=data,
                           headers={"HX-Request": "true", "HX-Target": f"a{assignment.id}"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and f'id="a{assignment.id}"' in html
    # The event's progress line is updated with the row: not at home is recorded but not visited.
    progress = html[html.index(f'id="progress-{world.own.event.id}"'):]
    assert 'hx-swap-oob="true"' in progress.split(">", 1)[0]
    assert "Đã thăm 0/1 hộ (gặp tại nhà), đã ghi 1" in progress
    # The same submission again (double tap) records nothing new.
    client.post(f"/my/assignments/{assignment.id}", data=data)
    assert db.session.scalar(select(func.count()).select_from(Visit)) == 1
    # Plain form post works without htmx, with a declined reason required.
    response = client.post(f"/my/assignments/{assignment.id}", data={
        "outcome": "declined", "person_id": "0", "version": "", "submission_key": "def", "decline_reason": ""})
    assert response.status_code == 422
    db.session.refresh(assignment)
    response = client.post(f"/my/assignments/{assignment.id}", data={
        "outcome": "declined", "person_id": "0", "version": str(assignment.version), "submission_key": "def",
        "decline_reason": "no_money", "note": "Hẹn sau mùa gặt"})
    assert response.status_code == 303
    db.session.refresh(assignment)
    assert assignment.outcome == "declined"
    assert client.get(f"/my/assignments/{world.near.assignment.id}").status_code == 404
    # Without the version it was opened on, a record is refused rather than saved over someone else's.
    response = client.post(f"/my/assignments/{assignment.id}", data={
        "outcome": "consulted", "person_id": "0", "version": "", "submission_key": "ghi"})
    assert response.status_code == 422 and "phiên bản" in response.get_data(as_text=True)


def test_stale_version_is_a_conflict(client, auth, world):
    auth.login(world.users["agent"])
    assignment = world.own.assignment
    response = client.post(f"/my/assignments/{assignment.id}", data={
        "outcome": "consulted", "person_id": "0", "version": str(assignment.version + 5), "submission_key": "x"})
    assert response.status_code == 409


def test_paper_m_typed_on_the_events_day_puts_the_household_on_the_invitations(client, auth, world):
    """Agents hand in their paper lists at the event: an "m" typed after it began still delivered a letter."""
    from datetime import UTC, datetime, timedelta

    from portal.results.models import Invitation

    event = world.own.event
    event.starts_at = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    event.ends_at = event.starts_at + timedelta(hours=3)
    db.session.execute(Invitation.__table__.delete())
    db.session.commit()
    auth.login(world.users["local_officer"])
    row = world.own.assignment.row_number
    response = client.post(f"/events/{event.id}/previsit/paper", data={"lines": f"{row} m 2"})
    assert response.status_code == 200
    invitation = db.session.scalar(select(Invitation).where(Invitation.event_id == event.id))
    assert invitation.household_id == world.own.household.id and invitation.expected_attendees == 2
    assert not db.session.scalar(select(Visit)).after_event


def test_paper_k_needs_the_reason_like_the_phone_form(client, auth, world):
    auth.login(world.users["local_officer"])
    event = world.own.event
    row = world.own.assignment.row_number
    response = client.post(f"/events/{event.id}/previsit/paper", data={"lines": f"{row} k"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "1 = " in html and db.session.scalar(select(Visit)) is None
    response = client.post(f"/events/{event.id}/previsit/paper", data={"lines": f"{row} k 2"})
    assert response.status_code == 200
    visit = db.session.scalar(select(Visit))
    assert visit.outcome == "declined" and visit.decline_reason == "not_interested"


def test_a_return_visit_in_the_past_is_refused_with_the_allowed_range(client, auth, world):
    auth.login(world.users["agent"])
    assignment = world.own.assignment
    data = {"outcome": "not_home", "person_id": "0", "version": str(assignment.version),
            "submission_key": "back", "follow_up_on": "03/02/2020"}
    response = client.post(f"/my/assignments/{assignment.id}", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "từ hôm nay đến một năm sau" in html and 'id="follow_up_on-error"' in html
    assert db.session.scalar(select(Visit)) is None


def test_a_list_just_built_is_not_slow(world):
    """"The list is slow" waits three days after the list was built before speaking of nothing recorded."""
    from datetime import UTC, datetime, timedelta

    from portal.visits.queries import AgentProgress, is_stalled

    now = datetime(2027, 5, 1, 2, tzinfo=UTC)
    event = world.own.event
    event.starts_at = now + timedelta(days=6)
    rows = [AgentProgress(None, "", 10, 0, 0, 0, 0, None)]
    assert not is_stalled(event, rows, now, built_at=now - timedelta(hours=1))
    assert is_stalled(event, rows, now, built_at=now - timedelta(days=4))
    assert is_stalled(event, rows, now)  # no date of building known: as before
