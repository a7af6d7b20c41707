"""A whole household's health insurance in one form, on a phone."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.auth import roles
from portal.extensions import db
from portal.policy.services import seed_shipped
from portal.results.models import SignUp

from .. import factories
from ..households.factories import add_person


def test_four_members_in_one_form_on_a_phone(phone, world):
    seed_shipped()
    own = world.own
    factories.under_way(own.event)
    household = db.session.get(type(own.household), own.household.id)
    for name in ("Lò Văn Một", "Lò Thị Hai", "Lò Văn Ba"):
        add_person(household, name, relation="child")
    officer = world.users[roles.LOCAL_OFFICER]
    phone.login(officer.username, factories.DEFAULT_PASSWORD)
    phone.goto(f"/events/{own.event.id}/signups?person={own.person.id}")
    p = phone.page
    p.click("details.household-bhyt summary")
    table = p.locator("table.ladder")
    table.wait_for()
    assert table.locator("tbody tr").count() == 4
    phone.screenshot("signups-household-phone")
    assert p.evaluate("document.documentElement.scrollWidth") <= 360
    p.click("#household-form button[type=submit]")
    p.get_by_text("Đã ghi BHYT hộ gia đình cho 4 thành viên").wait_for()
    db.session.rollback()  # a fresh look at what the server wrote
    assert db.session.scalar(select(func.count()).select_from(SignUp)) == 4
