"""The list, the calendar (month and week, Vietnam days), the event page and its tabs, agents' view."""

from __future__ import annotations

import re

import pytest

from portal.extensions import db
from portal.i18n.formatting import to_local

from .helpers import add_speaker, event_at, vn


def test_list_is_in_order_of_start_with_filters(client, auth, world):
    later = event_at(world.own, vn(2027, 6, 2, 8), title="Sự kiện muộn", kind="training")
    earlier = event_at(world.own, vn(2027, 5, 2, 8), title="Sự kiện sớm", campaign_id=world.campaign_own.id)
    event_at(world.own, vn(2027, 5, 20, 8), title="Sự kiện hủy", status="cancelled", cancel_reason="Mưa")
    auth.login(world.users["local_officer"])
    html = client.get("/events/?date_from=01/05/2027").get_data(as_text=True)
    assert html.index("Sự kiện sớm") < html.index("Sự kiện hủy") < html.index("Sự kiện muộn")
    assert world.own.event.title not in html  # next week, before May 2027
    assert "Sự kiện muộn" not in client.get("/events/?date_to=31/05/2027&date_from=01/05/2027").get_data(as_text=True)
    only = client.get("/events/?kind=training").get_data(as_text=True)
    assert "Sự kiện muộn" in only and "Sự kiện sớm" not in only
    assert "Sự kiện sớm" in client.get(f"/events/?campaign={world.campaign_own.id}").get_data(as_text=True)
    assert "Mưa" in client.get("/events/?status=cancelled").get_data(as_text=True)
    by_commune = client.get(f"/events/?commune={world.own.commune2.id}").get_data(as_text=True)
    assert "Sự kiện sớm" not in by_commune
    fragment = client.htmx_get(f"/events/?office={world.own.office.id}", target="results").get_data(as_text=True)
    assert "<html" not in fragment and "Sự kiện sớm" in fragment and later.title in fragment and earlier.id


def test_what_is_coming_comes_first_then_what_is_over_latest_first(client, auth, world):
    """The first page shows the conferences ahead, not last year's."""
    event_at(world.own, vn(2025, 3, 1, 8), title="Đã qua lâu")
    event_at(world.own, vn(2026, 1, 10, 8), title="Đã qua gần")
    event_at(world.own, vn(2030, 1, 10, 8), title="Còn xa")
    auth.login(world.users["local_officer"])
    html = client.get("/events/").get_data(as_text=True)
    assert (html.index(world.own.event.title) < html.index("Còn xa") < html.index("Đã qua gần")
            < html.index("Đã qua lâu"))


def test_a_bad_date_filter_is_ignored_with_a_message(client, auth, world):
    auth.login(world.users["local_officer"])
    response = client.get("/events/?date_from=99/99/2027")
    assert response.status_code == 200 and world.own.event.title in response.get_data(as_text=True)
    assert 'aria-invalid="true"' in response.get_data(as_text=True)


def test_list_is_paginated(client, auth, world, app):
    app.config["PAGE_SIZE"], old = 2, app.config["PAGE_SIZE"]
    try:
        for day in range(1, 5):
            event_at(world.own, vn(2027, 5, day, 8), title=f"Ngày {day}")
        auth.login(world.users["local_officer"])
        html = client.get("/events/?date_from=01/05/2027&page=2").get_data(as_text=True)
        assert "Ngày 3" in html and "Ngày 1" not in html and 'rel="prev"' in html
    finally:
        app.config["PAGE_SIZE"] = old


def test_calendar_month_and_week(client, auth, world):
    event = event_at(world.own, vn(2027, 5, 15, 8), title="Hội nghị giữa tháng")
    event_at(world.near, vn(2027, 5, 15, 8), title="Hội nghị láng giềng")
    auth.login(world.users["local_officer"])
    month = client.get("/events/calendar?date=2027-05-01").get_data(as_text=True)
    assert "Hội nghị giữa tháng" in month and "Hội nghị láng giềng" not in month
    assert f'href="/events/{event.id}"' in month and world.own.commune.name in month
    assert "/events/new?date=15/05/2027&amp;back=month" in month  # a "+" on every day
    assert 'datetime="2027-04-26"' in month and 'datetime="2027-06-06"' in month  # whole weeks, Monday first
    assert "date=2027-04-01" in month and "date=2027-06-01" in month  # previous and next
    week = client.get("/events/calendar?view=week&date=2027-05-13").get_data(as_text=True)
    assert "Hội nghị giữa tháng" in week and "08:00–11:00" in week and 'datetime="2027-05-10"' in week
    assert 'datetime="2027-05-17"' not in week
    fragment = client.htmx_get("/events/calendar?view=week&date=2027-05-20", target="calendar").get_data(as_text=True)
    assert "<html" not in fragment and 'class="calendar week"' in fragment and "Hội nghị giữa tháng" not in fragment


