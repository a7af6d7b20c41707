"""The phone's calculator (static/js/calc.js, run in Chromium) gives exactly what the Python calculator gives,
from the parameters the server exports: each scheme, support group, payment mode and months, the 120-month
cap, local top-ups, advance lump sums, the BHYT ladder, the unconfirmed 2027 minimum, rounding halves up, and
the same refusals."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from portal.extensions import db
from portal.policy import calculator, export
from portal.policy.models import PolicyValue
from portal.policy.services import seed_shipped

CALC = Path(__file__).resolve().parents[2] / "portal" / "static" / "js" / "calc.js"
#: Days with different parameters: the old support rates, after 1/7/2025, after the base salary of 1/7/2026 (with
#: a local top-up and an advance discount entered), and 2027 (the unconfirmed poverty line as the minimum).
DAYS = (date(2025, 3, 10), date(2025, 8, 1), date(2026, 9, 15), date(2027, 2, 1))
GROUPS = (["other"], ["poor"], ["near_poor"], ["ethnic_minority"], ["island"], ["near_poor", "ethnic_minority"],
          ["poor", "island", "ethnic_minority"], ["martian"])
#: Incomes: the minimum, halves that round up (22% of ...25 ends in ,5), odd amounts, the maximum and beyond.
INCOMES = (0, 700_000, 1_499_999, 1_500_000, 1_500_025, 1_733_333, 2_200_000, 2_345_675, 12_345_678, 46_800_000,
           50_600_000, 50_600_001)
MODES = (("monthly", None), ("monthly", 2), ("every_3_months", None), ("every_6_months", 6), ("every_12_months", 12),
         ("advance_lump_sum", 24), ("advance_lump_sum", 60), ("advance_lump_sum", 18), ("arrears_lump_sum", 7),
         ("arrears_lump_sum", 61), ("weekly", None))


@pytest.fixture
def parameters(app):
    seed_shipped()
    for key, value in (("local.poor", "0.15"), ("local.other", "0.025"),
                       ("bhxh_tn.advance_discount_monthly", "0.0045")):
        db.session.add(PolicyValue(key=key, value=Decimal(value), effective_from=date(2026, 9, 1), source="test"))
    db.session.commit()
    return {day: export.for_phone(day) for day in DAYS}


def _python(fn, **kwargs) -> dict:
    try:
        return {k: v for k, v in asdict(fn(**kwargs)).items() if k not in ("on", "rate", "support_rate",
                                                                           "local_support_rate", "category")}
    except calculator.PolicyError as exc:
        return {"error": exc.code, "params": exc.params}


def _cases():
    for day in DAYS:
        for groups in GROUPS:
            for income in INCOMES:
                for mode, months in MODES:
                    for used in (0, 115):
                        yield day, "bhxhTn", {"income": income, "categories": groups, "mode": mode, "months": months,
                                              "supportedMonthsUsed": used}
        for groups in (["other"], ["poor"], ["near_poor"], ["ethnic_minority"]):
            for members in (0, 1, 2, 3, 4, 5, 6, 9, 51):
                for months in (3, 6, 12, 4):
                    yield day, "bhyt", {"members": members, "months": months, "categories": groups}


def _expected(day, kind, case) -> dict:
    if kind == "bhxhTn":
        return _python(calculator.bhxh_tn, on=day, income=case["income"], categories=set(case["categories"]),
                       months=case["months"], mode=case["mode"], supported_months_used=case["supportedMonthsUsed"])
    return _python(calculator.bhyt_hgd, on=day, members=case["members"], months=case["months"],
                   categories=set(case["categories"]))


def _comparable(result: dict) -> dict:
    """Both sides' results with the warnings reduced to their codes and keys."""
    result = dict(result)
    result["warnings"] = sorted((w["code"], w.get("key", "")) for w in result.get("warnings", []))
    if "error" in result:
        params = {k: v for k, v in result["params"].items() if k in ("min_income", "max_income", "category")}
        return {"error": result["error"], "params": params}
    return result


def test_the_phone_computes_what_the_server_computes(browser, parameters):
    cases = list(_cases())
    expected = [_comparable(_expected(day, kind, case)) for day, kind, case in cases]
    assert {"error" in e for e in expected} == {True, False}
    assert any(e.get("discount") for e in expected) and any(e.get("local_support") for e in expected)
    page = browser.new_page()
    try:
        page.set_content("<!doctype html><title>calc</title>")
        page.add_script_tag(content=CALC.read_text(encoding="utf-8"))
        got = page.evaluate("""([cases, params]) => cases.map(([day, kind, input]) =>
            window.portalCalc[kind](params[day], input))""",
                            [[[day.isoformat(), kind, case] for day, kind, case in cases],
                             {day.isoformat(): p for day, p in parameters.items()}])
    finally:
        page.close()
    mismatches = [(cases[i], expected[i], _comparable(g)) for i, g in enumerate(got) if _comparable(g) != expected[i]]
    assert not mismatches, f"{len(mismatches)} of {len(cases)} differ, e.g. {mismatches[:3]}"


def test_the_export_says_for_which_days_it_holds(parameters):
    day = parameters[date(2026, 9, 15)]
    assert day["valid_from"] == "2026-09-01" and day["valid_until"] == "2027-01-01"
    assert day["values"]["base_salary"].startswith("2530000")
    assert parameters[date(2027, 2, 1)]["unconfirmed"] == ["rural_poverty_line"]
    assert parameters[date(2027, 2, 1)]["confirmed"]["rural_poverty_line"].startswith("1500000")
