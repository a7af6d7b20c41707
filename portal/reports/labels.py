"""Names of report figures: translated for pages, and in Vietnamese for spreadsheets and printed reports."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from ..campaigns.models import METRICS
from ..events.models import LEAFLET_AUDIENCES
from ..households.models import POTENTIAL_GROUPS
from ..printing.text import DocumentWords
from .funnel import NO_AUDIENCE, STEPS

STEP_LABELS = {
    "listed": _l("Listed"),
    "visited": _l("Visited"),
    "invited": _l("Invited"),
    "attended": _l("Attended"),
    "signed_up": _l("Signed up"),
}
AUDIENCE_LABELS = {
    "town": _l("Towns, stable income"),
    "low_income": _l("Low income"),
    "ethnic": _l("Ethnic minorities"),
    NO_AUDIENCE: _l("No leaflet variant chosen"),
}
LEVEL_LABELS = {"office": _l("Office"), "commune": _l("Commune"), "agent": _l("Collection agent"),
                "event": _l("Event")}

#: Spreadsheets and printed reports are in Vietnamese whatever the interface language (document words: each
#: lookup answers in the document's locale).
METRIC_VI = DocumentWords({
    "new_bhxh_tn": lazy_pgettext("document", "New voluntary social insurance participants (figure)"),
    "new_bhyt_hgd": lazy_pgettext("document", "New household health insurance participants (figure)"),
    "renewals": lazy_pgettext("document", "Renewals"),
    "conferences": lazy_pgettext("document", "Conferences held"),
    "attendees": lazy_pgettext("document", "Conference attendees"),
})
METRIC_SHORT_VI = DocumentWords({
    "new_bhxh_tn": lazy_pgettext("document", "New BHXH TN"), "new_bhyt_hgd": lazy_pgettext("document", "New BHYT HGD"),
    "renewals": lazy_pgettext("document", "Renewals"), "conferences": lazy_pgettext("document", "Conferences"),
    "attendees": lazy_pgettext("document", "Attendees")})
STEP_VI = DocumentWords({
    "listed": lazy_pgettext("document", "On the list"), "visited": lazy_pgettext("document", "Visited"),
    "invited": lazy_pgettext("document", "Invited"), "attended": lazy_pgettext("document", "Attended"),
    "signed_up": lazy_pgettext("document", "Signed up")})
GROUP_VI = DocumentWords({
    "household_business": lazy_pgettext("document", "Household businesses"),
    "small_trader": lazy_pgettext("document", "Small traders"),
    "craft_village": lazy_pgettext("document", "Craft village workers"),
    "contract_ended": lazy_pgettext("document", "Workers whose labour contract was suspended or ended"),
    "near_poor": lazy_pgettext("document", "Near-poor households"),
})
AUDIENCE_VI = DocumentWords({
    "town": lazy_pgettext("document", "Towns, stable income"), "low_income": lazy_pgettext("document", "Low income"),
    "ethnic": lazy_pgettext("document", "Ethnic minority people"), NO_AUDIENCE: lazy_pgettext("document", "No leaflet variant chosen")})
LEVEL_VI = DocumentWords({
    "office": lazy_pgettext("document", "Social security office"), "commune": lazy_pgettext("document", "Commune, ward"),
    "agent": lazy_pgettext("document", "Collection agent"), "event": lazy_pgettext("document", "Activity"),
    "organisation": lazy_pgettext("document", "Collection service organisation"),
    "hamlet": lazy_pgettext("document", "Hamlet, residential group")})
LEVEL_IN_VI = DocumentWords({
    "office": lazy_pgettext("document", "social security office"), "commune": lazy_pgettext("document", "commune, ward"),
    "agent": lazy_pgettext("document", "collection agent"), "event": lazy_pgettext("document", "activity"),
    "organisation": lazy_pgettext("document", "collection service organisation"),
    "hamlet": lazy_pgettext("document", "hamlet, residential group")})

assert set(METRIC_VI) == set(METRICS) and set(STEP_VI) == set(STEPS) == set(STEP_LABELS)
assert set(GROUP_VI) == set(POTENTIAL_GROUPS)
assert set(AUDIENCE_VI) == set(AUDIENCE_LABELS) == {*LEAFLET_AUDIENCES, NO_AUDIENCE}

#: The periods of the periodic results report (``periodic.PERIODS``).
PERIOD_LABELS = {"week": _l("Week"), "month": _l("Month")}
