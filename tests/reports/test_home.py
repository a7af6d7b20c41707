"""The home page by role: this week's work, campaign progress, what needs attention, due payments."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.auth import roles
from portal.extensions import db
from portal.i18n.formatting import local_today

from . import scenario


@pytest.fixture
def may(world):
    return scenario.build(world)


def _main(html: str) -> str:
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def test_local_officer_home(client, auth, world, may):
    person = world.own.person
    person.bhxh_tn_status, person.paid_until = "participating", local_today() + timedelta(days=10)
    person.bhyt_expires_on = local_today() + timedelta(days=5)
    db.session.commit()
    auth.login(world.users[roles.LOCAL_OFFICER])
    html = _main(client.get("/").get_data(as_text=True))
    # Campaign under way: the office's target of 10 new BHXH TN, 2 achieved.
    assert "Tháng vận động 2026" in html and "2 / 10 · 20%" in html
    # The list of next week's conference has nobody visited: it is behind; the other office's is not shown.
    assert "Hội nghị Nghĩa Lộ" in html and "Hội nghị Bảo Yên" not in html
    assert '<progress value="0" max="1"' in html
    # E5 (April) was held and its results never entered.
    assert "Hội nghị E5 (tháng 4)" in html and "Hội nghị E3" not in html
    assert "/households/due?kind=paid_until" in html and "/households/due?kind=bhyt_expiring" in html
    assert ">1 " in html.split("/households/due?kind=paid_until", 1)[1][:40]


def test_province_officer_home_covers_the_province(client, auth, world, may):
    auth.login(world.users[roles.PROVINCE_OFFICER])
    html = _main(client.get("/").get_data(as_text=True))
    assert "Hội nghị Nghĩa Lộ" in html and "Hội nghị Bảo Yên" in html
    assert "3 / 15 · 20%" in html  # both offices' targets (10 + 5) and sign-ups (2 + 1)
    assert f"/reports/campaigns/{may.campaign.id}/funnel" in html


def test_agent_home_is_their_own_work(client, auth, world, may):
    auth.login(world.users[roles.AGENT])
    html = _main(client.get("/").get_data(as_text=True))
    assert "Hội nghị Nghĩa Lộ" in html and "Hội nghị Bảo Yên" not in html
    assert 'href="/my"' in html
    assert "/reports/campaigns/" not in html  # agents read no reports
