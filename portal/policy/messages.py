"""What the calculator's refusals and warnings say, with the figures that make them useful (the allowed range)."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from ..i18n.formatting import format_date, format_money
from .parameters import PARAMETERS

#: The form field each refusal belongs under.
FIELDS = {"income": "income", "months": "months", "members": "member_order", "mode": "mode",
          "bhyt_months": "months", "advance_months": "months", "advance_discount": "mode"}

#: Every refusal code the calculator raises (a caller turns them into sentences with ``policy_error_message``).
CODES = ("income", "months", "bhyt_months", "advance_months", "advance_discount", "budget_paid",
         "missing_parameter", "members", "mode", "category")


def policy_error_message(code: str, params: dict) -> str:
    """The sentence for a calculator refusal ``code`` with its ``params``."""
    if code == "income":
        return _("The chosen income must be between %(low)s and %(high)s.",
                 low=format_money(params["min_income"]), high=format_money(params["max_income"]))
    if code == "months":
        return _("This number of months is not allowed for the chosen payment mode.")
    if code == "bhyt_months":
        return _("Household health insurance is paid for 3, 6 or 12 months at a time.")
    if code == "advance_months":
        return _("An advance lump sum covers whole years: 12, 24, 36, 48 or 60 months.")
    if code == "advance_discount":
        return _("Paying future years in advance is discounted at the rate BHXH Việt Nam publishes; no rate is "
                 "entered for this date, so the amount cannot be calculated. An administrator must enter the rate.")
    if code == "budget_paid":
        if params.get("category") == "poor":
            return _("This person's household is poor: the state budget pays their health insurance. Do not sell "
                     "household health insurance; list them for the budget-paid card instead.")
        return _("This person's household is near-poor: the state budget pays most of their health insurance. Do "
                 "not sell household health insurance; list them for the budget-supported card instead.")
    if code == "missing_parameter":
        return _("A policy parameter has no value on this date; an administrator must add it.")
    if code == "members":
        return _("A household has between 1 and 50 members.")
    return _("The calculation could not be done with these inputs.")


def policy_warning_message(warning: dict) -> str:
    """The sentence for a warning a quote carries (``{"code": ..., figures}``)."""
    if warning["code"] == "below_unconfirmed_minimum":
        return _("The chosen income is below the expected minimum of %(amount)s, which is not yet confirmed: "
                 "check it before collecting.", amount=format_money(warning["min_income"]))
    key = warning.get("key", "")
    return _("%(parameter)s from %(day)s is expected but not yet confirmed: the amounts may change.",
             parameter=PARAMETERS.get(key, key), day=format_date(date.fromisoformat(warning["from"])))
