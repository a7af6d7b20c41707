"""The contribution calculator: what a participant owes, what the state pays, what is left to pay.

BHXH tự nguyện (Law 41/2024, Decree 159/2025): the participant chooses a monthly income between the rural
poverty line and 20 × the base salary and contributes 22% of it. The state supports a share of 22% × the rural
poverty line for at most 120 months: the highest rate among the categories the person belongs to. A province may
add its own top-up on the same basis. Payment modes cover 1, 3, 6 or 12 months, a lump sum for whole future
years (12, 24, 36, 48 or 60 months), discounted at the rate BHXH Việt Nam publishes, or a lump sum for a missing
period of up to 5 years at retirement age (no state support). While no discount rate is entered the advance lump
sum is refused: quoting it undiscounted would overstate what the participant owes.

BHYT hộ gia đình (Decree 188/2025): paid for 3, 6 or 12 months at a time; the first member pays 4.5% of the base
salary a month; the second 70%, the third 60%, the fourth 50%, the fifth and later 40% of the first member's
amount. People of poor and near-poor households are not sold it: the state budget pays (or mostly pays) their
health insurance.

A parameter value marked unconfirmed (the 2027 poverty line as the minimum chosen income) is used, but the quote
carries a warning, and a chosen income below an unconfirmed minimum is accepted down to the last confirmed one.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select

from ..extensions import db
from .models import PolicyValue
from .parameters import CATEGORIES

#: mode -> (allowed month counts, state support applies)
MODES: dict[str, tuple[range, bool]] = {
    "monthly": (range(1, 2), True),
    "every_3_months": (range(3, 4), True),
    "every_6_months": (range(6, 7), True),
    "every_12_months": (range(12, 13), True),
    "advance_lump_sum": (range(12, 61, 12), True),  # whole years, up to 5
    "arrears_lump_sum": (range(1, 61), False),
}
DEFAULT_MONTHS = {"monthly": 1, "every_3_months": 3, "every_6_months": 6, "every_12_months": 12}
#: Months household health insurance is paid for at a time.
BHYT_MONTHS = (3, 6, 12)
#: Categories whose health insurance the state budget pays (poor) or mostly pays (near-poor).
BUDGET_PAID_BHYT = ("poor", "near_poor")


class PolicyError(ValueError):
    """Input the calculator cannot accept (``code`` names the problem, ``params`` its figures)."""

    def __init__(self, code: str, message: str, **params):
        super().__init__(message)
        self.code = code
        self.params = params


def dong(value: Decimal) -> int:
    """Round to whole đồng, halves up."""
    return int(value.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


class Parameters:
    """Parameter values in force on one date (read once from the database)."""

    def __init__(self, on: date):
        self.on = on
        rows = db.session.execute(
            select(PolicyValue.key, PolicyValue.value, PolicyValue.effective_from, PolicyValue.confirmed)
            .where(PolicyValue.effective_from <= on)
            .order_by(PolicyValue.key, PolicyValue.effective_from)
        ).all()
        self.values: dict[str, Decimal] = {}
        self.since: dict[str, date] = {}
        #: Keys whose value in force is not confirmed.
        self.unconfirmed: set[str] = set()
        #: The latest confirmed value of each key on the date.
        self.confirmed: dict[str, Decimal] = {}
        #: Keys read so far (the quote warns about the unconfirmed ones among them).
        self.used: list[str] = []
        for key, value, since, confirmed in rows:  # later dates overwrite earlier ones
            self.values[key] = Decimal(value)
            self.since[key] = since
            if confirmed:
                self.confirmed[key] = Decimal(value)
                self.unconfirmed.discard(key)
            else:
                self.unconfirmed.add(key)

    def __getitem__(self, key: str) -> Decimal:
        try:
            value = self.values[key]
        except KeyError:
            raise PolicyError("missing_parameter",
                              f"No value of {key} is in force on {self.on:%d/%m/%Y}; "
                              "run `flask --app portal policy seed` or add one.", key=key) from None
        if key not in self.used:
            self.used.append(key)
        return value

    def warnings(self) -> list[dict]:
        """One warning per unconfirmed value the quote used: its key, value and first day."""
        return [{"code": "unconfirmed", "key": key, "value": float(self.values[key]),
                 "from": self.since[key].isoformat()} for key in self.used if key in self.unconfirmed]


@dataclass
class BhxhTnQuote:
    """The amounts for one voluntary social insurance payment."""

    on: date
    income: int
    months: int
    mode: str
    category: str
    rate: Decimal
    min_income: int
    max_income: int
    monthly_contribution: int
    due: int
    support_rate: Decimal
    support_months: int
    support: int
    local_support_rate: Decimal
    local_support: int
    discount: int
    net: int
    #: Months of state support received before this payment, and left after it.
    support_months_used: int = 0
    support_months_left: int = 0
    #: What to check before relying on the figures (unconfirmed parameters), as codes with their figures.
    warnings: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["on"] = self.on.isoformat()
        for key in ("rate", "support_rate", "local_support_rate"):
            data[key] = float(data[key])
        return data


@dataclass
class BhytQuote:
    """The amounts for a household's health insurance."""

    on: date
    members: int
    months: int
    base_salary: int
    per_member_monthly: list[int] = field(default_factory=list)
    per_member: list[int] = field(default_factory=list)
    due: int = 0
    warnings: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["on"] = self.on.isoformat()
        return data


