"""Labels of the codes a person's data report shows (lazy for pages, plain strings for the PDF)."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from ..households.labels import (
    INCOME_LABELS,
    POVERTY_LABELS,
    RELATION_LABELS,
    SEX_LABELS,
    STATUS_LABELS,
    TAG_LABELS,
)
from ..results.labels import EVIDENCE_LABELS, SCHEME_LABELS
from ..results.labels import KIND_LABELS as SIGNUP_KIND_LABELS
from ..visits.labels import DECLINE_LABELS, OUTCOME_LABELS

#: A data subject's request: what it asks, where it stands, how it came (``models.REQUEST_KINDS`` ...).
REQUEST_KIND_LABELS = {"access": _l("Access to the data"), "correction": _l("Correction"), "deletion": _l("Deletion"),
                       "objection": _l("Objection to processing")}

REQUEST_STATUS_LABELS = {"received": _l("Received"), "acknowledged": _l("Acknowledged"), "done": _l("Answered"),
                         "refused": _l("Refused")}

CHANNEL_LABELS = {"in_person": _l("In person"), "letter": _l("Letter"), "phone": _l("Phone"), "email": _l("E-mail"),
                  "other": _l("Other")}

#: How an access-log entry reaches the person.
REACH_LABELS = {"direct": _l("About the person or household"), "document": _l("Document of an event they appear in"),
                "declaration": _l("Declaration list with their sign-up"),
                "evidence": _l("Evidence file of an event they appear in"),
                "list_export": _l("List export that may have included them")}
FIELD_LABELS = {"full_name": _l("Full name"), "sex": _l("Sex"), "date_of_birth": _l("Date of birth"),
                "cccd": _l("CCCD number"), "bhxh_code": _l("Social insurance code"), "phone": _l("Phone"),
                "relation_to_head": _l("Relation to the head"), "ethnicity": _l("Ethnicity"),
                "ethnic_minority": _l("Ethnic minority"), "occupation": _l("Occupation"),
                "income_band": _l("Monthly income"), "bhxh_tn_status": _l("Voluntary social insurance"),
                "paid_until": _l("Paid until"), "bhyt_expires_on": _l("Health insurance card valid until"),
                "compulsory_insured": _l("Has compulsory social insurance"), "head_name": _l("Head of household"),
                "address": _l("Address"), "poverty_status": _l("Poverty status"), "notes": _l("Notes"),
                "tags": _l("Potential groups")}
SIGNUP_STATUS_LABELS = {"recorded": _l("Recorded"), "confirmed": _l("Confirmed")}

LABELS = {
    "sex": SEX_LABELS, "relation": RELATION_LABELS, "income": INCOME_LABELS, "status": STATUS_LABELS,
    "poverty": POVERTY_LABELS, "tag": TAG_LABELS, "outcome": OUTCOME_LABELS, "decline": DECLINE_LABELS,
    "scheme": SCHEME_LABELS, "signup_kind": SIGNUP_KIND_LABELS, "signup_status": SIGNUP_STATUS_LABELS,
    "evidence": EVIDENCE_LABELS, "request_kind": REQUEST_KIND_LABELS, "request_status": REQUEST_STATUS_LABELS,
    "channel": CHANNEL_LABELS, "reach": REACH_LABELS, "field": FIELD_LABELS,
}


def plain_labels(locale: str = "vi") -> dict[str, dict[str, str]]:
    """Every label table as plain strings in one language (printed documents are in Vietnamese)."""
    with force_locale(locale):
        return {name: {key: str(value) for key, value in table.items()} for name, table in LABELS.items()}
