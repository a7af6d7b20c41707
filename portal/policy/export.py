"""The calculator's parameters as the phone needs them to compute an amount without signal (static/js/calc.js
does the same arithmetic as :mod:`.calculator`, from these values and rules only: one source of the figures).

Values are decimal strings, so that the phone computes exactly (rates as fractions, amounts in đồng). The
export says for which days it holds: from the latest change in force to the day before the next one (a sign-up
dated outside that span is calculated when it is sent)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from ..extensions import db
from .calculator import BHYT_MONTHS, BUDGET_PAID_BHYT, DEFAULT_MONTHS, MODES, Parameters
from .models import PolicyValue
from .parameters import CATEGORIES


def for_phone(on: date) -> dict:
    """Everything :func:`.calculator.bhxh_tn` and :func:`.calculator.bhyt_hgd` read, in force on ``on``."""
    params = Parameters(on)
    following = db.session.scalar(select(func.min(PolicyValue.effective_from)).where(PolicyValue.effective_from > on))
    return {
        "on": on.isoformat(),
        "valid_from": max(params.since.values()).isoformat() if params.since else on.isoformat(),
        "valid_until": following.isoformat() if following else None,  # the first day it no longer holds
        "values": {key: format(value, "f") for key, value in sorted(params.values.items())},
        "unconfirmed": sorted(params.unconfirmed),
        "confirmed": {key: format(params.confirmed[key], "f") for key in sorted(params.unconfirmed) if key in params.confirmed},
        "categories": list(CATEGORIES),
        "modes": {mode: {"months": list(allowed), "supported": supported} for mode, (allowed, supported) in MODES.items()},
        "default_months": DEFAULT_MONTHS,
        "bhyt_months": list(BHYT_MONTHS),
        "budget_paid": list(BUDGET_PAID_BHYT),
    }
