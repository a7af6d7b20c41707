"""Labels of the results' values (channels, schemes, kinds), for pages, forms and reports of any package."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

#: Where a sign-up was made (``models.CHANNELS``): named once, with the plan's channels (campaigns sit below
#: results, and a target by channel uses the same words).
from ..campaigns.labels import CHANNEL_LABELS  # noqa: F401 (re-exported)

#: Where a sign-up stands (``models.SIGNUP_STATUSES``).
STATUS_LABELS = {
    "recorded": _l("Recorded"),
    "confirmed": _l("Confirmed"),
    "duplicate": _l("Duplicate (not counted)"),
}

#: Why two sign-ups clash (``clashes.Clash.reason``).
CLASH_LABELS = {
    "overlap": _l("pays for the same months"),
    "new_twice": _l("a second new enrolment in the same scheme"),
}

SCHEME_LABELS = {"bhxh_tn": _l("Voluntary social insurance"), "bhyt_hgd": _l("Household health insurance")}

KIND_LABELS = {"new": _l("New enrolment"), "renewal": _l("Renewal"), "adjustment": _l("Adjustment")}

EVIDENCE_LABELS = {"attendance": _l("Signed attendance sheet"), "signups": _l("Sign-up sheet"),
                   "other": _l("Other")}
