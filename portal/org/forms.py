"""Organisation forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..core.fields import VNDateField
from .labels import OFFICE_KIND_LABELS, ORGANISATION_LABELS
from .models import ORGANISATION_KINDS


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes for a multiple choice."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class OfficeForm(FlaskForm):
    """A BHXH office and the communes it serves."""

    code = StringField(_l("Code"), validators=[DataRequired(_l("Enter a code.")), Length(max=32)])
    name = StringField(_l("Office name"), validators=[DataRequired(_l("Enter the name.")), Length(max=200)])
    kind = SelectField(_l("Level of office"), choices=[SelectChoice(k, v) for k, v in OFFICE_KIND_LABELS.items()],
                       default="local")
    province_id = SelectField(_l("Province"), coerce=int, choices=[])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=20)])
    communes = MultiCheckboxField(_l("Communes served"), coerce=int, choices=[])


class OrganisationForm(FlaskForm):
    """An organisation agents work for."""

    name = StringField(_l("Organisation name"), validators=[DataRequired(_l("Enter the name.")), Length(max=200)])
    kind = SelectField(_l("Kind of organisation"),
                       choices=[SelectChoice(k, ORGANISATION_LABELS[k]) for k in ORGANISATION_KINDS])
    office_id = SelectField(_l("Office"), coerce=int, choices=[])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=20)])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])


class AgentForm(FlaskForm):
    """A collection agent and where they work."""

    code = StringField(_l("Agent code"), validators=[DataRequired(_l("Enter the agent code.")), Length(max=32)])
    full_name = StringField(_l("Full name"), validators=[DataRequired(_l("Enter the name.")), Length(max=120)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=20)])
    office_id = SelectField(_l("Office"), coerce=int, choices=[])
    organisation_id = SelectField(_l("Organisation"), coerce=int, choices=[], default=0)
    trained_on = VNDateField(_l("Trained on"), validators=[Optional()])
    active = BooleanField(_l("Active"), default=True)
    communes = MultiCheckboxField(_l("Communes"), coerce=int, choices=[])
    hamlets = MultiCheckboxField(_l("Hamlets"), coerce=int, choices=[])
