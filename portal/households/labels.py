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
