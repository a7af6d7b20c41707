"""The agent's day without signal, on a 360-px phone: open the day online, go offline, record visit outcomes,
check-ins and sign-ups, reload (the app and the queue survive), come back online, and every action reaches the
officer's pages exactly once; with an office edit meanwhile (a conflict shown side by side), and with the agent
deactivated meanwhile (refused, nothing written)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.auth import roles
from portal.extensions import db
from portal.households.models import Household, Person
from portal.policy.services import seed_shipped
from portal.results.models import Attendance, SignUp
from portal.visits.building import add_households
from portal.visits.models import Visit, VisitAssignment
from portal.visits.services import record_outcome

from .. import factories


def _cut(route):
    """What a phone without signal gets, for the service worker's requests too."""
    if route.request.service_worker:
        route.abort("internetdisconnected")
    else:
        route.continue_()


def offline(phone, on: bool):
    context = phone.page.context
    if on:
        context.set_offline(True)
        context.route("**/*", _cut)
    else:
        context.unroute("**/*", _cut)
        context.set_offline(False)


def _day(world, households: int = 13, invited: int = 3):
    """Households on the own event's list for the own agent; some invited (to check in and sign up)."""
    own = world.own
    seed_shipped()
    factories.under_way(own.event)
    more = [factories.make_household(own.hamlet, f"Hộ Thử {i + 1:02d}", address=f"Nhà {i + 1}")[0]
            for i in range(households)]
    add_households(own.visit_list, [h.id for h in more])
    rows = {a.household_id: a for a in db.session.scalars(select(VisitAssignment).where(
        VisitAssignment.visit_list_id == own.visit_list.id))}
    for household in more:
        rows[household.id].agent_id = own.agent.id
    db.session.commit()
    agent_user = world.users[roles.AGENT]
    guests = more[-invited:]
    for household in guests:
        record_outcome(rows[household.id], outcome="invited", user=agent_user, expected_attendees=1)
        factories.make_invitation(own.event, household, own.agent)
    db.session.commit()
    return [rows[h.id] for h in more[:-invited]], guests


def _count(model, *where) -> int:
    db.session.commit()  # end the test's snapshot: see what the live server wrote
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _open_the_day(phone, agent_user):
    phone.login(agent_user.username, factories.DEFAULT_PASSWORD)
    phone.goto("/my")
    phone.page.wait_for_selector("#offline-bar[data-day=ready]")
    phone.page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    if not phone.page.evaluate("() => !!navigator.serviceWorker.controller"):
        phone.page.reload()  # the worker became active after the page loaded: the next page is under it
        phone.page.wait_for_selector("#offline-bar[data-day=ready]")
    assert phone.page.evaluate("() => !!navigator.serviceWorker.controller")


def _pending(phone, n: int):
    phone.page.wait_for_selector(f"#offline-bar[data-pending='{n}']")


def test_a_day_without_signal_is_sent_once_when_it_returns(phone, page, world):
    own = world.own
    todo, guests = _day(world)
    _open_the_day(phone, world.users[roles.AGENT])
    offline(phone, True)

    assert len(todo) == 10
    for assignment in todo:
        phone.page.click(f"#a{assignment.id} form:nth-of-type(1) button")  # consulted
        phone.page.wait_for_selector(f"#a{assignment.id}.offline-queued")
    _pending(phone, 10)
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot("offline-my-work-queued")

    phone.goto(f"/events/{own.event.id}/attendance")  # from the phone's copy
    for household in guests:
        phone.page.locator("#invited tbody tr", has_text=household.head_name).locator("button").click()
    _pending(phone, 13)

    persons = [p for p, in db.session.execute(select(Person.id).where(
        Person.household_id.in_([g.id for g in guests[:2]])))]
    for person_id in persons:
        phone.goto(f"/events/{own.event.id}/signups?person={person_id}")
        phone.page.fill("#income", "1500000")
        phone.page.locator("#income").dispatch_event("change")
        phone.page.click("#signup-form button[type=submit]")
        phone.page.wait_for_selector("#signup-form.offline-queued, #signup-form button[disabled]")
    _pending(phone, 15)

    phone.page.reload()  # still offline: the page comes from the phone, the queue from IndexedDB
    _pending(phone, 15)
    assert "15" in phone.page.inner_text("#offline-bar")
    assert _count(Visit, Visit.assignment_id.in_([a.id for a in todo])) == 0

    offline(phone, False)
    phone.page.evaluate("window.dispatchEvent(new Event('online'))")
    _pending(phone, 0)
    phone.goto("/offline")
    phone.page.wait_for_selector("#offline-results li.result-accepted")
    assert phone.page.locator("#offline-results li.result-accepted").count() == 15
    phone.screenshot("offline-phone-page")

    assert _count(Visit, Visit.assignment_id.in_([a.id for a in todo])) == 10
    assert _count(Attendance, Attendance.event_id == own.event.id) == 3
    assert _count(SignUp, SignUp.event_id == own.event.id) == 2
    officer = world.users[roles.LOCAL_OFFICER]
    page.login(officer.username, factories.DEFAULT_PASSWORD)
    page.goto(f"/events/{own.event.id}/signups")
    text = page.page.inner_text("main")
    for household in guests[:2]:
        assert text.count(household.head_name) >= 1
    page.goto(f"/events/{own.event.id}/previsit")
    mine = page.page.locator("#progress-title + .table-wrap tr", has_text=own.agent.full_name)
    assert mine.count() == 1


