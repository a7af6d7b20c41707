"""Labels of the printed documents' choices, for pages and forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

AUDIENCE_LABELS = {
    "town": _l("Towns, stable income: the long-term value of a pension"),
    "low_income": _l("Low income: saving a little at a time"),
    "ethnic": _l("Ethnic minorities: short, plain, large type"),
}

#: The campaign metrics as the printed campaign report names them (Vietnamese, like the document).
METRIC_VI = {
    "new_bhxh_tn": "Người tham gia BHXH tự nguyện mới", "new_bhyt_hgd": "Người tham gia BHYT hộ gia đình mới",
    "renewals": "Người tái tục (BHXH tự nguyện, BHYT)", "conferences": "Hội nghị tuyên truyền đã tổ chức",
    "attendees": "Lượt người tham dự hội nghị",
}
