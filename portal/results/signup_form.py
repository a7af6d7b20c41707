"""What the sign-up forms share, at an event or outside any: the refusals' and warnings' words, where each
refusal shows, and the initial clinics offered."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

from ..facilities.labels import LEVEL_LABELS
from ..facilities.models import LEVELS
from ..households.models import Person
from ..i18n.formatting import format_money
from ..policy.messages import CODES as POLICY_CODES
from ..policy.messages import FIELDS as POLICY_FIELDS
from ..policy.messages import policy_error_message
from . import queries, services

WARNINGS = {
    "compulsory": _l("This person already has compulsory social insurance."),
    "already_paying": _l("This person already pays voluntary social insurance."),
    "valid_card": _l("This person already holds a valid health insurance card."),
}
ERRORS = {
    "income": _l("The chosen income is outside the allowed range."),
    "months": _l("This number of months is not allowed for the chosen payment mode."),
    "duplicate": _l("This person already has this sign-up at this event."),
    "override_reason": _l("Say why the amount collected differs from the calculated amount."),
    "confirmed": _l("The results of this event are confirmed; sign-ups can no longer be added."),
    "missing_parameter": _l("A policy parameter has no value on this date; an administrator must add it."),
    "members": _l("A household has between 1 and 50 members."),
    "household": _l("Tick at least one member of the household."),
    "too_early": _l("Sign-ups at this event are taken from the day of the event."),
    "cancelled": _l("This event is cancelled: nothing can be recorded for it."),
    "facility": _l("Choose an open facility of the person's province."),
    "facility_missing": _l("Choose the initial clinic: neither the household nor the commune has one to offer "
                           "by default."),
    "channel": _l("Choose where the sign-up was made."),
    "receipt_date": _l("The receipt cannot be dated before the sign-up."),
}


#: The form field a refusal of the service belongs under (the rest go under the scheme).
ERROR_FIELDS = {**POLICY_FIELDS, "override_reason": "override_reason", "duplicate": "person_id",
                "channel": "channel", "receipt_date": "receipt_date", "facility": "facility_id", "facility_missing": "facility_id"}
#: The order the initial clinics are offered in: the nearest level first.
_NEAREST_FIRST = ("commune", "district", "province", "central", "other")


def refusal_message(exc: services.ResultsError) -> str:
    """The sentence for a refused sign-up."""
    if exc.code == "amount_changed":
        return _("The phone calculated %(phone)s but the calculator now gives %(server)s for this sign-up: the "
                 "contribution parameters changed after the phone saved them. Nothing was recorded: tell the "
                 "participant the right amount and record the sign-up again.",
                 phone=format_money(exc.params["phone"]), server=format_money(exc.params["server"]))
    if exc.code in POLICY_CODES:
        return policy_error_message(exc.code, exc.params)
    return str(ERRORS.get(exc.code, ERRORS["income"]))


def put_refusal(form, exc: services.ResultsError) -> None:
    """Put a refused sign-up's reason under the field it is about, with the figures (the allowed range)."""
    form[ERROR_FIELDS.get(exc.code, "scheme")].errors.append(refusal_message(exc))


def offer_facilities(field, person: Person | None, *, preselect: bool) -> None:
    """Offer the open facilities of the person's province as initial clinics, grouped by level, nearest first;
    ``preselect`` the default (the household's last choice, then the commune's health station). Without a
    default, the list starts with an empty choice the user must replace."""
    if person is None:
        field.choices = []
        return
    order = {level: index for index, level in enumerate(_NEAREST_FIRST)}
    facilities = sorted(queries.facility_choices(person), key=lambda f: order.get(f.level, len(LEVELS)))
    default = queries.default_facility(person)
    blank = [] if default else [SelectChoice(0, _("— choose the clinic —"))]
    field.choices = blank + [SelectChoice(f.id, f"{f.name} ({f.code})", optgroup=str(LEVEL_LABELS[f.level]))
                             for f in facilities]
    if preselect:
        field.data = default.id if default else 0
