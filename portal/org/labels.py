"""Labels of the offices' and organisations' values, for pages and forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ORGANISATION_LABELS = {
    "post_office": _l("Post office"), "commune_committee": _l("Commune People's Committee"),
    "farmers_union": _l("Farmers' Union"), "women_union": _l("Women's Union"),
    "youth_union": _l("Youth Union"), "other": _l("Other"),
}

OFFICE_KIND_LABELS = {"province": _l("Province office"), "local": _l("BHXH cơ sở office")}
