"""Labels of the policy's values (support categories, payment modes), for pages, forms and documents."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

CATEGORY_LABELS = {
    "poor": _l("Poor household"),
    "near_poor": _l("Near-poor household"),
    "ethnic_minority": _l("Ethnic minority"),
    "island": _l("Island commune"),
    "other": lazy_pgettext("participant category", "Other"),
}

MODE_LABELS = {
    "monthly": _l("Monthly"),
    "every_3_months": _l("Every 3 months"),
    "every_6_months": _l("Every 6 months"),
    "every_12_months": _l("Every 12 months"),
    "advance_lump_sum": _l("Lump sum for future years (up to 5 years)"),
    "arrears_lump_sum": _l("Lump sum for a missing period (at retirement age)"),
}
