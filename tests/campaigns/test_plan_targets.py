"""Targets by channel, by agent organisation and by hamlet: the grid's cells, the pasted rows and the XLSX import,
each with its main refusal, and who may see which grid."""

from __future__ import annotations

import io

from openpyxl import Workbook
from sqlalchemy import select

from portal.campaigns import queries
from portal.campaigns.models import Target
from portal.extensions import db

from .. import factories as base
from . import factories
from .helpers import HTMX_GRID, audit, target_count, vi


def _url(campaign, world, level: str, action: str = "", **extra) -> str:
    args = "".join(f"&{k}={v}" for k, v in extra.items())
    return f"/campaigns/{campaign.id}/targets{action}?level={level}&office={world.own.office.id}{args}"


def _upload(client, url, rows):
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return client.post(url, data={"file": (io.BytesIO(buffer.getvalue()), "chi-tieu.xlsx")},
                       content_type="multipart/form-data")


def _targets(campaign_id: int, level: str) -> dict[tuple, int]:
    column = {"channel": Target.channel, "organisation": Target.organisation_id, "hamlet": Target.hamlet_id}[level]
    return {(s, m): v for s, m, v in db.session.execute(select(column, Target.metric, Target.value).where(
        Target.campaign_id == campaign_id, Target.level == level))}


def test_channel_cell_saves_a_target_of_the_office_for_one_channel(client, auth, world):
    campaign, office = world.campaign_own, world.own.office
    factories.targets(campaign, "office", office.id, new_bhxh_tn=20)
    auth.login(world.users["local_officer"])
    page = client.get(_url(campaign, world, "channel"))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and vi("Door-to-door visit") in html and vi("Office target") in html
    assert 'name="v-1-conferences"' not in html  # channels are given sign-up targets only
    response = client.post(_url(campaign, world, "channel", "/cell"),
                           data={"subject": "2", "metric": "new_bhxh_tn", "value": "12"}, headers=HTMX_GRID)
    assert response.status_code == 200 and '<td class="num off">−8</td>' in response.get_data(as_text=True)
    assert _targets(campaign.id, "channel") == {("door", "new_bhxh_tn"): 12}
    row = db.session.scalar(select(Target).where(Target.level == "channel"))
    assert row.office_id == office.id and row.subject_key == f"channel:{office.id}:door"
    assert audit("campaign.targets", campaign.id)[0].details["subject"] == "door"
    # The office's own targets and the communes' are not changed by its channels.
    assert queries.office_targets(campaign, office.id)["new_bhxh_tn"] == 20
    assert queries.summary(campaign, queries.Place("office", [office]))["office"]["new_bhxh_tn"] == 20


def test_channel_cell_refuses_a_metric_channels_do_not_have_and_a_bad_number(client, auth, world):
    campaign = world.campaign_own
    auth.login(world.users["local_officer"])
    url = _url(campaign, world, "channel", "/cell")
    wrong = client.post(url, data={"subject": "2", "metric": "conferences", "value": "3"}, headers=HTMX_GRID)
    bad = client.post(url, data={"subject": "2", "metric": "renewals", "value": "-3"}, headers=HTMX_GRID)
    assert wrong.status_code == 404 and bad.status_code == 422
    assert vi("A target cannot be negative.") in bad.get_data(as_text=True)
    assert target_count() == 0


def test_channel_targets_pasted_by_code_then_refused_for_an_unknown_channel(client, auth, world):
    campaign = world.campaign_own
    auth.login(world.users["local_officer"])
    url = _url(campaign, world, "channel", "/paste")
    bad = client.post(url, data={"text": "door\t10\nqua điện thoại\t3", "apply": "1"})
    assert bad.status_code == 422 and target_count() == 0
    assert vi("“%(name)s” is not one of the rows of this grid.", name="qua điện thoại") in bad.get_data(as_text=True)
    good = client.post(url, data={"text": "door\t10\t4\t1\ncounter\t6", "apply": "1"})
    assert good.status_code == 303
    assert _targets(campaign.id, "channel") == {("door", "new_bhxh_tn"): 10, ("door", "new_bhyt_hgd"): 4,
                                                ("door", "renewals"): 1, ("counter", "new_bhxh_tn"): 6}


def test_channel_targets_from_a_file_by_vietnamese_name_and_its_refusals(client, auth, world):
    campaign = world.campaign_own
    auth.login(world.users["local_officer"])
    url = _url(campaign, world, "channel", "/import")
    header = ["Mã", "Tham gia BHXH TN mới", "Tham gia BHYT HGĐ mới", "Tái tục"]
    bad = _upload(client, url, [header, ["Trực tuyến", 5, "abc", None], ["Zalo", 1, 1, 1]])
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422 and target_count() == 0
    assert vi("Unknown code “%(code)s”: it is not one of the rows of this grid.", code="Zalo") in html
    assert vi("Enter a whole number, 0 or more.") + " (abc)" in html
    good = _upload(client, url, [header, ["Trực tuyến", 5, 2, None], ["DOOR", 9, None, 3]])
    assert good.status_code == 200 and target_count() == 0  # a report first
    saved = client.post(url, data={"confirm": "1"})
    assert saved.status_code == 303 and "level=channel" in saved.headers["Location"]
    assert _targets(campaign.id, "channel") == {("online", "new_bhxh_tn"): 5, ("online", "new_bhyt_hgd"): 2,
                                                ("door", "new_bhxh_tn"): 9, ("door", "renewals"): 3}
    export = client.get(_url(campaign, world, "channel", ".xlsx"))
    assert export.status_code == 200 and export.data[:2] == b"PK"


