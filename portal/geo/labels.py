"""Labels of the geography's values (the commune pages, the household search and the reports show them)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .models import COMMUNE_FACTS

FACT_LABELS = {
    "island": _l("Island commune or special zone"),
    "escaped_poverty": _l("Escaped poverty"),
    "new_rural": _l("Meets the new-rural standard"),
}
#: The search filter's wording: people who live in such communes.
FACT_FILTER_LABELS = {
    "island": _l("In island communes"),
    "escaped_poverty": _l("In communes that escaped poverty"),
    "new_rural": _l("In new-rural communes"),
}
assert set(FACT_LABELS) == set(FACT_FILTER_LABELS) == set(COMMUNE_FACTS)
