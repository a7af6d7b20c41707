"""Forms of the sign-ups outside events, the receipt register and the confirmation batches."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..core.fields import MoneyField, VNDateField
from ..results.forms import SignUpForm
from ..results.labels import CHANNEL_LABELS

#: The channels of a sign-up made outside any event.
OUTSIDE = [SelectChoice(k, v) for k, v in CHANNEL_LABELS.items() if k != "event"]


class OutsideSignUpForm(SignUpForm):
    """A sign-up or renewal outside events: the event form's fields, where it was made, and the receipt."""

    channel = SelectField(_l("Where it was paid"), choices=OUTSIDE, default="door")
    net_override = MoneyField(_l("Amount collected (đồng)"),
                              validators=[InputRequired(_l("Enter the amount written on the receipt.")),
                                          NumberRange(min=0)])
    receipt_date = VNDateField(_l("Receipt date"), validators=[Optional()])
    collection_point = StringField(_l("Collection point"), validators=[Optional(), Length(max=120)],
                                   render_kw={"placeholder": _l("e.g. Bưu điện xã Nghĩa Lộ")})
    back = HiddenField()


class RegisterForm(FlaskForm):
    """Rows of a receipt register (sổ biên lai): typed or pasted, or an XLSX file in the template's layout."""

    agent_id = SelectField(_l("Agent who collected"), coerce=int, choices=[])
    channel = SelectField(_l("Where it was paid"), choices=OUTSIDE, default="counter")
    collection_point = StringField(_l("Collection point"), validators=[Optional(), Length(max=120)])
    lines = TextAreaField(_l("Rows of the register"), validators=[Optional(), Length(max=200_000)])
    file = FileField(_l("or an XLSX file in the template's layout"))


class BatchForm(FlaskForm):
    """Confirming the receipts of one agent, organisation or collection point over a period."""

    handed_in = MoneyField(_l("Money handed in (đồng)"),
                           validators=[InputRequired(_l("Enter the money counted.")), NumberRange(min=0)])
    notes = TextAreaField(_l("Notes for the record"), validators=[Optional(), Length(max=2000)])
    #: The sign-ups the officer saw (comma-separated ids): only these are confirmed.
    shown = HiddenField(validators=[DataRequired()])


class ResolveForm(FlaskForm):
    """A decision on a clash."""

    kept = HiddenField()
    back = HiddenField()
