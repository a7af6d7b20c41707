"""Labels of the facility levels (the sign-up and person pages show them too)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

LEVEL_LABELS = {
    "central": _l("Central"),
    "province": _l("Province level"),
    "district": _l("District level"),
    "commune": _l("Commune level"),
    "other": _l("Other facility"),
}
