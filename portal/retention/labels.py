"""Labels of the reminder values (the due list of the households pages shows them too)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

SCHEME_LABELS = {"bhxh_tn": _l("Voluntary social insurance"), "bhyt_hgd": _l("Household health insurance")}
METHOD_LABELS = {"visit": _l("Visit"), "phone": _l("Phone call"), "sms": _l("SMS")}
OUTCOME_LABELS = {
    "paid": _l("Paid"),
    "promised": _l("Promised to pay"),
    "cannot_afford": _l("Can't afford now"),
    "moved": _l("Moved away"),
    "died": _l("Died"),
    "compulsory": _l("Now insured compulsorily"),
    "refused": _l("Refused"),
    "no_answer": _l("No answer yet"),
}
#: The worklist's states of a person.
STATE_LABELS = {
    "todo": _l("To remind"),
    "waiting": _l("Promised"),
    "settled": _l("Done"),
}
#: The one-tap outcomes of a worklist row; the others are under "More".
QUICK = ("paid", "cannot_afford", "refused", "no_answer")
MORE = ("moved", "died", "compulsory")
