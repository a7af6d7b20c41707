"""Campaigns, the May wizard and the targets grid."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import func, select

from portal.campaigns import services
from portal.campaigns.models import Campaign, Target
from portal.extensions import db
from portal.geo.models import Commune

from .. import factories


def test_spread_keeps_the_total():
    assert services.spread(100, {1: 1, 2: 1, 3: 1}) == {1: 34, 2: 33, 3: 33}
    assert sum(services.spread(1001, {1: 7, 2: 13, 3: 0, 4: 29}).values()) == 1001
    assert services.spread(5, {1: 0, 2: 0}) in ({1: 3, 2: 2}, {1: 2, 2: 3})


def test_wizard_by_households_fills_every_served_commune(client, auth, world):
    for n in range(3):
        factories.make_household(world.own.hamlet, "Hộ Thêm", address=f"Nhà {n + 10}")
    auth.login(world.users["province_officer"])
    data = {"province_id": str(world.own.province.id), "year": "2028", "basis": "households",
            "m_new_bhxh_tn": "120", "m_new_bhyt_hgd": "90", "m_renewals": "0", "m_conferences": "8",
            "m_attendees": "400"}
    response = client.post("/campaigns/may-wizard", data=data)
    assert response.status_code == 303
    campaign = db.session.scalar(select(Campaign).where(Campaign.name.like("%2028")))
    served = db.session.scalar(select(func.count()).select_from(Commune).where(
        Commune.province_id == world.own.province.id, Commune.office_id.is_not(None)))
    commune_targets = db.session.scalars(select(Target).where(Target.campaign_id == campaign.id,
                                                              Target.level == "commune",
                                                              Target.metric == "new_bhxh_tn")).all()
    assert len(commune_targets) == served and sum(t.value for t in commune_targets) == 120
    office_total = db.session.scalar(select(func.sum(Target.value)).where(
        Target.campaign_id == campaign.id, Target.level == "office", Target.metric == "new_bhxh_tn"))
    assert office_total == 120
    assert client.post("/campaigns/may-wizard", data=data).status_code == 422  # one May campaign a year


def test_grid_cell_saves_and_warns_on_mismatch(client, auth, world):
    campaign = world.campaign_own
    services.set_target(campaign, "office", world.own.office.id, "renewals", 10)
    db.session.commit()
    auth.login(world.users["local_officer"])
    url = f"/campaigns/{campaign.id}/targets/cell?level=commune&office={world.own.office.id}"
    response = client.post(url, data={"subject": str(world.own.commune.id), "metric": "renewals", "value": "4"},
                           headers={"HX-Request": "true", "HX-Target": "grid"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert "-6" in html  # the communes' 4 against the office's 10
    bad = client.post(url, data={"subject": str(world.own.commune.id), "metric": "renewals", "value": "-3"},
                      headers={"HX-Request": "true", "HX-Target": "grid"})
    assert bad.status_code == 422
    # Office targets are the province's to set.
    office_url = f"/campaigns/{campaign.id}/targets/cell?level=office"
    assert client.post(office_url, data={"subject": str(world.own.office.id), "metric": "renewals",
                                         "value": "1"}).status_code == 403


def test_whole_grid_form_and_export(client, auth, world):
    campaign = world.campaign_own
    auth.login(world.users["local_officer"])
    c1, c2 = world.own.commune.id, world.own.commune2.id
    response = client.post(f"/campaigns/{campaign.id}/targets?level=commune&office={world.own.office.id}",
                           data={f"v-{c1}-new_bhxh_tn": "12", f"v-{c2}-new_bhxh_tn": "1.500"})
    assert response.status_code == 303
    values = dict(db.session.execute(select(Target.commune_id, Target.value).where(
        Target.campaign_id == campaign.id, Target.metric == "new_bhxh_tn")).all())
    assert values == {c1: 12, c2: 1500}
    export = client.get(f"/campaigns/{campaign.id}/targets.xlsx?level=commune&office={world.own.office.id}")
    rows = list(load_workbook(io.BytesIO(export.data)).active.iter_rows(values_only=True))
    assert rows[0][2] == "Tham gia BHXH TN mới"
    assert {r[1]: r[2] for r in rows[1:]}[world.own.commune.name] == 12


def test_targets_import_reports_then_saves(client, auth, world):
    from openpyxl import Workbook

    campaign = world.campaign_own
    auth.login(world.users["local_officer"])
    url = f"/campaigns/{campaign.id}/targets/import?level=commune&office={world.own.office.id}"

    def upload(rows):
        wb = Workbook()
        for row in rows:
            wb.active.append(row)
        buffer = io.BytesIO()
        wb.save(buffer)
        return client.post(url, data={"file": (io.BytesIO(buffer.getvalue()), "chi-tieu.xlsx")},
                           content_type="multipart/form-data")

    header = ["Mã", "Tên", "Tham gia BHXH TN mới", "Tham gia BHYT HGĐ mới", "Tái tục", "Số hội nghị", "Số người dự"]
    bad = upload([["CHỈ TIÊU THÁNG VẬN ĐỘNG"], header, [world.own.commune.code, "", -1, "abc", None, None, None],
                  ["99999", "Xã Lạ", 1, 1, 1, 1, 1]])
    assert bad.status_code == 422
    assert 'row-number">3<' in bad.get_data(as_text=True) and 'row-number">4<' in bad.get_data(as_text=True)
    good = upload([header, [world.own.commune.code, "", 30, 20, None, 2, 150]])
    assert good.status_code == 200
    assert client.post(url, data={"confirm": "1"}).status_code == 303
    values = dict(db.session.execute(select(Target.metric, Target.value).where(
        Target.campaign_id == campaign.id, Target.commune_id == world.own.commune.id)).all())
    assert values == {"new_bhxh_tn": 30, "new_bhyt_hgd": 20, "conferences": 2, "attendees": 150}


def test_wizard_from_last_years_results(client, auth, world):
    from datetime import UTC, date, datetime

    from portal.policy.services import seed_shipped
    from portal.results import services as results

    seed_shipped()
    own = world.own
    event = factories.make_event(own.commune, own.office, starts_at=datetime(2026, 5, 12, 1, tzinfo=UTC),
                                 status="held", title="Hội nghị năm trước")
    user = world.users["local_officer"]
    for n in range(3):
        person = factories.make_household(own.hamlet, f"Người Cũ {n}", address=f"Nhà {n + 70}")[1]
        results.record_signup(person, scheme="bhxh_tn", kind="new", signed_on=date(2026, 5, 12), user=user,
                              event=event, income=1_500_000, mode="monthly")
    results.confirm_results(event, user)
    db.session.commit()
    auth.login(world.users["province_officer"])
    response = client.post("/campaigns/may-wizard", data={"province_id": str(own.province.id), "year": "2027x",
                                                          "basis": "last_year"})
    assert response.status_code == 422
    db.session.delete(world.campaign_own)  # the world already holds a 2027 campaign
    db.session.commit()
    assert client.post("/campaigns/may-wizard", data={"province_id": str(own.province.id), "year": "2027",
                                                      "basis": "last_year"}).status_code == 303
    campaign = db.session.scalar(select(Campaign).where(Campaign.starts_on == date(2027, 5, 1),
                                                        Campaign.province_id == own.province.id))
    value = db.session.scalar(select(Target.value).where(Target.campaign_id == campaign.id,
                                                         Target.commune_id == own.commune.id,
                                                         Target.metric == "new_bhxh_tn"))
    assert value == 3