def test_organisation_grid_of_the_office_only(client, auth, world):
    campaign, own, near = world.campaign_own, world.own.organisation, world.near.organisation
    auth.login(world.users["local_officer"])
    html = client.get(_url(campaign, world, "organisation")).get_data(as_text=True)
    assert own.name in html and near.name not in html
    url = _url(campaign, world, "organisation", "/cell")
    assert client.post(url, data={"subject": str(own.id), "metric": "conferences", "value": "2"},
                       headers=HTMX_GRID).status_code == 200
    assert client.post(url, data={"subject": str(near.id), "metric": "new_bhxh_tn", "value": "2"},
                       headers=HTMX_GRID).status_code == 404  # another office's organisation is no row here
    pasted = client.post(_url(campaign, world, "organisation", "/paste"),
                         data={"text": f"{own.name}\t15", "apply": "1"})
    assert pasted.status_code == 303
    assert _targets(campaign.id, "organisation") == {(own.id, "conferences"): 2, (own.id, "new_bhxh_tn"): 15}
    # A local officer never opens another office's grid.
    other = f"/campaigns/{campaign.id}/targets?level=organisation&office={world.near.office.id}"
    assert client.get(other).status_code == 404


def test_hamlet_grid_splits_the_communes_target(client, auth, world):
    campaign, commune, hamlet, hamlet2 = world.campaign_own, world.own.commune, world.own.hamlet, world.own.hamlet2
    factories.targets(campaign, "commune", commune.id, new_bhxh_tn=10)
    auth.login(world.users["local_officer"])
    page = client.get(_url(campaign, world, "hamlet", commune=commune.id))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and hamlet.name in html and hamlet2.name in html
    assert vi("Commune target") in html
    url = _url(campaign, world, "hamlet", "/cell", commune=commune.id)
    response = client.post(url, data={"subject": str(hamlet.id), "metric": "new_bhxh_tn", "value": "7"},
                           headers=HTMX_GRID)
    assert response.status_code == 200 and '<td class="num off">−3</td>' in response.get_data(as_text=True)
    whole = client.post(_url(campaign, world, "hamlet", commune=commune.id),
                        data={f"v-{hamlet2.id}-new_bhxh_tn": "3"})
    assert whole.status_code == 303 and f"commune={commune.id}" in whole.headers["Location"]
    assert _targets(campaign.id, "hamlet") == {(hamlet.id, "new_bhxh_tn"): 7, (hamlet2.id, "new_bhxh_tn"): 3}


def test_hamlet_grid_of_a_commune_outside_the_office_is_not_found(client, auth, world):
    campaign = world.campaign_own
    auth.login(world.users["local_officer"])
    assert client.get(_url(campaign, world, "hamlet", commune=world.near.commune.id)).status_code == 404
    foreign = base.make_hamlet(world.near.commune, "Thôn Xa")
    url = _url(campaign, world, "hamlet", "/cell", commune=world.own.commune.id)
    assert client.post(url, data={"subject": str(foreign.id), "metric": "new_bhxh_tn", "value": "1"},
                       headers=HTMX_GRID).status_code == 404
    assert target_count() == 0


def test_a_viewer_reads_the_new_grids_but_cannot_change_them(client, auth, world):
    campaign = world.campaign_own
    auth.login(world.users["viewer"])
    for level in ("channel", "organisation", "hamlet"):
        assert client.get(_url(campaign, world, level)).status_code == 200
        assert client.post(_url(campaign, world, level), data={}).status_code == 403


def test_targets_saved_together_in_one_statement_change_existing_cells_and_keep_the_last_of_a_repeated_one(app, world):
    from portal.campaigns import services

    campaign = world.campaign_own
    hamlet = world.own.hamlet.id
    services.save_targets(campaign, "hamlet", [(hamlet, "new_bhxh_tn", 3)], source="grid")
    services.save_targets(campaign, "hamlet", [(hamlet, "new_bhxh_tn", 5), (hamlet, "new_bhyt_hgd", 7),
                                               (hamlet, "new_bhyt_hgd", 8)], source="grid")
    db.session.commit()
    assert _targets(campaign.id, "hamlet") == {(hamlet, "new_bhxh_tn"): 5, (hamlet, "new_bhyt_hgd"): 8}