def test_calendar_days_are_vietnam_days(client, auth, world):
    early = event_at(world.own, vn(2027, 5, 15, 6), title="Sáng sớm")  # 23:00 UTC on 14/05
    assert early.starts_at.day == 14
    auth.login(world.users["local_officer"])
    html = client.get("/events/calendar?view=week&date=2027-05-15").get_data(as_text=True)
    day15 = html[html.index('datetime="2027-05-15"'):html.index('datetime="2027-05-16"')]
    assert "Sáng sớm" in day15 and "06:00" in day15
    html = client.get("/events/?date_from=15/05/2027&date_to=15/05/2027").get_data(as_text=True)
    assert "Sáng sớm" in html
    assert "Sáng sớm" not in client.get("/events/?date_to=14/05/2027").get_data(as_text=True)


def test_calendar_filters(client, auth, world):
    event_at(world.own, vn(2027, 5, 15, 8), title="Tập huấn đại lý", kind="training")
    event_at(world.own, vn(2027, 5, 16, 8), title="Hội nghị xã")
    auth.login(world.users["local_officer"])
    html = client.get("/events/calendar?date=2027-05-01&kind=training").get_data(as_text=True)
    assert "Tập huấn đại lý" in html and "Hội nghị xã" not in html
    html = client.get(f"/events/calendar?date=2027-05-01&commune={world.own.commune.id}").get_data(as_text=True)
    assert f"commune={world.own.commune.id}" in html  # the "+" keeps the commune


def test_agent_sees_only_their_events_read_only(client, auth, world):
    mine = world.own.event
    other = event_at(world.own, mine.starts_at, title="Không có đại lý", venue="Chợ")
    auth.login(world.users["agent"])
    html = client.get("/events/").get_data(as_text=True)
    assert mine.title in html and other.title not in html and world.near.event.title not in html
    day = to_local(mine.starts_at).date().isoformat()
    calendar = client.get(f"/events/calendar?date={day}").get_data(as_text=True)
    assert mine.title in calendar and other.title not in calendar and "/events/new" not in calendar
    page = client.get(f"/events/{mine.id}")
    assert page.status_code == 200 and "/edit" not in page.get_data(as_text=True)
    assert client.get(f"/events/{other.id}").status_code == 404
    assert client.get(f"/events/{mine.id}/edit").status_code == 403
    assert client.get(f"/events/{mine.id}/clone").status_code == 403


def test_event_page_overview_and_tabs(client, auth, world):
    event = world.own.event
    add_speaker(event, world.own.speaker)
    world.own.speaker.phone = "0912345678"
    db.session.commit()
    auth.login(world.users["local_officer"])
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert world.own.speaker.full_name in html and 'href="tel:0912345678"' in html
    assert world.own.agent.full_name in html and world.own.commune.name in html
    for url in (f"/events/{event.id}", f"/events/{event.id}/edit", f"/events/{event.id}/previsit",
                f"/events/{event.id}/documents", f"/events/{event.id}/attendance", f"/events/{event.id}/signups",
                f"/events/{event.id}/results", f"/reports/events/{event.id}/funnel", f"/events/{event.id}#history"):
        assert f'href="{url}"' in html
    assert 'aria-current="page">' in html
    panel = client.htmx_get(f"/events/{event.id}/overview", target="tab-panel").get_data(as_text=True)
    assert "<html" not in panel and "history-list" in panel and world.own.speaker.full_name in panel
    assert client.get(f"/events/{event.id}/overview").get_data(as_text=True).count('class="event-nav"') == 1


