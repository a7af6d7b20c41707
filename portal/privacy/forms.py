"""Forms of the data-protection pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..core.fields import VNDateField
from ..i18n import normalise
from .labels import CHANNEL_LABELS, REQUEST_KIND_LABELS, REQUEST_STATUS_LABELS
from .models import CHANNELS, REQUEST_KINDS, REQUEST_STATUSES


def _choices(labels: dict, keys) -> list[SelectChoice]:
    return [SelectChoice(k, labels[k]) for k in keys]


class LookupForm(FlaskForm):
    """Find a person by CCCD number, social insurance code or name (sent in the body, never in the URL)."""

    cccd = StringField(_l("CCCD number"), validators=[Optional(), Length(max=20)],
                       render_kw={"inputmode": "numeric", "autocomplete": "off"})
    bhxh_code = StringField(_l("Social insurance code"), validators=[Optional(), Length(max=20)],
                            render_kw={"inputmode": "numeric", "autocomplete": "off"})
    name = StringField(_l("Full name"), validators=[Optional(), Length(max=120)], render_kw={"autocomplete": "off"})

    def validate_cccd(self, field):
        try:
            field.clean = normalise.cccd(field.data)
        except normalise.Invalid as exc:
            raise ValidationError(str(exc)) from exc

    def validate_bhxh_code(self, field):
        try:
            field.clean = normalise.bhxh_code(field.data)
        except normalise.Invalid as exc:
            raise ValidationError(str(exc)) from exc

    def validate_name(self, field):
        if field.data and any(ch.isdigit() for ch in field.data):
            raise ValidationError(_l("A name has no digits: put numbers in the CCCD or insurance code box."))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if ok and not (self.cccd.data or self.bhxh_code.data or (self.name.data or "").strip()):
            self.cccd.errors = [_l("Enter a CCCD number, a social insurance code or a name.")]
            return False
        return ok


class RequestForm(FlaskForm):
    """A new data-subject request."""

    kind = SelectField(_l("Request"), choices=_choices(REQUEST_KIND_LABELS, REQUEST_KINDS))
    requester_name = StringField(_l("Requested by"), validators=[DataRequired(_l("Enter who made the request.")),
                                                                 Length(max=120)])
    channel = SelectField(_l("Received by"), choices=_choices(CHANNEL_LABELS, CHANNELS))
    received_on = VNDateField(_l("Received on"), validators=[DataRequired(_l("Enter the date, as dd/mm/yyyy."))])
    details = TextAreaField(_l("What is asked"), validators=[Optional(), Length(max=4000)])


class RequestUpdateForm(FlaskForm):
    """Progress of a request: status, the days it was acknowledged and answered, what was done."""

    status = SelectField(_l("Status"), choices=_choices(REQUEST_STATUS_LABELS, REQUEST_STATUSES))
    acknowledged_on = VNDateField(_l("Acknowledged on"), validators=[Optional()])
    answered_on = VNDateField(_l("Answered on"), validators=[Optional()])
    outcome = TextAreaField(_l("What was done"), validators=[Optional(), Length(max=4000)])

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.status.data in ("done", "refused") and not (self.outcome.data or "").strip():
            self.outcome.errors = [*self.outcome.errors,
                                   _l("Write what was done (or why the request was refused) before closing it.")]
            return False
        return ok


class EraseForm(FlaskForm):
    """Confirmation of an erasure."""

    scope = SelectField(_l("Erase"), choices=[SelectChoice("person", _l("This person only")),
                                              SelectChoice("household", _l("The whole household"))])
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=2000)])
    confirm = BooleanField(_l("I understand that the data is erased for good and cannot be restored."),
                           validators=[DataRequired(_l("Tick the box to confirm."))])
