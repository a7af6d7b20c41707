"""The sign-up quote follows the contribution rules: budget-paid BHYT, island communes, the 120-month cap."""

from __future__ import annotations

from datetime import date

import pytest

from portal.extensions import db
from portal.policy.services import seed_shipped
from portal.results import services

from .test_services import _household

DAY = date(2026, 5, 10)


@pytest.fixture
def policy(world):
    seed_shipped()
    db.session.commit()


@pytest.mark.parametrize("poverty", ["poor", "near_poor"])
def test_bhyt_of_poor_and_near_poor_people_is_refused_as_budget_paid(world, policy, poverty):
    household, person = _household(world.own.hamlet, "Lò Văn Pành", poverty=poverty)
    with pytest.raises(services.calculator.PolicyError) as info:
        services.quote_for(person, household, scheme="bhyt_hgd", on=DAY, income=None, mode=None, months=12,
                           member_order=1)
    assert info.value.code == "budget_paid"
    with pytest.raises(services.ResultsError) as refused:
        services.record_household_bhyt([person], kind="new", signed_on=DAY, months=12,
                                       user=world.users["local_officer"], event=world.own.event)
    assert refused.value.code == "budget_paid"
    # Their voluntary social insurance is sold, with the support of their category.
    quote = services.quote_for(person, household, scheme="bhxh_tn", on=DAY, income=1_500_000, mode="monthly",
                               months=None, member_order=None)
    assert quote.support == (165_000 if poverty == "poor" else 132_000)


def test_bhyt_sign_up_for_3_6_or_12_months_only(world, policy):
    _household_, person = _household(world.own.hamlet, "Đỗ Văn Bình")
    with pytest.raises(services.ResultsError) as info:
        services.record_signup(person, scheme="bhyt_hgd", kind="new", signed_on=DAY, user=world.users["agent"],
                               member_order=1, months=1)
    assert info.value.code == "bhyt_months"


def test_island_commune_gets_the_island_rate(world, policy):
    household, person = _household(world.own.hamlet, "Nguyễn Văn Đảo")
    plain = services.quote_for(person, household, scheme="bhxh_tn", on=DAY, income=1_500_000, mode="monthly",
                               months=None, member_order=None)
    assert plain.support == 66_000  # 20%
    world.own.commune.island = True
    db.session.commit()
    island = services.quote_for(person, household, scheme="bhxh_tn", on=DAY, income=1_500_000, mode="monthly",
                                months=None, member_order=None)
    assert (island.support, island.net) == (165_000, 165_000)  # 50% of 330.000


def test_the_120_months_are_counted_across_sign_ups(world, policy):
    user = world.users["local_officer"]
    household, person = _household(world.own.hamlet, "Trần Văn Cần")
    for year in range(9):  # 108 months of supported payments
        services.record_signup(person, scheme="bhxh_tn", kind="renewal", signed_on=date(2018 + year, 1, 10),
                               user=user, income=1_500_000, mode="every_12_months")
    # An adjustment pays for no month and a BHYT card is not state support of BHXH TN.
    services.record_signup(person, scheme="bhxh_tn", kind="adjustment", signed_on=date(2025, 5, 10), user=user,
                           income=2_000_000, mode="monthly")
    db.session.commit()
    assert services.supported_months_used(person.id) == 108
    before = services.quote_for(person, household, scheme="bhxh_tn", on=DAY, income=1_500_000,
                                mode="every_6_months", months=None, member_order=None)
    assert (before.support, before.support_months_left) == (6 * 66_000, 6)
    # 114 used; the next 12-month payment reaches the cap after 6 months: support for those 6 only.
    services.record_signup(person, scheme="bhxh_tn", kind="renewal", signed_on=date(2025, 11, 10), user=user,
                           income=1_500_000, mode="every_6_months")
    signup, _new = services.record_signup(person, scheme="bhxh_tn", kind="renewal", signed_on=DAY, user=user,
                                          income=1_500_000, mode="every_12_months")
    assert (signup.support, signup.net) == (6 * 66_000, 12 * 330_000 - 6 * 66_000)
    after = services.quote_for(person, household, scheme="bhxh_tn", on=date(2027, 5, 10), income=1_500_000,
                               mode="monthly", months=None, member_order=None)
    assert (after.support, after.net, after.support_months_left) == (0, 330_000, 0)
