"""The contribution rules to the letter: BHYT periods, budget-paid BHYT, advance lump sums in whole years,
unconfirmed parameters, the 120-month cap on state support, the base salary's history."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from portal.extensions import db
from portal.policy import calculator
from portal.policy.messages import policy_error_message, policy_warning_message
from portal.policy.models import PolicyValue
from portal.policy.services import seed_shipped, set_value

ON = date(2026, 3, 1)


@pytest.fixture
def policy(app):
    seed_shipped()
    db.session.commit()


@pytest.mark.parametrize("months", [1, 2, 4, 5, 7, 9, 11, 24])
def test_bhyt_hgd_is_refused_for_other_periods(policy, months):
    with pytest.raises(calculator.PolicyError) as info:
        calculator.bhyt_hgd(ON, members=1, months=months)
    assert info.value.code == "bhyt_months"


@pytest.mark.parametrize("months", [3, 6, 12])
def test_bhyt_hgd_for_3_6_or_12_months(policy, months):
    assert calculator.bhyt_hgd(ON, members=1, months=months).due == 105_300 * months


def test_refusals_are_said_in_vietnamese(policy, app):
    with app.test_request_context(headers={"Accept-Language": "vi"}):
        assert policy_error_message("bhyt_months", {}) == (
            "Bảo hiểm y tế hộ gia đình đóng theo kỳ 3, 6 hoặc 12 tháng một lần.")
        assert "12, 24, 36, 48 hoặc 60 tháng" in policy_error_message("advance_months", {})
        assert "ngân sách nhà nước" in policy_error_message("budget_paid", {"category": "poor"})
        assert "cận nghèo" in policy_error_message("budget_paid", {"category": "near_poor"})
        assert "chiết khấu" in policy_error_message("advance_discount", {})


@pytest.mark.parametrize("category", ["poor", "near_poor"])
def test_bhyt_of_poor_and_near_poor_households_is_budget_paid(policy, category):
    with pytest.raises(calculator.PolicyError) as info:
        calculator.bhyt_hgd(ON, members=1, months=12, categories={"other", category})
    assert (info.value.code, info.value.params["category"]) == ("budget_paid", category)
    assert calculator.bhyt_hgd(ON, members=1, months=12, categories={"ethnic_minority"}).due == 105_300 * 12


@pytest.mark.parametrize("months", [1, 6, 7, 13, 18, 61, 72])
def test_advance_lump_sum_takes_whole_years_only(policy, months):
    with pytest.raises(calculator.PolicyError) as info:
        calculator.bhxh_tn(ON, income=1_500_000, mode="advance_lump_sum", months=months)
    assert info.value.code == "advance_months"


@pytest.mark.parametrize("months", [12, 24, 36, 48, 60])
def test_advance_lump_sum_without_a_published_rate_is_refused(policy, months):
    with pytest.raises(calculator.PolicyError) as info:
        calculator.bhxh_tn(ON, income=1_500_000, mode="advance_lump_sum", months=months)
    assert info.value.code == "advance_discount"


def test_advance_lump_sum_with_a_rate_is_discounted(policy):
    db.session.add(PolicyValue(key="bhxh_tn.advance_discount_monthly", value=Decimal("0.004"),
                               effective_from=date(2026, 1, 1), source="Công văn BHXH Việt Nam (thử)"))
    db.session.commit()
    quote = calculator.bhxh_tn(ON, income=1_500_000, mode="advance_lump_sum", months=60)
    assert quote.support_months == 60 and 0 < quote.discount < 60 * 330_000
    assert quote.due == 60 * 330_000 - quote.discount


def test_unconfirmed_values_warn_and_confirmed_ones_do_not(policy, app):
    assert calculator.bhxh_tn(date(2026, 12, 31), income=1_500_000).warnings == []
    quote = calculator.bhxh_tn(date(2027, 1, 1), income=2_200_000)
    assert quote.warnings == [{"code": "unconfirmed", "key": "rural_poverty_line", "value": 2_200_000.0,
                               "from": "2027-01-01"}]
    with app.test_request_context(headers={"Accept-Language": "vi"}):
        assert "chưa được xác nhận" in policy_warning_message(quote.warnings[0])
    # An administrator confirms it: the warning goes.
    set_value(key="rural_poverty_line", value=Decimal("2200000"), effective_from=date(2027, 1, 1),
              source="Nghị định 351/2025/NĐ-CP", note=None, user=_admin(), confirmed=True)
    db.session.commit()
    assert calculator.bhxh_tn(date(2027, 1, 1), income=2_200_000).warnings == []
    with pytest.raises(calculator.PolicyError):  # confirmed: the minimum is enforced again
        calculator.bhxh_tn(date(2027, 1, 1), income=1_500_000)


def _admin():
    from tests.factories import make_user

    return make_user("admin", username="policy-admin")


def test_support_stops_at_the_cap_mid_payment(policy):
    quote = calculator.bhxh_tn(ON, income=1_500_000, mode="every_6_months", supported_months_used=117)
    assert (quote.support_months, quote.support, quote.support_months_left) == (3, 3 * 66_000, 0)
    assert quote.net == 6 * 330_000 - 3 * 66_000
    fresh = calculator.bhxh_tn(ON, income=1_500_000, mode="every_12_months")
    assert (fresh.support_months_used, fresh.support_months_left) == (0, 108)
    spent = calculator.bhxh_tn(ON, income=1_500_000, supported_months_used=120)
    assert (spent.support, spent.net, spent.support_months_left) == (0, 330_000, 0)


@pytest.mark.parametrize(("day", "amount"), [
    (date(2018, 6, 30), 1_300_000), (date(2018, 7, 1), 1_390_000), (date(2019, 6, 30), 1_390_000),
    (date(2019, 7, 1), 1_490_000), (date(2023, 6, 30), 1_490_000), (date(2023, 7, 1), 1_800_000),
    (date(2024, 7, 1), 2_340_000), (date(2026, 7, 1), 2_530_000),
])
def test_base_salary_history(policy, day, amount):
    assert calculator.bhyt_hgd(day, members=1).base_salary == amount


def test_cli_keeps_its_shape_and_says_errors_on_stderr(runner, policy):
    result = runner.invoke(args=["policy", "calc", "--date", "2026-11-22", "--scheme", "bhxh_tn", "--income",
                                 "1500000", "--supported-months-used", "115", "--mode", "every_6_months"])
    data = json.loads(result.stdout)
    assert {"due", "support", "net", "support_months", "min_income", "max_income"} <= set(data)
    assert (data["support_months"], data["support_months_left"], data["warnings"]) == (5, 0, [])
    refused = runner.invoke(args=["policy", "calc", "--date", "2026-11-22", "--scheme", "bhyt_hgd", "--members",
                                  "2", "--months", "1"])
    assert refused.exit_code != 0 and refused.stdout == ""
    assert "3, 6 or 12 months" in refused.stderr
    poor = runner.invoke(args=["policy", "calc", "--date", "2026-11-22", "--scheme", "bhyt_hgd", "--members", "1",
                               "--category", "poor"])
    assert poor.exit_code != 0 and "state budget" in poor.stderr
