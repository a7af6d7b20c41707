"""The agent's "My work" on a phone: one event at a time, the households still to visit first with today's
appointments on top, and back to the same place after the full form."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from portal.extensions import db
from portal.i18n.formatting import local_today
from portal.visits.building import add_households

from .. import factories


def _two_more(world):
    """Two more households on the own event's list, assigned to the own agent."""
    own = world.own
    more = [factories.make_household(own.hamlet, name)[0] for name in ("Hộ Hẹn Hôm Nay", "Hộ Đã Gặp")]
    add_households(own.visit_list, [h.id for h in more])
    from portal.visits.models import VisitAssignment

    rows = {a.household_id: a for a in db.session.scalars(db.select(VisitAssignment).where(
        VisitAssignment.visit_list_id == own.visit_list.id))}
    for household in more:
        rows[household.id].agent_id = own.agent.id
    rows[more[0].id].outcome, rows[more[0].id].follow_up_on = "not_home", local_today()
    rows[more[1].id].outcome = "consulted"
    db.session.commit()
    return rows[more[0].id], rows[more[1].id]


def test_to_visit_first_with_todays_appointments_on_top(client, auth, world):
    appointment, visited = _two_more(world)
    auth.login(world.users["agent"])
    html = client.get("/my").get_data(as_text=True)
    assert "Hộ Đã Gặp" not in html  # visited: not in "to visit"
    assert html.index("Hẹn hôm nay") < html.index("Hộ Hẹn Hôm Nay") < html.index(world.own.household.head_name)
    done = client.get(f"/my?event={world.own.event.id}&show=done").get_data(as_text=True)
    assert "Hộ Đã Gặp" in done and "Hộ Hẹn Hôm Nay" not in done
    every = client.get("/my?show=all").get_data(as_text=True)
    assert "Hộ Đã Gặp" in every and "Hộ Hẹn Hôm Nay" in every


def test_one_event_at_a_time_with_the_others_a_tap_away(client, auth, world):
    own = world.own
    later = factories.make_event(own.commune, own.office, agents=[own.agent], title="Hội nghị tháng sau",
                                 starts_at=datetime.now(UTC).replace(microsecond=0) + timedelta(days=30))
    other, _person = factories.make_household(own.hamlet, "Hộ Của Tháng Sau")
    factories.make_visit_list(later, other, own.agent)
    auth.login(world.users["agent"])
    html = client.get("/my").get_data(as_text=True)
    assert own.household.head_name in html and "Hộ Của Tháng Sau" not in html  # the soonest event
    assert f"/my?event={later.id}" in html
    second = client.get(f"/my?event={later.id}").get_data(as_text=True)
    assert "Hộ Của Tháng Sau" in second and own.household.head_name not in second


def test_the_full_form_comes_back_to_the_same_place(client, auth, world):
    auth.login(world.users["agent"])
    assignment = world.own.assignment
    here = f"/my?event={world.own.event.id}&show=all"
    html = client.get(here).get_data(as_text=True)
    assert f"/my/assignments/{assignment.id}?next=" in html
    form = client.get(f"/my/assignments/{assignment.id}?next=/my?event={world.own.event.id}%26show%3Dall")
    page = form.get_data(as_text=True)
    assert "show%3Dall" in page or "show=all" in page
    response = client.post(f"/my/assignments/{assignment.id}?next=/my?event={world.own.event.id}%26show%3Dall",
                           data={"outcome": "consulted", "person_id": "0", "version": str(assignment.version),
                                 "submission_key": "full"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/my?event={world.own.event.id}&show=all#a{assignment.id}")
    # A foreign "next" is not followed.
    db.session.refresh(assignment)
    response = client.post(f"/my/assignments/{assignment.id}?next=https://example.org/",
                           data={"outcome": "consulted", "person_id": "0", "version": str(assignment.version),
                                 "submission_key": "full2"})
    assert "example.org" not in response.headers["Location"]