def support_rate_for(params: Parameters, categories: set[str], prefix: str = "support") -> Decimal:
    """The highest applicable rate among a person's categories ("other" always applies)."""
    applicable = (categories & set(CATEGORIES)) | {"other"}
    return max(params[f"{prefix}.{c}"] for c in applicable)


def bhxh_tn(
    on: date,
    *,
    income: int,
    categories: set[str] | str = "other",
    months: int | None = None,
    mode: str = "monthly",
    supported_months_used: int = 0,
) -> BhxhTnQuote:
    """Quote a voluntary social insurance payment. ``supported_months_used``: months of state support the person
    has already received (across sign-ups); support stops at the cap, for the months left."""
    if isinstance(categories, str):
        categories = {categories}
    unknown = categories - set(CATEGORIES)
    if unknown:
        raise PolicyError("category", f"Unknown category: {', '.join(sorted(unknown))}", category=sorted(unknown)[0])
    if mode not in MODES:
        raise PolicyError("mode", f"Unknown payment mode: {mode}", mode=mode)
    allowed, supported = MODES[mode]
    months = months if months is not None else DEFAULT_MONTHS.get(mode, 1)
    if mode == "advance_lump_sum" and months not in allowed:
        raise PolicyError("advance_months", f"An advance lump sum covers whole years (12 to 60 months), not "
                          f"{months} months", months=months)
    if months not in allowed:
        raise PolicyError("months", f"{months} months is not allowed for {mode}", months=months, mode=mode)
    params = Parameters(on)
    rate = params["bhxh_tn.rate"]
    poverty_line = params["rural_poverty_line"]
    min_income = dong(poverty_line)
    max_income = dong(params["base_salary"] * params["bhxh_tn.max_income_multiple"])
    floor = min_income
    if "rural_poverty_line" in params.unconfirmed and "rural_poverty_line" in params.confirmed:
        floor = min(min_income, dong(params.confirmed["rural_poverty_line"]))
    if not floor <= income <= max_income:
        raise PolicyError("income", f"The chosen income must be between {floor} and {max_income} đồng",
                          income=income, min_income=floor, max_income=max_income)
    monthly = dong(rate * income)
    gross = monthly * months
    support_months = 0
    support = local = 0
    support_rate = local_rate = Decimal(0)
    used = max(0, supported_months_used)
    cap = int(params["support.max_months"])
    if supported:
        remaining = max(0, cap - used)
        support_months = min(months, remaining)
        basis = rate * poverty_line
        support_rate = support_rate_for(params, categories)
        local_rate = support_rate_for(params, categories, prefix="local")
        support = dong(support_rate * basis) * support_months
        local = dong(local_rate * basis) * support_months
    discount = 0
    if mode == "advance_lump_sum":
        r = params["bhxh_tn.advance_discount_monthly"]
        if r <= 0:
            raise PolicyError("advance_discount", "No discount rate for advance payments is in force on "
                              f"{on:%d/%m/%Y}; the advance lump sum cannot be quoted without it.")
        present = sum(Decimal(monthly) / (1 + r) ** i for i in range(months))
        discount = gross - dong(present)
    net = max(0, gross - discount - support - local)
    warnings = params.warnings()
    if income < min_income:
        warnings.append({"code": "below_unconfirmed_minimum", "income": income, "min_income": min_income})
    return BhxhTnQuote(on=on, income=income, months=months, mode=mode, category=",".join(sorted(categories)),
                       rate=rate, min_income=min_income, max_income=max_income, monthly_contribution=monthly,
                       due=gross - discount, support_rate=support_rate, support_months=support_months,
                       support=support, local_support_rate=local_rate, local_support=local, discount=discount,
                       net=net, support_months_used=used, support_months_left=max(0, cap - used - support_months),
                       warnings=warnings)


def bhyt_hgd(on: date, *, members: int, months: int = 12, categories: set[str] | str = "other") -> BhytQuote:
    """Quote household health insurance for ``members`` people over ``months`` months (3, 6 or 12). Refused for
    people of poor or near-poor households (``categories``): the state budget pays for their card."""
    if isinstance(categories, str):
        categories = {categories}
    budget = [c for c in BUDGET_PAID_BHYT if c in categories]
    if budget:
        raise PolicyError("budget_paid", f"Health insurance of {budget[0]} households is paid by the state budget, "
                          "not as household health insurance", category=budget[0])
    if not 1 <= members <= 50:
        raise PolicyError("members", "A household has between 1 and 50 members", members=members)
    if months not in BHYT_MONTHS:
        raise PolicyError("bhyt_months", f"Household health insurance is paid for 3, 6 or 12 months, not {months}",
                          months=months)
    params = Parameters(on)
    base = params["base_salary"]
    first = params["bhyt.rate"] * base
    monthly = []
    for order in range(1, members + 1):
        share = Decimal(1) if order == 1 else params[f"bhyt.ladder.{min(order, 5)}"]
        monthly.append(dong(first * share))
    quote = BhytQuote(on=on, members=members, months=months, base_salary=dong(base),
                      per_member_monthly=monthly, per_member=[m * months for m in monthly],
                      warnings=params.warnings())
    quote.due = sum(quote.per_member)
    return quote
