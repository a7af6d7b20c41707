"""Labels of the visits' values (outcomes, reasons, coverage), for pages, forms and reports."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

COVERAGE_LABELS = {
    "not_participating": _l("Not participating"),
    "stopped_paying": _l("Stopped paying"),
    "bhyt_expiring": _l("Health insurance card expiring"),
}

OUTCOME_LABELS = {
    "consulted": _l("Visited and consulted"),
    "not_home": _l("Not at home"),
    "interested": _l("Interested"),
    "invited": _l("Invited"),
    "declined": _l("Declined"),
    "already_insured": _l("Already insured"),
}

DECLINE_LABELS = {
    "no_money": _l("Cannot afford it"),
    "not_interested": _l("Not interested"),
    "too_old": _l("Too old to reach a pension"),
    "has_other_insurance": _l("Has other insurance"),
    "distrust": _l("Does not trust the scheme"),
    "away": _l("Works away from home"),
    "other": _l("Other reason"),
}
