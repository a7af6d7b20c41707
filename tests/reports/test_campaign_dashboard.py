"""The campaign dashboard against a hand count."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

from openpyxl import load_workbook

from portal.auth.scope import Place
from portal.campaigns import services as campaign_services
from portal.extensions import db
from portal.policy.services import seed_shipped
from portal.reports import queries
from portal.results import services

from .. import factories


def _may_results(world):
    seed_shipped()
    own = world.own
    campaign = world.campaign_own
    campaign.starts_on, campaign.ends_on = date(2026, 5, 1), date(2026, 5, 31)
    campaign_services.set_target(campaign, "commune", own.commune.id, "new_bhxh_tn", 4)
    campaign_services.set_target(campaign, "office", own.office.id, "new_bhxh_tn", 8)
    event = factories.make_event(own.commune, own.office, title="Hội nghị tháng 5",
                                 starts_at=datetime(2026, 5, 10, 1, tzinfo=UTC), status="held")
    user = world.users["local_officer"]
    people = [factories.make_household(own.hamlet, f"Người Mới {n}", address=f"Nhà {n + 60}")[1] for n in range(3)]
    for person in people[:2]:
        services.record_signup(person, scheme="bhxh_tn", kind="new", signed_on=date(2026, 5, 10), user=user,
                               event=event, income=1_500_000, mode="monthly", agent_id=own.agent.id)
    services.record_signup(people[2], scheme="bhyt_hgd", kind="renewal", signed_on=date(2026, 5, 10), user=user,
                           event=event, member_order=1, months=12, agent_id=own.agent.id)
    services.check_in(event, person=people[0], user=user)
    services.confirm_results(event, user)
    # A sign-up that is not confirmed does not count.
    late = factories.make_event(own.commune, own.office, title="Chưa xác nhận",
                                starts_at=datetime(2026, 5, 20, 1, tzinfo=UTC), status="held")
    services.record_signup(factories.make_household(own.hamlet, "Người Chờ", address="Nhà 99")[1],
                           scheme="bhxh_tn", kind="new", signed_on=date(2026, 5, 20), user=user, event=late,
                           income=1_500_000, mode="monthly")
    db.session.commit()
    return campaign


def test_figures_match_a_hand_count(world):
    campaign = _may_results(world)
    offices = [world.own.office, world.near.office]
    by_office = {line.subject_id: line for line in queries.lines(campaign, Place("office", offices))}
    own = by_office[world.own.office.id]
    assert own.achieved == {"new_bhxh_tn": 2, "new_bhyt_hgd": 0, "renewals": 1, "conferences": 2, "attendees": 1}
    assert own.target["new_bhxh_tn"] == 8 and own.percent("new_bhxh_tn") == 25.0
    communes = {line.subject_id: line for line in queries.lines(campaign, Place("commune", offices, world.own.office))}
    assert communes[world.own.commune.id].achieved["new_bhxh_tn"] == 2
    assert communes[world.own.commune.id].percent("new_bhxh_tn") == 50.0
    agents = {line.subject_id: line for line in queries.lines(campaign, Place("agent", offices, world.own.office))}
    assert agents[world.own.agent.id].achieved["new_bhxh_tn"] == 2
    daily = dict(queries.daily(campaign, Place("office", offices)))
    assert daily[date(2026, 5, 9)] == 0 and daily[date(2026, 5, 31)] == 2


def test_kept_figures_follow_changes(world):
    """The campaign's counts and its channels are kept between requests (reports.memo): confirming an event's
    results and a check-in at a held event are each seen at once."""
    from sqlalchemy import select

    from portal.events.models import Event
    from portal.reports.queries import by_channel

    campaign = _may_results(world)
    offices = [world.own.office, world.near.office]

    def own():
        lines = queries.lines(campaign, Place("office", offices))
        return next(line for line in lines if line.subject_id == world.own.office.id).achieved

    assert (own()["new_bhxh_tn"], own()["attendees"]) == (2, 1)
    assert by_channel(campaign)["event"]["new_bhxh_tn"] == 2
    late = db.session.scalar(select(Event).where(Event.title == "Chưa xác nhận"))
    services.confirm_results(late, world.users["local_officer"])
    db.session.commit()
    assert own()["new_bhxh_tn"] == 3
    assert by_channel(campaign)["event"]["new_bhxh_tn"] == 3
    person = factories.make_household(world.own.hamlet, "Người Đến Sau", address="Nhà 98")[1]
    services.check_in(late, person=person, user=world.users["local_officer"])
    db.session.commit()
    assert own()["attendees"] == 2


def test_dashboard_page_and_exports(client, auth, world):
    campaign = _may_results(world)
    auth.login(world.users["province_officer"])
    html = client.get(f"/reports/campaigns/{campaign.id}").get_data(as_text=True)
    assert world.own.office.name in html and "25%" in html
    drill = client.get(f"/reports/campaigns/{campaign.id}?level=commune&office={world.own.office.id}")
    assert world.own.commune.name in drill.get_data(as_text=True)
    sheet = load_workbook(io.BytesIO(client.get(f"/reports/campaigns/{campaign.id}/communes.xlsx").data)).active
    rows = {r[1]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows[world.own.commune.name][2:5] == (4, 2, 0.5)
    pdf = client.get(f"/reports/campaigns/{campaign.id}/communes.pdf")
    assert pdf.data.startswith(b"%PDF")


def test_local_officer_sees_only_their_communes(client, auth, world):
    campaign = _may_results(world)
    auth.login(world.users["local_officer"])
    html = client.get(f"/reports/campaigns/{campaign.id}").get_data(as_text=True)
    assert world.own.commune.name in html and world.near.commune.name not in html
