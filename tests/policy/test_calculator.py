"""The contribution calculator against DOMAIN.md's worked examples and the dates when values change."""

from __future__ import annotations

import json
from datetime import date

import pytest

from portal.extensions import db
from portal.policy import calculator
from portal.policy.services import seed_shipped


@pytest.fixture
def policy(app):
    seed_shipped()
    db.session.commit()


def test_worked_example_minimum_contribution(policy):
    quote = calculator.bhxh_tn(date(2026, 11, 22), income=1_500_000, categories="other")
    assert quote.due == 330_000
    assert quote.support == 66_000
    assert quote.net == 264_000


def test_worked_example_bhyt_ladder(policy):
    quote = calculator.bhyt_hgd(date(2026, 1, 15), members=5)
    assert quote.per_member_monthly == [105_300, 73_710, 63_180, 52_650, 42_120]
    assert quote.months == 12  # paid for 3, 6 or 12 months at a time; 12 unless said
    assert quote.due == 12 * sum([105_300, 73_710, 63_180, 52_650, 42_120])


@pytest.mark.parametrize(("category", "support"), [
    ("poor", 165_000), ("island", 165_000), ("near_poor", 132_000), ("ethnic_minority", 99_000), ("other", 66_000),
])
def test_support_by_category_after_july_2025(policy, category, support):
    assert calculator.bhxh_tn(date(2025, 7, 1), income=1_500_000, categories=category).support == support


def test_support_rates_change_on_1_july_2025(policy):
    before = calculator.bhxh_tn(date(2025, 6, 30), income=1_500_000, categories="near_poor")
    after = calculator.bhxh_tn(date(2025, 7, 1), income=1_500_000, categories="near_poor")
    assert (before.support, after.support) == (82_500, 132_000)  # 25% then 40% of 330.000
    # Before July 2025 ethnic minorities had no rate of their own: the general 10%.
    assert calculator.bhxh_tn(date(2025, 6, 30), income=1_500_000, categories="ethnic_minority").support == 33_000


def test_highest_applicable_rate_is_used(policy):
    quote = calculator.bhxh_tn(date(2026, 3, 1), income=2_000_000, categories={"ethnic_minority", "near_poor"})
    assert float(quote.support_rate) == pytest.approx(0.40)
    # Support is computed on the poverty line, not the chosen income.
    assert quote.support == 132_000
    assert quote.due == 440_000 and quote.net == 308_000


def test_base_salary_changes_on_1_july_2026(policy):
    assert calculator.bhyt_hgd(date(2026, 6, 30), members=1).per_member_monthly == [105_300]
    assert calculator.bhyt_hgd(date(2026, 7, 1), members=1).per_member_monthly == [113_850]
    assert calculator.bhxh_tn(date(2026, 6, 30), income=46_800_000).max_income == 46_800_000
    assert calculator.bhxh_tn(date(2026, 7, 1), income=50_600_000).max_income == 50_600_000
    with pytest.raises(calculator.PolicyError):
        calculator.bhxh_tn(date(2026, 6, 30), income=50_600_000)


def test_poverty_line_changes_on_1_january_2027(policy):
    dec = calculator.bhxh_tn(date(2026, 12, 31), income=2_200_000)
    jan = calculator.bhxh_tn(date(2027, 1, 1), income=2_200_000)
    assert dec.min_income == 1_500_000 and jan.min_income == 2_200_000
    assert dec.support == 66_000 and jan.support == 96_800  # 20% of 22% of the poverty line
    # The 2027 line as the minimum chosen income is not confirmed: below it is warned, not refused...
    below = calculator.bhxh_tn(date(2027, 1, 1), income=1_500_000)
    assert below.due == 330_000 and below.min_income == 2_200_000
    assert {w["code"] for w in below.warnings} == {"unconfirmed", "below_unconfirmed_minimum"}
    # ...down to the last confirmed minimum.
    with pytest.raises(calculator.PolicyError) as info:
        calculator.bhxh_tn(date(2027, 1, 1), income=1_400_000)
    assert info.value.code == "income" and info.value.params["min_income"] == 1_500_000


