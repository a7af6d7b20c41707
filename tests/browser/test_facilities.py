"""The facilities register in a browser: the active search without diacritics, and the initial clinic the
household health insurance form offers first."""

from __future__ import annotations

from sqlalchemy import select

from portal.auth import roles
from portal.extensions import db
from portal.policy.services import seed_shipped
from portal.results.models import SignUp

from .. import factories


def test_search_as_you_type_without_diacritics(page, world):
    own = world.own
    factories.make_facility(own.province, "Trạm Y tế xã Nghĩa Lộ Một", code="15101", commune=own.commune)
    factories.make_facility(own.province, "Bệnh viện Đa khoa khu vực Nghĩa Lộ", code="15001", level="district")
    page.login(world.users[roles.PROVINCE_OFFICER].username, factories.DEFAULT_PASSWORD)
    page.goto("/facilities/")
    p = page.page
    rows = p.locator("#results tbody tr")
    assert rows.count() == 2
    with page.answered():
        p.fill("input[name=q]", "benh vien")
    assert rows.count() == 1 and "Bệnh viện Đa khoa khu vực Nghĩa Lộ" in rows.first.inner_text()
    assert "q=benh%20vien" in p.url  # the search is in the address, for the back button and a bookmark
    page.screenshot("facilities-search")


def test_the_household_form_offers_the_commune_health_station(page, world):
    seed_shipped()
    own = world.own
    factories.under_way(own.event)
    station = factories.make_facility(own.province, "Trạm Y tế xã Nghĩa Lộ Một", code="15101", commune=own.commune)
    factories.make_facility(own.province, "Bệnh viện Đa khoa khu vực Nghĩa Lộ", code="15001", level="district")
    page.login(world.users[roles.LOCAL_OFFICER].username, factories.DEFAULT_PASSWORD)
    page.goto(f"/events/{own.event.id}/signups?person={own.person.id}")
    p = page.page
    p.click("details.household-bhyt summary")
    clinic = p.locator("#household-form select[name=facility_id]")
    clinic.wait_for()
    assert clinic.input_value() == str(station.id)
    page.screenshot("signups-initial-clinic")
    p.click("#household-form button[type=submit]")
    p.get_by_text("Đã ghi BHYT hộ gia đình").wait_for()
    db.session.rollback()  # a fresh look at what the server wrote
    assert db.session.scalar(select(SignUp.facility_id).where(SignUp.person_id == own.person.id)) == station.id
