"""The leaflet in its three variants: amounts from the policy parameters of the event's day, agents, the note."""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import quote

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.extensions import db

from .helpers import on_day, pdf_pages, seed_policy


@pytest.fixture
def event(world):
    seed_policy()
    on_day(world.own.event, datetime(2026, 5, 10, 1))
    return world.own.event


def _leaflet(client, event, **args) -> str:
    query = "&".join(f"{k}={v}" for k, v in args.items())
    response = client.get(f"/events/{event.id}/print/leaflet.pdf?{query}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pages = pdf_pages(response.data)
    assert len(pages) == 1  # one A4 page
    return pages[0]


def test_town_variant_has_the_contribution_table(client, auth, world, event):
    auth.login(world.users["local_officer"])
    text = _leaflet(client, event, audience="town")
    assert "Chuẩn bị lương hưu" in text and "lương hưu hằng tháng suốt đời" in text
    # 22% of the 1,500,000 minimum; what is left to pay per category after the state's support (Decree 159/2025).
    for amount in ("1.500.000", "330.000", "165.000", "198.000", "231.000", "264.000"):
        assert amount in text, amount
    assert "3.000.000" in text and "660.000" in text  # a higher income of the town variant
    # The BHYT household ladder at the base salary in force on 10/05/2026 (2,340,000).
    for amount in ("105.300", "73.710", "63.180", "52.650", "42.120"):
        assert amount in text, amount
    assert world.own.agent.full_name in text and event.venue in text and "10/05/2026" in text


def test_low_income_and_ethnic_variants(client, auth, world, event):
    auth.login(world.users["local_officer"])
    low = _leaflet(client, event, audience="low_income")
    assert "Tích tiểu thành đại" in low and "264.000" in low and "2.000.000" in low
    ethnic = _leaflet(client, event, audience="ethnic")
    assert "già có lương hưu" in ethnic and "231.000" in ethnic and "99.000" in ethnic
    assert "3.000.000" not in ethnic  # short: the minimum only
    assert len(ethnic) < len(low)


def test_amounts_follow_the_parameters_of_the_events_day(client, auth, world, event):
    on_day(event, datetime(2027, 3, 2, 1))  # rural poverty line 2,200,000 and base salary 2,530,000
    auth.login(world.users["local_officer"])
    text = _leaflet(client, event, audience="town")
    assert "2.200.000" in text and "484.000" in text and "113.850" in text
    assert "1.500.000" not in text


def test_chosen_variant_is_saved_with_csrf_and_audited(client, auth, world, event):
    auth.login(world.users["local_officer"])
    assert client.post(f"/events/{event.id}/leaflet-audience", data={"audience": "ethnic"}, csrf=False
                       ).status_code == 400
    response = client.post(f"/events/{event.id}/leaflet-audience", data={"audience": "ethnic"})
    assert response.status_code == 303
    db.session.refresh(event)
    assert event.leaflet_audience == "ethnic"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "event.leaflet_audience"))
    assert entry.details == {"from": None, "to": "ethnic"}
    assert "già có lương hưu" in _leaflet(client, event)  # printed in the chosen variant by default
    assert client.post(f"/events/{event.id}/leaflet-audience", data={"audience": "nobody"}).status_code == 422
    page = client.get(f"/events/{event.id}/documents").get_data(as_text=True)
    assert re.search(r'<input checked[^>]*value="ethnic"', page)


def test_local_note_is_plain_text(client, auth, world, event):
    auth.login(world.users["local_officer"])
    note = "Mang theo CCCD.%0A{{ 7*7 }} <b>đậm</b>"
    text = _leaflet(client, event, audience="town", note=note)
    assert "Mang theo CCCD." in text and "{{ 7*7 }}" in text and "<b>đậm</b>" in text
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "print.leaflet")).all()[-1]
    assert entry.details == {"audience": "town", "note": True}


@pytest.mark.parametrize("audience", ["town", "low_income", "ethnic"])
def test_a_note_too_long_for_one_page_is_refused_with_what_fits(client, auth, world, event, audience):
    from portal.printing import leaflet

    auth.login(world.users["local_officer"])
    note = "\n".join(f"Dòng {n}: bưu điện xã thu tiền tại chỗ, mang theo thẻ căn cước." for n in range(12))[:600]
    response = client.get(f"/events/{event.id}/print/leaflet.pdf?audience={audience}&note={quote(note)}")
    assert response.status_code == 303 and response.headers["Location"] == f"/events/{event.id}/documents"
    room = leaflet.note_room(event, audience, note)
    assert 0 < room < len(note)
    page = client.get(f"/events/{event.id}/documents").get_data(as_text=True)
    assert f"khoảng {room} trong {len(note)} ký tự" in page
    # What fits is printed on one page, the footer included.
    text = _leaflet(client, event, audience=audience, note=quote(note[:room]))
    assert "VssID" in text


def test_missing_parameters_leave_the_table_out(client, auth, world):
    auth.login(world.users["local_officer"])
    response = client.get(f"/events/{world.own.event.id}/print/leaflet.pdf")
    text = pdf_pages(response.data)[0]
    assert response.status_code == 200 and "MỜI BÀ CON ĐẾN DỰ" in text and "đồng/tháng" not in text


def test_unknown_variant_and_agents(client, auth, world, event):
    auth.login(world.users["local_officer"])
    assert client.get(f"/events/{event.id}/print/leaflet.pdf?audience=x").status_code == 404
    auth.logout()
    auth.login(world.users["agent"])
    assert client.get(f"/events/{event.id}/print/leaflet.pdf").status_code == 403


def test_the_default_variant_follows_the_events_place(world):
    """No variant chosen: a mountain commune where most people recorded are of an ethnic minority gets the
    ethnic leaflet, another commune the low-income one, a ward the town one."""
    from portal.households.models import Person
    from portal.printing.leaflet import audience_of

    from ..households.factories import make_household

    event = world.own.event
    event.leaflet_audience = None
    for name in ("Lò Văn Pọm", "Vàng Thị Dua", "Giàng A Sử"):
        make_household(world.own.hamlet, name, ethnic_minority=True)
    assert audience_of(event) == "ethnic"
    db.session.execute(Person.__table__.update().values(ethnic_minority=False))
    assert audience_of(event) == "low_income"
    world.own.commune.division_type = "phường"
    assert audience_of(event) == "town"
    assert audience_of(event, "ethnic") == "ethnic"  # asked for
    event.leaflet_audience = "low_income"
    assert audience_of(event) == "low_income"  # chosen for the event
