"""Labels of the printed documents' choices, for pages and forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

AUDIENCE_LABELS = {
    "town": _l("Towns, stable income: the long-term value of a pension"),
    "low_income": _l("Low income: saving a little at a time"),
    "ethnic": _l("Ethnic minorities: short, plain, large type"),
}
