"""What the calculator's refusals say, with the figures that make them useful (the allowed income range)."""

from __future__ import annotations

from flask_babel import gettext as _

from ..i18n.formatting import format_money

#: The form field each refusal belongs under.
FIELDS = {"income": "income", "months": "months", "members": "member_order", "mode": "mode"}


def policy_error_message(code: str, params: dict) -> str:
    """The sentence for a calculator refusal ``code`` with its ``params``."""
    if code == "income":
        return _("The chosen income must be between %(low)s and %(high)s.",
                 low=format_money(params["min_income"]), high=format_money(params["max_income"]))
    if code == "months":
        return _("This number of months is not allowed for the chosen payment mode.")
    if code == "missing_parameter":
        return _("A policy parameter has no value on this date; an administrator must add it.")
    if code == "members":
        return _("A household has between 1 and 50 members.")
    return _("The calculation could not be done with these inputs.")
