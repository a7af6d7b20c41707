"""Forms of the attendance and results pages."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from ..core.fields import MoneyField, VNDateField
from ..i18n import normalise
from ..policy.labels import MODE_LABELS
from .labels import EVIDENCE_LABELS, KIND_LABELS, SCHEME_LABELS


class Normalised:
    """Read a field's value the way the registry does (``normalise``): the clean value replaces what was typed,
    and what is wrong shows under this field."""

    def __init__(self, parse):
        self.parse = parse

    def __call__(self, form, field):
        try:
            field.data = self.parse(field.data)
        except normalise.Invalid as exc:
            raise ValidationError(str(exc)) from exc


class MonthField(StringField):
    """A month typed as mm/yyyy (or m/yyyy); its data is the 1st of that month."""

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {"placeholder": "mm/yyyy", "inputmode": "numeric", "autocomplete": "off", "maxlength": 7}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def process_formdata(self, valuelist):
        self.data = None
        raw = " ".join(valuelist or []).strip()
        if not raw:
            return
        month, _sep, year = raw.partition("/")
        if not (month.isdigit() and year.isdigit() and 1 <= int(month) <= 12 and 1990 <= int(year) <= 2100):
            raise ValueError(_l("Enter the month as mm/yyyy, for example 07/2026."))
        self.data = date(int(year), int(month), 1)

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        return self.data.strftime("%m/%Y") if self.data else ""


class WalkInForm(FlaskForm):
    """Someone who came without an invitation."""

    name = StringField(_l("Full name"), validators=[DataRequired(_l("Enter the name.")),
                                                    Normalised(normalise.person_name)], render_kw={"maxlength": 120})
    phone = StringField(_l("Phone"), validators=[Optional(), Normalised(normalise.phone)], render_kw={"maxlength": 20})
    hamlet_id = SelectField(_l("Hamlet"), coerce=int, choices=[])
    cccd = StringField(_l("CCCD (optional)"), validators=[Optional(), Normalised(normalise.cccd)],
                       render_kw={"maxlength": 20})
    #: The known person the walk-in is, or "new": offered only once people they may be were found.
    person_id = RadioField(choices=[], validate_choice=False)
    #: Set when the choice was offered, so that sending without choosing says so.
    asked = HiddenField()
    submission_key = HiddenField()


class RowsForm(FlaskForm):
    """Row numbers ticked on the paper attendance sheet."""

    rows = TextAreaField(_l("Row numbers"), validators=[DataRequired(_l("Type at least one row number."))])


class SignUpForm(FlaskForm):
    """A sign-up with its calculated amount."""

    person_id = IntegerField(validators=[DataRequired()])
    scheme = SelectField(_l("Scheme"), choices=[SelectChoice(k, v) for k, v in SCHEME_LABELS.items()])
    kind = SelectField(_l("Kind"), choices=[SelectChoice(k, v) for k, v in KIND_LABELS.items()])
    income = MoneyField(_l("Chosen monthly income (đồng)"), validators=[Optional()])
    mode = SelectField(_l("Payment mode"), choices=[SelectChoice(k, v) for k, v in MODE_LABELS.items()],
                       default="monthly")
    months = IntegerField(_l("Months (lump sums)"), validators=[Optional(), NumberRange(1, 60)])
    member_order = IntegerField(_l("Member order in the household (BHYT)"), validators=[Optional(),
                                                                                       NumberRange(1, 50)])
    #: The initial clinic (BHYT): choices and default set by the view for the person's province; the service
    #: checks the choice.
    facility_id = SelectField(_l("Initial clinic (BHYT)"), coerce=int, choices=[], default=0, validate_choice=False)
    signed_on = VNDateField(_l("Signed on"), validators=[DataRequired(_l("Enter a date as dd/mm/yyyy."))])
    agent_id = SelectField(_l("Signed up by agent"), coerce=int, choices=[])
    net_override = MoneyField(_l("Amount actually collected (if different)"), validators=[Optional()])
    override_reason = StringField(_l("Why it differs"), validators=[Optional(), Length(max=300)])
    from_month = MonthField(_l("Paid from month"))
    receipt_number = StringField(_l("Receipt number"), validators=[Optional(), Length(max=40)])
    receipt_date = VNDateField(_l("Receipt date"), validators=[Optional()])
    submission_key = HiddenField()
    #: The amount the phone calculated without signal (and showed the participant); the server refuses the
    #: sign-up when its own amount differs.
    expected_net = HiddenField()


class HouseholdBhytForm(FlaskForm):
    """Household health insurance for several members of one household in one go. It shares the sign-up page
    with SignUpForm, so its fields carry ids of their own (``hh_``) while keeping the same names."""

    person_ids = SelectMultipleField(_l("Members who sign up"), coerce=int, choices=[], validate_choice=False,
                                     id="hh_person_ids")
    kind = SelectField(_l("Kind"), choices=[SelectChoice(k, v) for k, v in KIND_LABELS.items() if k != "adjustment"],
                       id="hh_kind")
    months = SelectField(_l("Months paid for"), coerce=int, default=12,
                         choices=[SelectChoice(m, str(m)) for m in (12, 6, 3)], id="hh_months")
    first_order = IntegerField(_l("First member's order in the household"), default=1,
                               validators=[DataRequired(), NumberRange(1, 50)], id="hh_first_order")
    facility_id = SelectField(_l("Initial clinic"), coerce=int, choices=[], default=0, validate_choice=False,
                              id="hh_facility_id")
    signed_on = VNDateField(_l("Signed on"), validators=[DataRequired(_l("Enter a date as dd/mm/yyyy."))],
                            id="hh_signed_on")
    agent_id = SelectField(_l("Signed up by agent"), coerce=int, choices=[], id="hh_agent_id")
    from_month = MonthField(_l("Card from month"), id="hh_from_month")
    receipt_number = StringField(_l("Receipt number"), validators=[Optional(), Length(max=40)],
                                 id="hh_receipt_number")
    receipt_date = VNDateField(_l("Receipt date"), validators=[Optional()], id="hh_receipt_date")
    submission_key = HiddenField(id="hh_submission_key")


class ConfirmForm(FlaskForm):
    """Confirming the results."""

    notes = TextAreaField(_l("Notes for the record"), validators=[Optional(), Length(max=2000)])


class EvidenceForm(FlaskForm):
    """A photo or scan of a signed sheet."""

    kind = SelectField(_l("What it shows"), choices=[SelectChoice(k, v) for k, v in EVIDENCE_LABELS.items()])
    file = FileField(_l("Photo or scan (JPEG, PNG or PDF, at most 10 MB)"), validators=[FileRequired()])
