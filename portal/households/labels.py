"""Labels of the households' values, for pages, forms and reports of any package."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

#: The potential groups a person is tagged with (``models.POTENTIAL_GROUPS``).
POTENTIAL_GROUP_LABELS = {
    "household_business": _l("Household business"),
    "small_trader": _l("Small trader"),
    "craft_village": _l("Craft village worker"),
    "contract_ended": _l("Labour contract suspended or ended"),
    "near_poor": _l("Near-poor household"),
}

POVERTY_LABELS = {"none": _l("Not poor"), "near_poor": _l("Near-poor household"), "poor": _l("Poor household")}

RELATION_LABELS = {"head": _l("Head of household"), "spouse": _l("Spouse"), "child": _l("Child"),
                   "parent": _l("Parent"), "sibling": _l("Sibling"), "grandchild": _l("Grandchild"),
                   "in_law": _l("Child-in-law"), "other": _l("Other")}

STATUS_LABELS = {"never": _l("Not participating"), "participating": _l("Participating"),
                 "stopped": _l("Stopped paying")}

SEX_LABELS = {"male": _l("Male"), "female": _l("Female")}

INCOME_LABELS = {"under_1_5m": _l("Under 1.5 million"), "1_5m_to_3m": _l("1.5 to 3 million"),
                 "3m_to_5m": _l("3 to 5 million"), "over_5m": _l("Over 5 million")}

#: Coverage filter of the search (voluntary insurance status, or compulsory insurance).
COVERAGE_FILTER_LABELS = {**STATUS_LABELS, "compulsory": _l("Compulsory insurance")}

BHYT_FILTER_LABELS = {"30": _l("Card expires within 30 days"), "60": _l("Card expires within 60 days"),
                      "90": _l("Card expires within 90 days"), "expired": _l("Card expired"),
                      "none": _l("No health insurance card")}

DUE_KIND_LABELS = {"paid_until": _l("Payment falls due"), "stopped": _l("Stopped paying"),
                   "bhyt_expiring": _l("Health insurance card expiring"),
                   "bhyt_expired": _l("Health insurance card expired")}

TAG_LABELS = POTENTIAL_GROUP_LABELS