def test_payment_modes_and_the_120_month_cap(policy):
    quarter = calculator.bhxh_tn(date(2026, 3, 1), income=1_500_000, mode="every_3_months")
    assert (quarter.months, quarter.due, quarter.support, quarter.net) == (3, 990_000, 198_000, 792_000)
    capped = calculator.bhxh_tn(date(2026, 3, 1), income=1_500_000, mode="every_12_months", supported_months_used=115)
    assert capped.support_months == 5 and capped.support == 5 * 66_000
    arrears = calculator.bhxh_tn(date(2026, 3, 1), income=1_500_000, mode="arrears_lump_sum", months=24)
    assert arrears.support == 0 and arrears.due == 24 * 330_000
    with pytest.raises(calculator.PolicyError):
        calculator.bhxh_tn(date(2026, 3, 1), income=1_500_000, mode="every_6_months", months=5)


def test_advance_payment_is_discounted_when_a_rate_is_set(policy):
    from decimal import Decimal

    from portal.policy.models import PolicyValue

    with pytest.raises(calculator.PolicyError) as info:  # no rate entered: refused rather than overstated
        calculator.bhxh_tn(date(2026, 3, 1), income=1_500_000, mode="advance_lump_sum", months=12)
    assert info.value.code == "advance_discount"
    db.session.add(PolicyValue(key="bhxh_tn.advance_discount_monthly", value=Decimal("0.005"),
                               effective_from=date(2026, 1, 1), source="test"))
    db.session.commit()
    discounted = calculator.bhxh_tn(date(2026, 3, 1), income=1_500_000, mode="advance_lump_sum", months=12)
    assert 0 < discounted.discount < 12 * 330_000 * 0.05
    assert discounted.net == discounted.due - discounted.support


def test_local_top_up(policy):
    from decimal import Decimal

    from portal.policy.models import PolicyValue

    db.session.add(PolicyValue(key="local.poor", value=Decimal("0.10"), effective_from=date(2026, 1, 1),
                               source="Nghị quyết HĐND tỉnh (thử)"))
    db.session.commit()
    quote = calculator.bhxh_tn(date(2026, 3, 1), income=1_500_000, categories="poor")
    assert (quote.support, quote.local_support, quote.net) == (165_000, 33_000, 132_000)


def test_missing_parameters_are_reported(app):
    with pytest.raises(calculator.PolicyError) as info:
        calculator.bhxh_tn(date(2026, 3, 1), income=1_500_000)
    assert info.value.code == "missing_parameter"


def test_cli_prints_json(runner, policy):
    result = runner.invoke(args=["policy", "calc", "--date", "2026-11-22", "--scheme", "bhxh_tn", "--category",
                                 "other", "--income", "1500000", "--months", "1"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["due"], data["support"], data["net"]) == (330000, 66000, 264000)
    result = runner.invoke(args=["policy", "calc", "--date", "2026-01-15", "--scheme", "bhyt_hgd", "--members", "5"])
    data = json.loads(result.output)
    assert data["per_member_monthly"] == [105300, 73710, 63180, 52650, 42120]
    assert data["months"] == 12 and data["per_member"] == [12 * m for m in data["per_member_monthly"]]


def test_cli_rejects_an_income_out_of_range(runner, policy):
    result = runner.invoke(args=["policy", "calc", "--date", "2026-11-22", "--scheme", "bhxh_tn", "--income",
                                 "1000000"])
    assert result.exit_code != 0
    assert "between 1500000 and 50600000" in result.output


def test_seed_is_idempotent(runner):
    assert "added: 36" in runner.invoke(args=["policy", "seed"]).output
    assert "added: 0" in runner.invoke(args=["policy", "seed"]).output
