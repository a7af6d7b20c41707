"""A sign-up typed without signal shows its amount as the agent types (the phone's calculator with the day's
parameters); the server computes it again on sync: the same amount is accepted, and a different one (the
parameters changed meanwhile) is refused with both amounts and nothing written."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from portal.auth import roles
from portal.extensions import db
from portal.households.models import Household, Person
from portal.i18n.formatting import format_money, local_today
from portal.policy.models import PolicyValue
from portal.results import services
from portal.results.models import SignUp

from .test_offline import _count, _day, _open_the_day, _pending, offline


def _net(person: Person, income: int, on: date) -> int:
    household = db.session.get(Household, person.household_id)
    return services.quote_for(person, household, scheme="bhxh_tn", on=on, income=income, mode="monthly",
                              months=None, member_order=None).net


def _type_income(phone, event_id: int, person: Person, income: str):
    phone.goto(f"/events/{event_id}/signups?person={person.id}")
    phone.page.wait_for_selector("#signup-form[data-calc]")
    phone.page.fill("#income", "")
    phone.page.type("#income", income)


def test_the_amount_is_computed_on_the_phone_and_checked_on_sync(phone, world):
    own = world.own
    _todo, guests = _day(world, households=2, invited=2)
    first, second = (db.session.scalars(select(Person).where(Person.household_id == g.id)).first() for g in guests)
    on = local_today()
    _open_the_day(phone, world.users[roles.AGENT])
    offline(phone, True)

    _type_income(phone, own.event.id, first, "1500000")
    box = phone.page.locator("#quote-box [data-calc=ok]")
    box.filter(has_text=format_money(_net(first, 1_500_000, on))).wait_for()
    phone.page.type("#income", "0")  # 15.000.000: the amount follows the typing
    box.filter(has_text=format_money(_net(first, 15_000_000, on))).wait_for()
    assert phone.page.input_value("#signup-form [name=expected_net]") == str(_net(first, 15_000_000, on))
    phone.screenshot("offline-signup-amount")
    phone.page.click("#signup-form button[type=submit]")
    _pending(phone, 1)

    offline(phone, False)
    phone.page.evaluate("window.dispatchEvent(new Event('online'))")
    _pending(phone, 0)
    assert _count(SignUp, SignUp.person_id == first.id, SignUp.net == _net(first, 15_000_000, on)) == 1

    offline(phone, True)
    _type_income(phone, own.event.id, second, "1500000")
    shown = _net(second, 1_500_000, on)
    box.filter(has_text=format_money(shown)).wait_for()
    phone.page.click("#signup-form button[type=submit]")
    _pending(phone, 1)
    # Meanwhile the office enters a higher state support from today: the server's amount is lower now.
    db.session.add(PolicyValue(key="support.other", value=Decimal("0.30"), effective_from=on, source="test"))
    db.session.commit()
    now = _net(second, 1_500_000, on)
    assert now != shown

    offline(phone, False)
    phone.page.evaluate("window.dispatchEvent(new Event('online'))")
    _pending(phone, 0)
    assert _count(SignUp, SignUp.person_id == second.id) == 0
    phone.goto("/offline")
    refused = phone.page.locator("#offline-results li.result-refused")
    refused.wait_for()
    reason = refused.inner_text()
    assert format_money(shown) in reason and format_money(now) in reason
