"""Campaign pages: the list and its filters, one campaign, the create/edit form, status changes, cancelling."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEntry
from portal.campaigns.models import Campaign
from portal.events.models import Event
from portal.extensions import db

from . import factories
from .helpers import audit, campaign, row_cells, target_count, values, vi


def _form(office, **over) -> dict:
    data = {"name": "Đợt ra quân tháng Sáu", "kind": "wave", "starts_on": "10/06/2027", "ends_on": "20/06/2027",
            "office_id": str(office.id), "notes": "Tập trung xã vùng cao"}
    data.update(over)
    return data


def _campaign_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Campaign))


def _link(c) -> str:
    return f'href="/campaigns/{c.id}"'


def test_the_list_shows_the_province_of_the_user_and_everything_to_the_admin(client, auth, world):
    own, far = world.campaign_own, world.campaign_far
    auth.login(world.users["local_officer"])
    response = client.get("/campaigns/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _link(own) in html and _link(far) not in html
    assert "/campaigns/new" not in html and "/campaigns/may-wizard" not in html  # local officers do not plan
    assert client.get(f"/campaigns/{far.id}").status_code == 404
    auth.logout()
    auth.login(world.users["province_officer"])
    html = client.get("/campaigns/").get_data(as_text=True)
    assert _link(own) in html and _link(far) not in html and "/campaigns/new" in html
    auth.logout()
    auth.login(world.users["admin"])
    html = client.get("/campaigns/").get_data(as_text=True)
    assert _link(own) in html and _link(far) in html
    assert "<td>Lào Cai</td>" in html and "<td>Thái Nguyên</td>" in html  # the admin sees the province column
    auth.logout()
    auth.login(world.users["agent"])
    assert client.get("/campaigns/").status_code == 403


def test_the_list_filters_by_year_kind_and_status(client, auth, world):
    office = world.own.province_office
    may = world.campaign_own  # May 2027, draft
    wave = campaign(office, "Đợt ra quân hè 2028", date(2028, 6, 1), date(2028, 6, 30), status="active")
    winter = campaign(office, "Chiến dịch cuối năm", date(2026, 12, 15), date(2027, 1, 15), kind="other",
                      status="closed")
    auth.login(world.users["province_officer"])
    page = client.get("/campaigns/").get_data(as_text=True)
    assert all(f'<option value="{y}">{y}</option>' in page for y in (2026, 2027, 2028))
    assert page.index(wave.name) < page.index(may.name) < page.index(winter.name)  # newest first

    def shown(query: str) -> set[int]:
        html = client.get(f"/campaigns/?{query}").get_data(as_text=True)
        return {c.id for c in (may, wave, winter) if _link(c) in html}

    assert shown("year=2028") == {wave.id}
    assert shown("year=2027") == {may.id, winter.id}  # the winter campaign runs into January 2027
    assert shown("kind=other") == {winter.id}
    assert shown("status=active") == {wave.id}
    assert shown("year=2027&kind=may_month&status=draft") == {may.id}
    empty = client.get("/campaigns/?year=2028&status=closed").get_data(as_text=True)
    assert shown("year=2028&status=closed") == set() and vi("No campaign matches these filters.") in empty
    fragment = client.htmx_get("/campaigns/?kind=wave", target="results")
    html = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in html and 'name="kind"' not in html
    assert _link(wave) in html and _link(may) not in html


def test_detail_sums_the_targets_and_warns_where_they_do_not_add_up(client, auth, world):
    c, own = world.campaign_own, world.own
    factories.targets(c, "office", own.office.id, renewals=10, new_bhxh_tn=7)
    factories.targets(c, "commune", own.commune.id, renewals=4, new_bhxh_tn=7)
    factories.targets(c, "commune", own.commune2.id, new_bhyt_hgd=1500)
    factories.targets(c, "agent", own.agent.id, attendees=30)
    auth.login(world.users["province_officer"])
    response = client.get(f"/campaigns/{c.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and c.name in html
    summary = html[html.index('class="data summary"'):]
    summary = summary[:summary.index("</table>")]
    assert row_cells("7", "0", "10", "0", "0") in summary  # offices
    assert row_cells("7", "1.500", "4", "0", "0") in summary  # communes
    assert row_cells("0", "0", "0", "0", "30") in summary  # agents
    assert vi("Targets that do not add up") in html
    warning = html[html.index('class="mismatches"'):]
    warning = warning[:warning.index("</ul>")]
    assert own.office.name in warning and world.near.office.name not in warning  # Bảo Yên has no targets at all
    assert "−6" in warning and "+1.500" in warning and "+30" in warning and "+7" not in warning
    factories.targets(c, "commune", own.commune.id, renewals=10)
    factories.targets(c, "commune", own.commune2.id, new_bhyt_hgd=0)
    factories.targets(c, "agent", own.agent.id, attendees=0)
    html = client.get(f"/campaigns/{c.id}").get_data(as_text=True)
    assert vi("Targets that do not add up") not in html and 'class="mismatches"' not in html


def test_a_local_officer_reads_only_their_office_and_cannot_steer(client, auth, world):
    c = world.campaign_own
    factories.targets(c, "office", world.near.office.id, conferences=9)
    auth.login(world.users["local_officer"])
    html = client.get(f"/campaigns/{c.id}").get_data(as_text=True)
    assert world.own.office.name in html and world.near.office.name not in html
    assert f"/campaigns/{c.id}/status" not in html and f"/campaigns/{c.id}/cancel" not in html
    summary = html[html.index('class="data summary"'):]
    summary = summary[:summary.index("</table>")]
    assert row_cells("0", "0", "0", "0", "0") in summary and ">9<" not in summary  # not the other office's 9
    auth.logout()
    auth.login(world.users["province_officer"])
    assert ">9<" in client.get(f"/campaigns/{c.id}").get_data(as_text=True)


def test_create_a_campaign(client, auth, world):
    auth.login(world.users["province_officer"])
    page = client.get("/campaigns/new").get_data(as_text=True)
    assert f'<option value="{world.own.province_office.id}"' in page
    assert f'<option value="{world.own.office.id}"' in page and f'<option value="{world.far.office.id}"' not in page
    response = client.post("/campaigns/new", data=_form(world.own.office))
    assert response.status_code == 303
    made = db.session.scalar(select(Campaign).where(Campaign.name == "Đợt ra quân tháng Sáu"))
    assert response.headers["Location"].endswith(f"/campaigns/{made.id}")
    assert (made.kind, made.status, made.starts_on, made.ends_on) == ("wave", "draft", date(2027, 6, 10),
                                                                      date(2027, 6, 20))
    assert (made.province_id, made.office_id) == (world.own.province.id, world.own.office.id)
    assert made.created_by_id == world.users["province_officer"].id and made.notes == "Tập trung xã vùng cao"
    [entry] = audit("campaign.create", made.id)
    assert entry.details == {"kind": "wave", "from": "10/06/2027", "to": "20/06/2027", "targets": 0}
    assert entry.user_id == world.users["province_officer"].id
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert vi("The campaign was saved.") in html and "(11 " in html  # 10 to 20 June: 11 days


def test_create_refuses_a_bad_period_a_second_may_campaign_and_another_province(client, auth, world):
    auth.login(world.users["province_officer"])
    before = _campaign_count()
    backwards = client.post("/campaigns/new", data=_form(world.own.office, starts_on="20/06/2027",
                                                         ends_on="10/06/2027"))
    assert backwards.status_code == 422
    assert vi("The campaign must end on or after the day it starts.") in backwards.get_data(as_text=True)
    second_may = client.post("/campaigns/new", data=_form(world.own.province_office, kind="may_month",
                                                          starts_on="01/05/2027", ends_on="31/05/2027"))
    assert second_may.status_code == 422
    assert vi("This province already has a May campaign for %(year)d.", year=2027) in second_may.get_data(
        as_text=True)
    nameless = client.post("/campaigns/new", data=_form(world.own.office, name="  "))
    assert nameless.status_code == 422 and vi("Enter the campaign name.") in nameless.get_data(as_text=True)
    assert client.post("/campaigns/new", data=_form(world.far.province_office)).status_code == 422
    assert _campaign_count() == before and not audit("campaign.create")
    # Another year's May campaign is fine.
    assert client.post("/campaigns/new", data=_form(world.own.province_office, kind="may_month",
                                                    starts_on="01/05/2028", ends_on="31/05/2028")).status_code == 303
    assert _campaign_count() == before + 1


def test_edit_a_campaign(client, auth, world):
    c = world.campaign_own
    auth.login(world.users["province_officer"])
    page = client.get(f"/campaigns/{c.id}/edit").get_data(as_text=True)
    assert 'value="01/05/2027"' in page and 'value="31/05/2027"' in page and c.name in page
    assert f'<option value="{world.far.province_office.id}"' not in page
    data = _form(world.own.province_office, name="Tháng vận động 2027 (sửa)", kind="may_month",
                 starts_on="01/05/2027", ends_on="15/06/2027", notes="")
    response = client.post(f"/campaigns/{c.id}/edit", data=data)
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/campaigns/{c.id}")
    db.session.expire_all()
    edited = db.session.get(Campaign, c.id)
    assert (edited.name, edited.ends_on, edited.notes) == ("Tháng vận động 2027 (sửa)", date(2027, 6, 15), None)
    assert audit("campaign.update", c.id)[0].details == {"fields": ["name"]}
    assert audit("campaign.reschedule", c.id)[0].details == {"from": ["01/05/2027", "31/05/2027"],
                                                             "to": ["01/05/2027", "15/06/2027"]}
    assert client.post(f"/campaigns/{c.id}/edit", data={**data, "ends_on": "30/04/2027"}).status_code == 422
    wave = campaign(world.own.province_office, "Đợt ra quân", date(2027, 8, 1), date(2027, 8, 10))
    to_may = client.post(f"/campaigns/{wave.id}/edit", data=_form(world.own.province_office, kind="may_month"))
    assert to_may.status_code == 422
    db.session.expire_all()
    assert db.session.get(Campaign, c.id).ends_on == date(2027, 6, 15)
    assert db.session.get(Campaign, wave.id).kind == "wave"
    assert client.get(f"/campaigns/{world.campaign_far.id}/edit").status_code == 404


def test_status_goes_from_draft_to_active_to_closed(client, auth, world):
    c = world.campaign_own
    auth.login(world.users["province_officer"])
    url = f"/campaigns/{c.id}/status"
    impossible = vi("A campaign goes from draft to active to closed; that change is not possible now.")

    def move(status: str):
        response = client.post(url, data={"status": status}, follow_redirects=True)
        db.session.expire_all()
        return response, db.session.get(Campaign, c.id).status

    response, now = move("closed")  # a draft is opened before it is closed
    assert now == "draft" and impossible in response.get_data(as_text=True)
    response, now = move("active")
    assert response.status_code == 200 and response.request.path == f"/campaigns/{c.id}"
    assert now == "active" and vi("The campaign is now: %(status)s.", status=vi("Active")) in response.get_data(
        as_text=True)
    response, now = move("active")
    assert now == "active" and impossible in response.get_data(as_text=True)
    response, now = move("closed")
    assert now == "closed" and 'name="status"' not in response.get_data(as_text=True)
    response, now = move("active")  # closed is final
    assert now == "closed" and impossible in response.get_data(as_text=True)
    assert [e.details for e in audit("campaign.status", c.id)] == [{"from": "draft", "to": "active"},
                                                                    {"from": "active", "to": "closed"}]


def test_cancel_removes_a_draft_with_its_targets(client, auth, world):
    c, own = world.campaign_own, world.own
    campaign_id, name = c.id, c.name
    factories.targets(c, "office", own.office.id, renewals=10)
    factories.targets(c, "commune", own.commune.id, renewals=4, conferences=2)
    own.event.campaign_id = campaign_id
    db.session.commit()
    auth.login(world.users["province_officer"])
    response = client.post(f"/campaigns/{campaign_id}/cancel")
    assert response.status_code == 303 and response.headers["Location"].endswith("/campaigns/")
    assert db.session.get(Campaign, campaign_id) is None and target_count(campaign_id) == 0
    assert db.session.scalar(select(Event.campaign_id).where(Event.id == own.event.id)) is None  # the event stays
    [entry] = audit("campaign.cancel", campaign_id)
    assert entry.details["targets"] == 3 and entry.details["name"] == name
    html = client.get("/campaigns/").get_data(as_text=True)
    assert vi("The campaign “%(name)s” was cancelled.", name=name) in html
    assert f'href="/campaigns/{campaign_id}"' not in html
    assert client.get(f"/campaigns/{campaign_id}").status_code == 404
    assert db.session.get(Campaign, world.campaign_far.id) is not None


def test_an_active_campaign_cannot_be_cancelled(client, auth, world):
    c = world.campaign_own
    c.status = "active"
    db.session.commit()
    factories.targets(c, "commune", world.own.commune.id, renewals=4)
    auth.login(world.users["admin"])
    response = client.post(f"/campaigns/{c.id}/cancel", follow_redirects=True)
    assert response.request.path == f"/campaigns/{c.id}"
    assert vi("Only a draft campaign can be cancelled; close an active one instead.") in response.get_data(
        as_text=True)
    assert db.session.get(Campaign, c.id).status == "active" and values(c.id) == {(world.own.commune.id,
                                                                                   "renewals"): 4}
    assert not audit("campaign.cancel")


@pytest.mark.parametrize("role", ["viewer", "agent", "local_officer"])
def test_only_planners_create_change_and_steer_campaigns(client, auth, world, role):
    c = world.campaign_own
    auth.login(world.users[role])
    wizard = {"province_id": str(world.own.province.id), "year": "2028", "basis": "fixed", "m_conferences": "2"}
    attempts = [
        client.get("/campaigns/new"),
        client.post("/campaigns/new", data=_form(world.own.province_office)),
        client.get(f"/campaigns/{c.id}/edit"),
        client.post(f"/campaigns/{c.id}/edit", data=_form(world.own.province_office, name="Đổi tên")),
        client.post(f"/campaigns/{c.id}/status", data={"status": "active"}),
        client.post(f"/campaigns/{c.id}/cancel"),
        client.post("/campaigns/may-wizard", data=wizard),
    ]
    assert [r.status_code for r in attempts] == [403] * len(attempts)
    db.session.expire_all()
    kept = db.session.get(Campaign, c.id)
    assert (kept.name, kept.status) == ("Tháng vận động BHXH toàn dân năm 2027", "draft")
    assert _campaign_count() == 2 and target_count() == 0
    assert not db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action.like("campaign.%")))
