"""Progress against the plan by channel, by agent organisation (ranked) and by hamlet, on the campaign dashboard:
only confirmed sign-ups count, each once; a result past its target says so."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

from flask_babel import force_locale, gettext
from markupsafe import escape
from openpyxl import load_workbook

from portal.auth.scope import Place
from portal.campaigns import services as campaign_services
from portal.extensions import db
from portal.policy.services import seed_shipped
from portal.reports import plan, queries
from portal.results import services

from .. import factories

DAY = date(2026, 5, 12)


def vi(message: str, **values) -> str:
    with force_locale("vi"):
        return str(escape(gettext(message, **values)))


def _signup(world, hamlet, name, *, channel="door", status="confirmed", agent=None, event=None, kind="new", day=DAY):
    person = factories.make_household(hamlet, name, address=f"Nhà {name}")[1]
    signup, _new = services.record_signup(
        person, scheme="bhxh_tn", kind=kind, signed_on=day, user=world.users["local_officer"], event=event,
        income=1_500_000, mode="monthly", agent_id=agent.id if agent else None,
        channel=None if event else channel, receipt_number=None if event else f"BL{name[-2:]}")
    signup.status = status
    return signup


def _campaign(world):
    seed_shipped()
    campaign = world.campaign_own
    campaign.starts_on, campaign.ends_on = date(2026, 5, 1), date(2026, 5, 31)
    return campaign


def test_channel_counts_only_confirmed_sign_ups_once_against_the_channel_targets(client, auth, world):
    campaign, own = _campaign(world), world.own
    campaign_services.save_targets(campaign, "channel", [(2, "new_bhxh_tn", 4), (3, "new_bhxh_tn", 1)],
                                   source="grid", office_id=own.office.id)
    _signup(world, own.hamlet, "Tận Nhà 01")
    _signup(world, own.hamlet, "Tận Nhà 02", status="recorded")  # waiting for the office: not counted
    kept = _signup(world, own.hamlet, "Tận Nhà 03")
    twice = _signup(world, own.hamlet, "Tận Nhà 04", status="duplicate")  # the same enrolment twice: once
    twice.duplicate_of_id = kept.id
    _signup(world, own.hamlet, "Điểm Thu 05", channel="counter")
    _signup(world, own.hamlet, "Điểm Thu 06", channel="counter")
    db.session.commit()
    targets = plan.channel_targets(campaign, [own.office.id])
    assert targets == {"door": {"new_bhxh_tn": 4}, "counter": {"new_bhxh_tn": 1}}
    from portal.reports.queries import by_channel

    shares = plan.channel_shares(targets, by_channel(campaign))
    assert (shares["door"]["new_bhxh_tn"].achieved, shares["door"]["new_bhxh_tn"].percent) == (2, 50.0)
    assert shares["counter"]["new_bhxh_tn"].exceeded == 1
    auth.login(world.users["local_officer"])
    html = client.get(f"/reports/campaigns/{campaign.id}").get_data(as_text=True)
    section = html[html.index('class="campaign-channels"'):html.index('class="campaign-coverage"')]
    assert "2 / 4" in section and "2 / 1" in section
    assert vi("over the plan by %(n)s", n="1") in section


def test_organisations_are_ranked_on_their_own_plan(client, auth, world):
    campaign, own = _campaign(world), world.own
    post, union = own.organisation, factories.make_organisation(own.office, "Hội Phụ nữ xã", kind="women_union")
    member = factories.make_agent(own.office, organisation=union, communes=[own.commune], hamlets=[own.hamlet2])
    campaign_services.save_targets(campaign, "organisation", [(post.id, "new_bhxh_tn", 4), (union.id, "new_bhxh_tn", 1),
                                                              (union.id, "conferences", 1)],
                                   source="grid", office_id=own.office.id)
    _signup(world, own.hamlet, "Bưu Điện 01", agent=own.agent)
    _signup(world, own.hamlet, "Bưu Điện 02", agent=own.agent, status="recorded")
    _signup(world, own.hamlet2, "Phụ Nữ 03", agent=member)
    # An event the women's union organised itself: its sign-up without an agent is the union's, and so is the
    # conference.
    event = factories.make_event(own.commune, own.office, title="Hội nghị của Hội Phụ nữ", status="held",
                                 starts_at=datetime(2026, 5, 12, 1, tzinfo=UTC))
    event.organiser_organisation_id = union.id
    _signup(world, own.hamlet2, "Hội Nghị 04", event=event)
    db.session.commit()
    rows, _now, _before = plan.progress_lines(campaign, Place("organisation", [own.office], own.office))
    by_id = {line.subject_id: line for line in rows}
    assert by_id[union.id].achieved == {"new_bhxh_tn": 2, "new_bhyt_hgd": 0, "renewals": 0, "conferences": 1}
    assert by_id[post.id].achieved["new_bhxh_tn"] == 1
    assert [(n, line.subject_id) for n, line in plan.ranked(rows)] == [(1, union.id), (2, post.id)]
    auth.login(world.users["province_officer"])
    page = client.get(f"/reports/campaigns/{campaign.id}?level=organisation")
    html = page.get_data(as_text=True)
    ranking = html[html.index('class="organisation-ranking"'):html.index('class="data progress-table"')]
    assert page.status_code == 200 and ranking.index(union.name) < ranking.index(post.name)
    assert "2 / 1" in ranking and "1 / 4" in ranking and "200,0%" in ranking and vi("over the plan by %(n)s", n="1") in ranking and "25,0%" in ranking
    assert world.near.organisation.name in ranking  # the province sees every office's organisations


def test_a_local_officer_ranks_only_their_offices_organisations(client, auth, world):
    campaign = _campaign(world)
    db.session.commit()
    auth.login(world.users["local_officer"])
    html = client.get(f"/reports/campaigns/{campaign.id}?level=organisation").get_data(as_text=True)
    assert world.own.organisation.name in html and world.near.organisation.name not in html
    sheet = client.get(f"/reports/campaigns/{campaign.id}/progress.xlsx?level=organisation")
    assert sheet.status_code == 200 and sheet.data[:2] == b"PK"


def test_hamlets_of_a_commune_against_their_targets(client, auth, world):
    campaign, own = _campaign(world), world.own
    campaign_services.save_targets(campaign, "hamlet", [(own.hamlet.id, "new_bhxh_tn", 2),
                                                        (own.hamlet2.id, "new_bhxh_tn", 2)],
                                   source="grid", office_id=own.office.id)
    _signup(world, own.hamlet, "Thôn Một 01")
    _signup(world, own.hamlet, "Thôn Một 02")
    _signup(world, own.hamlet, "Thôn Một 03")
    _signup(world, own.hamlet2, "Thôn Hai 04", status="recorded")
    db.session.commit()
    auth.login(world.users["local_officer"])
    url = f"/reports/campaigns/{campaign.id}?level=hamlet&office={own.office.id}&commune={own.commune.id}"
    html = client.get(url).get_data(as_text=True)
    table = html[html.index('class="data progress-table"'):]
    assert own.hamlet.name in table and own.hamlet2.name in table
    assert "3 / 2" in table and "150%" in table and vi("over the plan by %(n)s", n="1") in table
    assert "0 / 2" in table
    # The spreadsheet of the same view says it plainly too.
    sheet = load_workbook(io.BytesIO(client.get(url.replace("?", "/progress.xlsx?", 1)).data)).active
    texts = [c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert any(f"Vượt kế hoạch: {own.hamlet.name} (BHXH TN mới +1)." in text for text in texts)
    # The commune level links to its hamlets.
    communes = client.get(f"/reports/campaigns/{campaign.id}?level=commune&office={own.office.id}")
    assert f"level=hamlet&amp;office={own.office.id}&amp;commune={own.commune.id}" in communes.get_data(as_text=True)


def test_hamlets_of_another_offices_commune_are_not_shown(client, auth, world):
    campaign = _campaign(world)
    db.session.commit()
    auth.login(world.users["local_officer"])
    url = (f"/reports/campaigns/{campaign.id}?level=hamlet&office={world.own.office.id}"
           f"&commune={world.near.commune.id}")
    html = client.get(url).get_data(as_text=True)
    assert world.near.hamlet.name not in html and world.own.commune.name in html  # back to the communes


def test_an_event_of_the_campaign_held_after_its_end_counts_at_every_level_alike(client, auth, world):
    campaign, own = _campaign(world), world.own
    _signup(world, own.hamlet, "Trong Hạn 01", agent=own.agent)  # 12 May, door to door: within the days
    late = factories.make_event(own.commune, own.office, title="Hội nghị sau tháng vận động", status="held",
                                starts_at=datetime(2026, 6, 10, 1, tzinfo=UTC), campaign_id=campaign.id)
    late.organiser_organisation_id = own.organisation.id
    _signup(world, own.hamlet, "Sau Hạn 02", event=late, day=date(2026, 6, 10))
    stray = factories.make_event(own.commune, own.office, title="Hội nghị ngoài chiến dịch", status="held",
                                 starts_at=datetime(2026, 6, 11, 1, tzinfo=UTC))  # attached to no campaign
    stray.organiser_organisation_id = own.organisation.id
    _signup(world, own.hamlet, "Ngoài 03", event=stray, day=date(2026, 6, 11))
    db.session.commit()
    offices = [own.office, world.near.office]
    places = {"office": (Place("office", offices), own.office.id),
              "commune": (Place("commune", offices, own.office), own.commune.id),
              "organisation": (Place("organisation", offices, own.office), own.organisation.id),
              "hamlet": (Place("hamlet", offices, own.office, (own.commune.id, own.commune.name)), own.hamlet.id)}
    found = {}
    for level, (where, subject) in places.items():
        lines_of = plan.progress_lines if level in plan.LEVELS else queries.progress_lines
        rows = lines_of(campaign, where)[0]
        found[level] = next(line for line in rows if line.subject_id == subject).achieved["new_bhxh_tn"]
    assert found == {"office": 2, "commune": 2, "organisation": 2, "hamlet": 2}
    rows = plan.progress_lines(campaign, places["organisation"][0])[0]
    assert next(line for line in rows if line.subject_id == own.organisation.id).achieved["conferences"] == 1
    # Over the campaign's days only (a window, not the campaign), the late event adds nothing.
    window = queries.window_of(campaign)
    assert plan.hamlet_counts(window, own.commune.id).by_key[own.hamlet.id]["new_bhxh_tn"] == 1
    assert plan.organisation_counts(window, [own.office.id]).by_key[own.organisation.id]["new_bhxh_tn"] == 1
    # The hamlets' page says so too.
    auth.login(world.users["local_officer"])
    html = client.get(f"/reports/campaigns/{campaign.id}?level=hamlet&office={own.office.id}"
                      f"&commune={own.commune.id}").get_data(as_text=True)
    table = html[html.index('class="data progress-table"'):html.index('class="campaign-channels"')]
    row = table[table.index(own.hamlet.name):]
    assert '<span class="figures">2</span>' in row[:row.index("</tr>")]


def test_the_hamlets_page_shows_the_communes_own_channel_figures_without_the_offices_targets(client, auth, world):
    campaign, own = _campaign(world), world.own
    campaign_services.save_targets(campaign, "channel", [(2, "new_bhxh_tn", 4)], source="grid",
                                   office_id=own.office.id)
    _signup(world, own.hamlet, "Tận Nhà 01")
    _signup(world, own.hamlet2, "Tận Nhà 02")
    _signup(world, own.hamlet2, "Điểm Thu 03", channel="counter")
    elsewhere = factories.make_hamlet(own.commune2, "Thôn Xã Hai")
    _signup(world, elsewhere, "Xã Hai 04")  # the office's other commune: not on this commune's page
    db.session.commit()
    auth.login(world.users["local_officer"])
    commune_page = client.get(f"/reports/campaigns/{campaign.id}?level=commune&office={own.office.id}")
    office_section = _channels(commune_page.get_data(as_text=True))
    assert _channel_row(office_section, vi("Door-to-door visit"))[0] == "3 / 4"  # the office, against its target
    html = client.get(f"/reports/campaigns/{campaign.id}?level=hamlet&office={own.office.id}"
                      f"&commune={own.commune.id}").get_data(as_text=True)
    section = _channels(html)
    assert own.commune.name in section[:section.index("</h2>")]
    assert _channel_row(section, vi("Door-to-door visit"))[0] == "2"  # its own figures, not the office's 3
    assert _channel_row(section, vi("Collection point or post-office counter"))[0] == "1"
    assert " / " not in section.split("</table>")[0]  # no office target against one commune's figures
    assert vi("Confirmed sign-ups of the households of %(commune)s only. Targets by channel are set for a whole "
              "office, so none is shown for the hamlets of a commune.", commune=own.commune.name) in section


def _channels(html: str) -> str:
    return html[html.index('class="campaign-channels"'):html.index('class="campaign-coverage"')]


def _channel_row(section: str, label: str) -> list[str]:
    """The figure cells of a channel's row, without tags or the share of plan."""
    import re

    row = section[section.index(f'<th scope="row">{label}</th>'):]
    row = row[:row.index("</tr>")]
    return [re.sub(r"<br>.*", "", re.sub(r"\s+", " ", cell), flags=re.S).strip()
            for cell in re.findall(r'<td class="num">(.*?)</td>', row, flags=re.S)]


def test_the_lines_over_the_plan_are_named_once_each(app):
    """A line over its plan in several metrics is named once, with each metric and by how much (a province's
    report names a hundred communes, not four hundred entries)."""
    from portal.reports.progress import over_plan

    lines = [queries.Line("commune", 1, "Xã Một", target={"new_bhxh_tn": 10, "renewals": 5, "attendees": 90},
                          achieved={"new_bhxh_tn": 12, "renewals": 9, "attendees": 80}),
             queries.Line("commune", 2, "Xã Hai", target={"new_bhxh_tn": 10}, achieved={"new_bhxh_tn": 10}),
             queries.Line("commune", 3, "Xã Ba", target={"new_bhxh_tn": 0, "renewals": 2}, achieved={"new_bhxh_tn": 4,
                                                                                        "renewals": 3})]
    note = over_plan(lines, ("new_bhxh_tn", "renewals", "attendees"))
    assert note == "Vượt kế hoạch: Xã Một (BHXH TN mới +2, Tái tục +4); Xã Ba (Tái tục +1)."
    assert over_plan(lines[1:2], ("new_bhxh_tn",)) is None