@pytest.mark.parametrize(("role", "present", "absent"), [
    ("agent", ["/attendance", "/documents"], ["/previsit", "/results"]),
    ("viewer", ["/previsit", "/attendance", "/results"], []),
])
def test_tabs_follow_what_the_role_may_open(client, auth, world, role, present, absent):
    auth.login(world.users[role])
    html = client.get(f"/events/{world.own.event.id}").get_data(as_text=True)
    for tail in present:
        assert f'href="/events/{world.own.event.id}{tail}"' in html
    for tail in absent:
        assert f'href="/events/{world.own.event.id}{tail}"' not in html


def test_a_local_officer_schedules_ten_conferences(client, auth, world):
    auth.login(world.users["local_officer"])
    communes = [world.own.commune, world.own.commune2]
    for n in range(10):
        commune = communes[n % 2]
        data = {"kind": "conference", "title": f"Hội nghị số {n + 1}", "commune_id": str(commune.id),
                "hamlet_id": "0", "venue": f"Nhà văn hóa {n}", "day": f"{5 + n:02d}/05/2027", "start_time": "08:00",
                "end_time": "11:00", "organiser_office_id": str(world.own.office.id), "co_organiser_id": "0",
                "campaign_id": str(world.campaign_own.id), "intent": "schedule", "back": "month"}
        assert client.get(f"/events/new?date=05/05/2027&back=month&commune={commune.id}").status_code == 200
        assert client.post("/events/new", data=data).status_code == 303
    html = client.get("/events/calendar?date=2027-05-01").get_data(as_text=True)
    assert all(f"Hội nghị số {n}" in html for n in range(1, 11))
    assert client.get("/events/?status=scheduled&date_from=01/05/2027").get_data(as_text=True).count(
        "Hội nghị số") == 10


@pytest.mark.parametrize("query", ["date=0001-01-01", "date=9999-12-31&view=week", "date=hôm-nay", "view=year"])
def test_odd_calendar_dates_fall_back_to_today(client, auth, world, query):
    auth.login(world.users["local_officer"])
    assert client.get(f"/events/calendar?{query}").status_code == 200


def test_odd_filter_dates_do_not_break_the_list(client, auth, world):
    auth.login(world.users["local_officer"])
    assert client.get("/events/?date_from=01/01/0001&date_to=31/12/9999").status_code == 200


def _nav(html: str) -> list[str]:
    nav = html[html.index('<nav class="event-nav"'):]
    nav = nav[:nav.index("</nav>")]
    return re.findall(r'<li data-page="([a-z]+)"><a href="([^"]+)"', nav)


def test_the_event_nav_is_the_same_on_every_page_under_the_event(client, auth, world):
    """Every page of an event shows its own navigation with the same entries in the same order, the page it is
    on marked, and a way back to the events list."""
    event = world.own.event
    auth.login(world.users["local_officer"])
    pages = {"overview": f"/events/{event.id}", "edit": f"/events/{event.id}/edit",
             "previsit": f"/events/{event.id}/previsit", "documents": f"/events/{event.id}/documents",
             "attendance": f"/events/{event.id}/attendance", "signups": f"/events/{event.id}/signups",
             "results": f"/events/{event.id}/results", "funnel": f"/reports/events/{event.id}/funnel"}
    first = None
    for key, url in {**pages, "build": f"/events/{event.id}/previsit/build",
                     "clone": f"/events/{event.id}/clone"}.items():
        html = client.get(url).get_data(as_text=True)
        entries = _nav(html)
        assert entries, url
        first = first or entries
        assert entries == first, url
        assert 'href="/events/"' in html.split('<nav class="event-nav"', 1)[1][:400], url  # back to the list
        current = {"build": "previsit", "clone": "edit"}.get(key, key)
        assert re.search(rf'data-page="{current}"><a href="[^"]+" aria-current="page"', html), url
    assert [k for k, _u in first] == ["overview", "edit", "previsit", "documents", "attendance", "signups",
                                      "results", "funnel", "history"]
    # The new event form has no event, so no event navigation.
    assert 'class="event-nav"' not in client.get("/events/new").get_data(as_text=True)


def test_the_training_entry_only_on_a_training(client, auth, world):
    auth.login(world.users["local_officer"])
    event = world.own.event
    assert "training" not in [k for k, _u in _nav(client.get(f"/events/{event.id}").get_data(as_text=True))]
    event.kind = "training"
    db.session.commit()
    assert "training" in [k for k, _u in _nav(client.get(f"/events/{event.id}").get_data(as_text=True))]
