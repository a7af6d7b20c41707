"""This May against the same days last year, against the hand count of tests/reports/scenario.py."""

from __future__ import annotations

from datetime import date

import pytest

from portal.auth.scope import Place
from portal.reports import progress, queries

from . import scenario


@pytest.fixture
def may(world):
    return scenario.build(world)


def test_same_days_last_year():
    class May:
        province_id, starts_on, ends_on = 1, date(2028, 5, 1), date(2028, 5, 31)

    assert queries.last_year(May, date(2028, 5, 15)) == queries.Window(1, date(2027, 5, 1), date(2027, 5, 15))
    assert queries.last_year(May, date(2028, 7, 1)) == queries.Window(1, date(2027, 5, 1), date(2027, 5, 31))
    assert queries.last_year(May, date(2028, 4, 1)) == queries.Window(1, date(2027, 5, 1), date(2027, 5, 31))
    assert queries.year_before(date(2028, 2, 29)) == date(2027, 2, 28)


def test_offices_against_last_may(world, may):
    offices = Place("office", [world.own.office, world.near.office])
    before = queries.last_year(may.campaign, date(2026, 12, 1))
    lines = {line.subject_id: line for line in queries.lines(may.campaign, offices, previous=before)}
    own, near = lines[world.own.office.id], lines[world.near.office.id]
    assert own.achieved == {"new_bhxh_tn": 2, "new_bhyt_hgd": 1, "renewals": 1, "conferences": 1, "attendees": 4}
    assert own.previous == {"new_bhxh_tn": 4, "new_bhyt_hgd": 0, "renewals": 0, "conferences": 1, "attendees": 2}
    assert own.change("new_bhxh_tn") == -2 and own.change_percent("new_bhxh_tn") == -50.0
    assert own.change("attendees") == 2 and own.change_percent("attendees") == 100.0
    assert own.change_percent("new_bhyt_hgd") is None  # nothing last year to compare with
    assert near.achieved["new_bhxh_tn"] == 1 and near.previous["new_bhyt_hgd"] == 1
    total = queries.total(list(lines.values()))
    assert total.previous["new_bhxh_tn"] == 4 and total.achieved["new_bhxh_tn"] == 3


def test_communes_against_last_may(world, may):
    before = queries.last_year(may.campaign, date(2026, 12, 1))
    lines = {line.subject_id: line for line in queries.lines(
        may.campaign, Place("commune", [world.own.office], world.own.office), previous=before)}
    assert lines[world.own.commune.id].previous["new_bhxh_tn"] == 4
    assert lines[world.own.commune2.id].previous == {m: 0 for m in lines[world.own.commune2.id].previous}


def test_daily_lines(world, may):
    context = progress.dashboard(may.campaign, Place("office", [world.own.office, world.near.office]))
    rows = {r["day"]: r for r in context["daily_rows"]}
    assert rows[date(2026, 5, 9)]["value"] == 0 and rows[date(2026, 5, 10)]["value"] == 2
    assert rows[date(2026, 5, 12)]["value"] == 3
    assert rows[date(2026, 5, 14)]["before"] == 0 and rows[date(2026, 5, 15)]["before"] == 3
    assert rows[date(2026, 5, 31)]["before"] == 4
    assert context["chart"]["previous_total"] == 4 and context["chart"]["goal"] == 15
    assert context["has_previous"]


def test_dashboard_shows_last_year(client, auth, world, may):
    auth.login(world.users["province_officer"])
    html = client.get(f"/reports/campaigns/{may.campaign.id}").get_data(as_text=True)
    assert "01/05/2025 – 31/05/2025" in html
    assert "−50%" in html  # own office's new BHXH TN against last May
    assert 'class="previous"' in html  # last year's daily line
