"""Calculator and parameter forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..core.fields import MoneyField, VNDateField
from .labels import CATEGORY_LABELS, MODE_LABELS
from .parameters import CATEGORIES, PARAMETERS


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes for a multiple choice."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CalculatorForm(FlaskForm):
    """Inputs of the contribution calculator (a GET form: nothing is written)."""

    class Meta:
        csrf = False

    scheme = RadioField(_l("Scheme"), choices=[
        SelectChoice("bhxh_tn", _l("Voluntary social insurance (BHXH tự nguyện)")),
        SelectChoice("bhyt_hgd", _l("Household health insurance (BHYT hộ gia đình)"))], default="bhxh_tn")
    on = VNDateField(_l("On date"), validators=[Optional()])
    income = MoneyField(_l("Chosen monthly income (đồng)"), validators=[Optional()])
    categories = MultiCheckboxField(_l("Participant belongs to"),
                                    choices=[SelectChoice(c, CATEGORY_LABELS[c]) for c in CATEGORIES if c != "other"])
    mode = SelectField(_l("Payment mode"), choices=[SelectChoice(k, v) for k, v in MODE_LABELS.items()],
                       default="monthly")
    months = IntegerField(_l("Months (lump sums)"), validators=[Optional(), NumberRange(1, 60)])
    supported_months_used = IntegerField(_l("Months of state support already received"),
                                         validators=[Optional(), NumberRange(0, 1000)], default=0)
    members = IntegerField(_l("Household members"), validators=[Optional(), NumberRange(1, 50)], default=1)


class PolicyValueForm(FlaskForm):
    """A new value of a parameter from a date."""

    key = SelectField(_l("Parameter"), choices=[SelectChoice(k, v) for k, v in PARAMETERS.items()])
    value = DecimalField(_l("Value"), places=None, validators=[InputRequired(_l("Enter a value.")),
                                                               NumberRange(min=0)])
    effective_from = VNDateField(_l("In force from"), validators=[DataRequired(_l("Enter a date as dd/mm/yyyy."))])
    source = StringField(_l("Legal source"), validators=[DataRequired(_l("Name the law or decree.")),
                                                         Length(max=300)])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])
    confirmed = BooleanField(_l("Confirmed as law (untick for a value announced but not yet confirmed)"),
                             default=True)
