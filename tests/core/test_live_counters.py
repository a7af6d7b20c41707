"""Every counter an action changes comes back in the same htmx answer, out of band (render_page's ``oob``)."""

from __future__ import annotations

import re

from portal.extensions import db
from portal.results.models import Attendance

from .. import factories

HTMX = {"HX-Request": "true"}


def _oob(html: str, target: str) -> str:
    """The out-of-band part that fills ``target`` (empty when there is none)."""
    found = re.search(r'<template><div hx-swap-oob="innerHTML:#' + target + r'">(.*?)</div></template>', html, re.S)
    return found[1] if found else ""


def test_oob_parts_only_with_a_fragment(app):
    from unittest import mock

    from portal.core.rendering import render_page

    page = app.jinja_env.from_string("{% block a %}A{% endblock %}{% block b %}B{{ n }}{% endblock %}")
    with mock.patch.object(app.jinja_env, "get_or_select_template", return_value=page), \
            mock.patch("portal.core.rendering.render_template", return_value="AB7"):
        with app.test_request_context("/", headers=HTMX):
            body = render_page("x", {"n": 7}, fragment="a", oob={"b": "bee"}).get_data(as_text=True)
        assert body.startswith("A") and _oob(body, "bee") == "B7"
        with app.test_request_context("/"):  # the whole page: nothing out of band
            assert render_page("x", {"n": 7}, fragment="a", oob={"b": "bee"}).get_data(as_text=True) == "AB7"


def test_a_check_in_updates_the_heading_count(client, auth, world):
    factories.under_way(world.own.event)
    auth.login(world.users["agent"])
    event = world.own.event
    response = client.post(f"/events/{event.id}/attendance/check-in",
                           data={"invitation_id": str(world.own.invitation.id)}, headers={**HTMX, "HX-Target": "invited"})
    count = _oob(response.get_data(as_text=True), "live-count")
    assert "Đã điểm danh 1/1 người được mời, 0 người tự đến" in count
    attendance = db.session.query(Attendance).one()
    response = client.post(f"/events/{event.id}/attendance/{attendance.id}/undo", data={"from": "invited"},
                           headers={**HTMX, "HX-Target": "invited"})
    assert "Đã điểm danh 0/1 người được mời" in _oob(response.get_data(as_text=True), "live-count")


def test_a_walk_in_updates_the_heading_count(client, auth, world):
    factories.under_way(world.own.event)
    auth.login(world.users["local_officer"])
    response = client.post(f"/events/{world.own.event.id}/attendance/walk-in",
                           data={"name": "Lò Văn Mới", "hamlet_id": str(world.own.hamlet.id)},
                           headers={**HTMX, "HX-Target": "walk-in"})
    assert response.status_code == 200
    assert "0/1 người được mời, 1 người tự đến" in _oob(response.get_data(as_text=True), "live-count")


def test_paper_rows_update_the_count_and_the_invited_list(client, auth, world):
    factories.under_way(world.own.event)
    auth.login(world.users["local_officer"])
    response = client.post(f"/events/{world.own.event.id}/attendance/rows", data={"rows": "1"},
                           headers={**HTMX, "HX-Target": "paper-rows"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Đã điểm danh 1/1 người được mời" in _oob(html, "live-count")
    assert "/undo" in _oob(html, "invited")  # the row is ticked, with its undo button


def test_a_paper_entry_updates_the_visit_progress(client, auth, world):
    auth.login(world.users["local_officer"])
    event, row = world.own.event, world.own.assignment.row_number
    response = client.post(f"/events/{event.id}/previsit/paper", data={"lines": f"{row} t"},
                           headers={**HTMX, "HX-Target": "paper-entry"})
    progress = _oob(response.get_data(as_text=True), "visit-progress")
    total = re.search(r'<tr class="total">(.*?)</tr>', progress, re.S)[1]
    assert re.findall(r'<td class="num">(\d+)</td>', total)[:2] == ["1", "1"]  # assigned 1, visited 1


def test_a_quick_outcome_updates_the_filter_counts(client, auth, world):
    auth.login(world.users["agent"])
    assignment = world.own.assignment
    data = {"outcome": "consulted", "quick": "1", "person_id": "0", "version": str(assignment.version),
            "submission_key": "live-1", "next": f"/my?event={world.own.event.id}&show=all"}
    response = client.post(f"/my/assignments/{assignment.id}", data=data,
                           headers={**HTMX, "HX-Target": f"a{assignment.id}"})
    buttons = _oob(response.get_data(as_text=True), "work-filter")
    assert "Cần thăm (0)" in buttons and "Đã thăm (1)" in buttons
    assert 'aria-current="true">' in buttons.split("show=all", 1)[1][:200]  # the page's filter stays chosen


def test_a_saved_target_sends_the_total_row_in_a_template(client, auth, world):
    campaign, commune, office = world.campaign_own, world.own.commune, world.own.office
    auth.login(world.users["local_officer"])
    response = client.post(f"/campaigns/{campaign.id}/targets/cell?level=commune&office={office.id}",
                           data={"subject": str(commune.id), "metric": "renewals", "value": "4"},
                           headers={**HTMX, "HX-Target": f"m-{commune.id}-renewals"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    # A <tfoot> after other elements is dropped by the HTML parser unless it travels in a template.
    assert re.search(r'<template>\s*<tfoot id="totals" hx-swap-oob="true">', html)