def test_an_office_edit_meanwhile_is_shown_side_by_side(phone, world):
    todo, _guests = _day(world, households=4, invited=1)
    _open_the_day(phone, world.users[roles.AGENT])
    offline(phone, True)
    edited, taken = todo[0], todo[1]
    for assignment in (edited, taken):
        phone.page.click(f"#a{assignment.id} form:nth-of-type(1) button")
        phone.page.wait_for_selector(f"#a{assignment.id}.offline-queued")
    db.session.commit()  # a fresh snapshot: the live server has written since
    household = db.session.get(Household, edited.household_id)
    household.phone = "0911222333"  # the office corrects the phone number
    record_outcome(db.session.get(VisitAssignment, taken.id), outcome="not_home",
                   user=world.users[roles.LOCAL_OFFICER])  # and records the other household itself
    db.session.commit()

    offline(phone, False)
    phone.page.evaluate("window.dispatchEvent(new Event('online'))")
    _pending(phone, 0)
    phone.goto("/offline")
    conflicts = phone.page.locator("#offline-results li.result-conflict")
    conflicts.nth(1).wait_for()
    assert "0911222333" in conflicts.filter(has_text=household.head_name).inner_text()
    taken_name = db.session.get(Household, taken.household_id).head_name
    assert "Vắng nhà" in conflicts.filter(has_text=taken_name).inner_text()  # what the office recorded
    assert _count(Visit, Visit.assignment_id == edited.id) == 0
    assert db.session.get(VisitAssignment, taken.id).outcome == "not_home"
    phone.screenshot("offline-conflicts")

    conflicts.filter(has_text=household.head_name).locator("button").first.click()  # send mine anyway
    phone.page.locator("#offline-results li.result-accepted").wait_for()
    assert _count(Visit, Visit.assignment_id == edited.id) == 1


@pytest.mark.parametrize("n", [3])
def test_a_deactivated_agent_is_refused_with_nothing_written(phone, world, n):
    todo, _guests = _day(world, households=n + 1, invited=1)
    agent_user = world.users[roles.AGENT]
    _open_the_day(phone, agent_user)
    offline(phone, True)
    for assignment in todo[:n]:
        phone.page.click(f"#a{assignment.id} form:nth-of-type(1) button")
        phone.page.wait_for_selector(f"#a{assignment.id}.offline-queued")
    db.session.commit()  # a fresh snapshot: the live server has written since
    phone.goto("/households/search")  # not kept for the day: the phone's own page says so
    assert "không được lưu trên máy" in phone.page.inner_text("#messages")
    agent_user.active = False
    db.session.commit()

    offline(phone, False)
    phone.page.evaluate("window.dispatchEvent(new Event('online'))")
    _pending(phone, 0)
    assert _count(Visit, Visit.assignment_id.in_([a.id for a in todo])) == 0


def test_an_invitation_qr_opened_without_signal_checks_in_later(phone, world):
    own = world.own
    _day(world, households=2, invited=1)
    _open_the_day(phone, world.users[roles.AGENT])
    offline(phone, True)
    phone.goto(f"/checkin/{own.invitation.token}")  # what the camera opens: not kept, the phone's page answers
    phone.page.click("#offline-qr button")
    _pending(phone, 1)
    offline(phone, False)
    phone.page.evaluate("window.dispatchEvent(new Event('online'))")
    _pending(phone, 0)
    assert _count(Attendance, Attendance.invitation_id == own.invitation.id) == 1
