"""The parameters the calculator uses, with the values shipped with the portal and their legal sources.

Rates are fractions (0.22 = 22%); amounts are in đồng. An administrator adds new values with the date they
take effect; the shipped values below are loaded by ``flask --app portal policy seed``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l

#: State-support categories, in no particular order (the highest applicable rate is used).
CATEGORIES = ("poor", "near_poor", "ethnic_minority", "island", "other")

#: parameter key -> label
PARAMETERS = {
    "bhxh_tn.rate": _l("Voluntary social insurance rate (of chosen income)"),
    "rural_poverty_line": _l("Rural poverty line (minimum chosen income; basis of state support)"),
    "base_salary": _l("Base salary (lương cơ sở)"),
    "bhxh_tn.max_income_multiple": _l("Maximum chosen income, in multiples of the base salary"),
    "support.poor": _l("State support: poor household"),
    "support.near_poor": _l("State support: near-poor household"),
    "support.ethnic_minority": _l("State support: ethnic minority"),
    "support.island": _l("State support: island commune"),
    "support.other": _l("State support: other participants"),
    "support.max_months": _l("State support: maximum number of months"),
    "local.poor": _l("Local top-up: poor household"),
    "local.near_poor": _l("Local top-up: near-poor household"),
    "local.ethnic_minority": _l("Local top-up: ethnic minority"),
    "local.island": _l("Local top-up: island commune"),
    "local.other": _l("Local top-up: other participants"),
    "bhxh_tn.advance_discount_monthly": _l("Monthly discount rate for paying future years in advance"),
    "bhyt.rate": _l("Household health insurance: first member, share of base salary"),
    "bhyt.ladder.2": _l("Household health insurance: second member, share of the first member's amount"),
    "bhyt.ladder.3": _l("Household health insurance: third member, share of the first member's amount"),
    "bhyt.ladder.4": _l("Household health insurance: fourth member, share of the first member's amount"),
    "bhyt.ladder.5": _l("Household health insurance: fifth and later members, share of the first member's amount"),
}


@dataclass(frozen=True)
class Shipped:
    """A value shipped with the portal."""

    key: str
    value: Decimal
    effective_from: date
    source: str
    note: str | None = None
    #: False for a value announced but not confirmed as law (quotes warn, leaflets say "dự kiến").
    confirmed: bool = True


def _d(value: str) -> Decimal:
    return Decimal(value)


LAW_41 = "Luật BHXH số 41/2024/QH15, điều 31, 32, 36"
D159 = "Nghị định 159/2025/NĐ-CP"
D134 = "Nghị định 134/2015/NĐ-CP"
D188 = "Nghị định 188/2025/NĐ-CP, điều 6"
START = date(2018, 1, 1)

SHIPPED: list[Shipped] = [
    Shipped("bhxh_tn.rate", _d("0.22"), START, "Luật BHXH số 58/2014/QH13, điều 87"),
    Shipped("bhxh_tn.rate", _d("0.22"), date(2025, 7, 1), LAW_41),
    Shipped("rural_poverty_line", _d("700000"), START, "Quyết định 59/2015/QĐ-TTg"),
    Shipped("rural_poverty_line", _d("1500000"), date(2022, 1, 1),
            "Nghị định 07/2021/NĐ-CP; kéo dài đến 31/12/2026 bởi Nghị định 351/2025/NĐ-CP"),
    Shipped("rural_poverty_line", _d("2200000"), date(2027, 1, 1), "Nghị định 351/2025/NĐ-CP",
            "Chuẩn nghèo nông thôn 2027–2030; việc BHXH dùng làm mức thu nhập tối thiểu chưa được xác nhận.",
            confirmed=False),
    Shipped("base_salary", _d("1300000"), START, "Nghị định 47/2017/NĐ-CP", "Áp dụng từ 1/7/2017."),
    Shipped("base_salary", _d("1390000"), date(2018, 7, 1), "Nghị định 72/2018/NĐ-CP"),
    Shipped("base_salary", _d("1490000"), date(2019, 7, 1), "Nghị định 38/2019/NĐ-CP"),
    Shipped("base_salary", _d("1800000"), date(2023, 7, 1), "Nghị định 24/2023/NĐ-CP"),
    Shipped("base_salary", _d("2340000"), date(2024, 7, 1), "Nghị định 73/2024/NĐ-CP"),
    Shipped("base_salary", _d("2530000"), date(2026, 7, 1), "Nghị định 161/2026/NĐ-CP"),
    Shipped("bhxh_tn.max_income_multiple", _d("20"), START, "Luật BHXH số 58/2014/QH13, điều 87"),
    Shipped("bhxh_tn.max_income_multiple", _d("20"), date(2025, 7, 1), "Luật BHXH số 41/2024/QH15, điều 31, 141"),
    Shipped("support.poor", _d("0.30"), START, D134),
    Shipped("support.near_poor", _d("0.25"), START, D134),
    Shipped("support.ethnic_minority", _d("0.10"), START, D134, "Trước 1/7/2025 không có mức riêng."),
    Shipped("support.island", _d("0.10"), START, D134, "Trước 1/7/2025 không có mức riêng."),
    Shipped("support.other", _d("0.10"), START, D134),
    Shipped("support.poor", _d("0.50"), date(2025, 7, 1), D159),
    Shipped("support.island", _d("0.50"), date(2025, 7, 1), D159),
    Shipped("support.near_poor", _d("0.40"), date(2025, 7, 1), D159),
    Shipped("support.ethnic_minority", _d("0.30"), date(2025, 7, 1), D159),
    Shipped("support.other", _d("0.20"), date(2025, 7, 1), D159),
    Shipped("support.max_months", _d("120"), date(2025, 7, 1), D159),
    Shipped("support.max_months", _d("120"), START, D134),
    *[Shipped(f"local.{c}", _d("0"), START, "Ngân sách địa phương (không có hỗ trợ thêm)",
              "Tỉnh có chính sách hỗ trợ thêm thì nhập tỷ lệ và ngày hiệu lực.") for c in CATEGORIES],
    Shipped("bhxh_tn.advance_discount_monthly", _d("0"), START, "BHXH Việt Nam công bố hằng năm",
            "Chưa nhập lãi suất chiết khấu: chưa tính được số tiền đóng một lần cho nhiều năm về sau."),
    Shipped("bhyt.rate", _d("0.045"), START, "Luật BHYT; Nghị định 146/2018/NĐ-CP"),
    Shipped("bhyt.ladder.2", _d("0.70"), START, "Nghị định 146/2018/NĐ-CP; giữ nguyên tại " + D188),
    Shipped("bhyt.ladder.3", _d("0.60"), START, "Nghị định 146/2018/NĐ-CP; giữ nguyên tại " + D188),
    Shipped("bhyt.ladder.4", _d("0.50"), START, "Nghị định 146/2018/NĐ-CP; giữ nguyên tại " + D188),
    Shipped("bhyt.ladder.5", _d("0.40"), START, "Nghị định 146/2018/NĐ-CP; giữ nguyên tại " + D188),
]
