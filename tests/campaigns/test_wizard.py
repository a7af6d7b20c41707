"""The May campaign wizard: one campaign, targets for every served commune, totals kept, no second campaign."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEntry
from portal.campaigns import wizard
from portal.campaigns.models import METRICS, Campaign, Target
from portal.campaigns.views_wizard import next_may_year
from portal.extensions import db

from .. import factories as base
from . import factories


def _post(client, province, year, basis, **numbers):
    data = {"province_id": str(province.id), "year": str(year), "basis": basis}
    data.update({f"m_{k}": str(v) for k, v in numbers.items()})
    return client.post("/campaigns/may-wizard", data=data)


def _campaign(province, year) -> Campaign:
    return db.session.scalar(select(Campaign).where(Campaign.province_id == province.id,
                                                    Campaign.starts_on == date(year, 5, 1)))


def _values(campaign, level, metric) -> dict[int, int]:
    column = getattr(Target, f"{level}_id")
    return dict(db.session.execute(select(column, Target.value).where(
        Target.campaign_id == campaign.id, Target.level == level, Target.metric == metric)).all())


def _served(world):
    return {world.own.commune.id, world.own.commune2.id, world.near.commune.id, world.near.commune2.id}


def test_spread_uses_the_largest_remainder_and_keeps_the_total():
    assert wizard.spread(10, {1: 1, 2: 1, 3: 1}) == {1: 4, 2: 3, 3: 3}
    assert wizard.spread(100, {1: 3, 2: 1, 3: 1, 4: 0}) == {1: 60, 2: 20, 3: 20, 4: 0}
    assert wizard.spread(7, {1: 5, 2: 3, 3: 2}) == {1: 4, 2: 2, 3: 1}  # 3.5, 2.1, 1.4 -> the .5 gets the 1
    for total in (0, 1, 99, 1001, 123457):
        shares = wizard.spread(total, {1: 7, 2: 13, 3: 0, 4: 29, 5: 1})
        assert sum(shares.values()) == total and shares[3] == 0
    assert wizard.spread(5, {}) == {}
    with pytest.raises(ValueError):
        wizard.spread(5, {1: 0, 2: 0})


def test_next_may_is_this_year_until_the_first_of_may():
    assert next_may_year(date(2027, 4, 30)) == 2027
    assert next_may_year(date(2027, 5, 1)) == 2028
    assert next_may_year(date(2027, 11, 3)) == 2028


def test_by_households_every_served_commune_gets_its_share(client, auth, world, app):
    own, near = world.own, world.near
    factories.households(own.hamlet, 2)  # own.commune: 1 from the world + 2
    factories.households(base.make_hamlet(own.commune2, "Thôn Mới"), 1)
    unserved = base.make_commune(own.province, "Xã Chưa Giao")  # no office: no targets
    factories.households(base.make_hamlet(unserved, "Thôn Xa"), 5)
    by_province_office = base.make_commune(own.province, "Phường Tỉnh", office=own.province_office)
    factories.households(base.make_hamlet(by_province_office), 5)
    auth.login(world.users["province_officer"])
    response = _post(client, own.province, 2028, "households", new_bhxh_tn=100, new_bhyt_hgd="1.001", attendees=7)
    assert response.status_code == 303
    campaign = _campaign(own.province, 2028)
    assert response.headers["Location"].endswith(f"/campaigns/{campaign.id}/targets?level=office")
    assert (campaign.kind, campaign.status, campaign.ends_on) == ("may_month", "draft", date(2028, 5, 31))
    assert campaign.name == "Tháng vận động BHXH toàn dân năm 2028"
    assert campaign.office_id == own.province_office.id
    tn = _values(campaign, "commune", "new_bhxh_tn")
    assert tn == {own.commune.id: 60, own.commune2.id: 20, near.commune.id: 20, near.commune2.id: 0}
    assert sum(_values(campaign, "commune", "new_bhyt_hgd").values()) == 1001
    assert sum(_values(campaign, "commune", "attendees").values()) == 7
    assert _values(campaign, "office", "new_bhxh_tn") == {own.office.id: 80, near.office.id: 20}
    for metric in METRICS:  # every served commune has every metric; offices are the sums
        communes = _values(campaign, "commune", metric)
        assert set(communes) == _served(world)
        offices = _values(campaign, "office", metric)
        assert offices[own.office.id] == communes[own.commune.id] + communes[own.commune2.id]
    assert not _values(campaign, "agent", "new_bhxh_tn")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "campaign.create",
                                                       AuditEntry.object_id == campaign.id))
    assert entry.details["communes"] == 4 and entry.details["offices"] == 2 and entry.details["targets"] == 30
    assert entry.details["basis"] == "households" and entry.details["totals"]["new_bhxh_tn"] == 100


def test_by_labour_force_counts_people_aged_15_to_60_on_the_first_of_may(client, auth, world):
    own, near = world.own, world.near
    year = 2028
    factories.people(own.hamlet, [
        date(1990, 3, 2),  # 38
        date(year - 15, 5, 1),  # 15 on that very day: counted
        date(year - 61, 5, 2),  # 60 until the next day: counted
        date(year - 61, 5, 1),  # 61 that day: not counted
        date(year - 15, 5, 2),  # still 14: not counted
        None,  # no date of birth: not counted
    ])
    factories.people(near.hamlet, [date(1985, 1, 1)])
    auth.login(world.users["province_officer"])
    assert _post(client, own.province, year, "labour_force", conferences=40, renewals=5).status_code == 303
    campaign = _campaign(own.province, year)
    assert _values(campaign, "commune", "conferences") == {own.commune.id: 30, own.commune2.id: 0,
                                                           near.commune.id: 10, near.commune2.id: 0}
    assert sum(_values(campaign, "commune", "renewals").values()) == 5
    assert _values(campaign, "office", "conferences") == {own.office.id: 30, near.office.id: 10}


def test_fixed_number_per_commune(client, auth, world):
    auth.login(world.users["admin"])
    assert _post(client, world.own.province, 2029, "fixed", new_bhxh_tn=12, conferences=2).status_code == 303
    campaign = _campaign(world.own.province, 2029)
    assert set(_values(campaign, "commune", "new_bhxh_tn").values()) == {12}
    assert _values(campaign, "office", "conferences") == {world.own.office.id: 4, world.near.office.id: 4}
    assert set(_values(campaign, "commune", "attendees").values()) == {0}


def test_copy_of_last_years_targets(client, auth, world):
    own, near = world.own, world.near
    last_year = world.campaign_own  # May 2027
    factories.targets(last_year, "commune", own.commune.id, new_bhxh_tn=40, renewals=3)
    factories.targets(last_year, "commune", near.commune2.id, new_bhxh_tn=5)
    factories.targets(last_year, "office", own.office.id, new_bhxh_tn=999)  # offices become the sums
    auth.login(world.users["province_officer"])
    page = client.get("/campaigns/may-wizard?year=2028").get_data(as_text=True)
    assert 'value="copy" checked' in page  # offered first when there is something to copy
    assert _post(client, own.province, 2028, "copy").status_code == 303
    campaign = _campaign(own.province, 2028)
    assert _values(campaign, "commune", "new_bhxh_tn") == {own.commune.id: 40, own.commune2.id: 0,
                                                           near.commune.id: 0, near.commune2.id: 5}
    assert _values(campaign, "office", "new_bhxh_tn") == {own.office.id: 40, near.office.id: 5}
    assert _values(campaign, "commune", "renewals")[own.commune.id] == 3


def test_copy_needs_last_years_campaign(client, auth, world):
    auth.login(world.users["province_officer"])
    response = _post(client, world.own.province, 2030, "copy")
    assert response.status_code == 422
    assert _campaign(world.own.province, 2030) is None


def test_a_second_may_campaign_is_refused(client, auth, world):
    auth.login(world.users["province_officer"])
    before = db.session.scalar(select(func.count()).select_from(Campaign))
    response = _post(client, world.own.province, 2027, "fixed", new_bhxh_tn=1)
    assert response.status_code == 422
    assert world.campaign_own.name in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Campaign)) == before
    assert db.session.scalar(select(func.count()).select_from(Target)) == 0


def test_numbers_are_required_and_checked(client, auth, world):
    auth.login(world.users["province_officer"])
    assert _post(client, world.own.province, 2028, "fixed").status_code == 422
    assert _post(client, world.own.province, 2028, "households", new_bhxh_tn="-3").status_code == 422
    assert _post(client, world.own.province, 2028, "households", new_bhxh_tn="abc").status_code == 422
    assert _post(client, world.own.province, "20x8", "fixed", new_bhxh_tn=1).status_code == 422
    assert _post(client, world.own.province, 2028, "labour_force", new_bhxh_tn=5).status_code == 422  # nobody aged
    assert _campaign(world.own.province, 2028) is None


def test_the_province_is_the_officers_own_and_the_admins_choice(client, auth, world):
    auth.login(world.users["province_officer"])
    assert _post(client, world.far.province, 2028, "fixed", new_bhxh_tn=1).status_code == 303
    assert _campaign(world.own.province, 2028) is not None and _campaign(world.far.province, 2028) is None
    auth.logout()
    auth.login(world.users["admin"])
    assert _post(client, world.far.province, 2028, "fixed", new_bhxh_tn=1).status_code == 303
    campaign = _campaign(world.far.province, 2028)
    assert campaign.office_id == world.far.province_office.id
    assert set(_values(campaign, "commune", "new_bhxh_tn")) == {world.far.commune.id, world.far.commune2.id}


def test_facts_refresh_as_a_fragment(client, auth, world):
    factories.households(world.own.hamlet, 3)
    auth.login(world.users["province_officer"])
    response = client.htmx_get(f"/campaigns/may-wizard?province_id={world.own.province.id}&year=2028&basis=fixed",
                               target="wizard-facts")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert 'name="basis"' not in html  # the user's choice is never replaced while they make it
    assert 'id="basis-note-households" hx-swap-oob="true"' in html
    assert ">5<" not in html and "5" in html  # 2 world households + 3


def test_from_last_years_results(client, auth, world):
    from datetime import UTC, datetime

    from portal.policy.services import seed_shipped
    from portal.results import services as results

    seed_shipped()
    own = world.own
    event = base.make_event(own.commune, own.office, starts_at=datetime(2026, 5, 12, 1, tzinfo=UTC),
                            status="held", title="Hội nghị năm trước")
    user = world.users["local_officer"]
    for n in range(3):
        person = base.make_household(own.hamlet, f"Người Cũ {n}", address=f"Nhà {n + 70}")[1]
        results.record_signup(person, scheme="bhxh_tn", kind="new", signed_on=date(2026, 5, 12), user=user,
                              event=event, income=1_500_000, mode="monthly")
    results.confirm_results(event, user)
    db.session.commit()
    auth.login(world.users["province_officer"])
    assert _post(client, own.province, 2030, "results").status_code == 422  # nothing in May 2029
    db.session.delete(world.campaign_own)  # the world already holds a 2027 campaign
    db.session.commit()
    assert _post(client, own.province, 2027, "results").status_code == 303
    campaign = _campaign(own.province, 2027)
    assert _values(campaign, "commune", "new_bhxh_tn")[own.commune.id] == 3
    assert _values(campaign, "office", "new_bhxh_tn")[own.office.id] == 3
