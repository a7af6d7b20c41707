"""Household and person forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..core.fields import VNDateField
from ..visits.forms import POTENTIAL_GROUP_LABELS
from .models import BHXH_TN_STATUSES, INCOME_BANDS, POTENTIAL_GROUPS, POVERTY_STATUSES, RELATIONS

POVERTY_LABELS = {"none": _l("Not poor"), "near_poor": _l("Near-poor household"), "poor": _l("Poor household")}
RELATION_LABELS = {"head": _l("Head of household"), "spouse": _l("Spouse"), "child": _l("Child"),
                   "parent": _l("Parent"), "sibling": _l("Sibling"), "grandchild": _l("Grandchild"),
                   "in_law": _l("Child-in-law"), "other": _l("Other")}
STATUS_LABELS = {"never": _l("Not participating"), "participating": _l("Participating"),
                 "stopped": _l("Stopped paying")}
SEX_LABELS = {"male": _l("Male"), "female": _l("Female")}
INCOME_LABELS = {"under_1_5m": _l("Under 1.5 million"), "1_5m_to_3m": _l("1.5 to 3 million"),
                 "3m_to_5m": _l("3 to 5 million"), "over_5m": _l("Over 5 million")}


def _choices(labels: dict, keys, blank: bool = False) -> list[SelectChoice]:
    return ([SelectChoice("", "—")] if blank else []) + [SelectChoice(k, labels[k]) for k in keys]


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes for a multiple choice."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class HouseholdForm(FlaskForm):
    """A household's own fields."""

    hamlet_id = SelectField(_l("Hamlet"), coerce=int, choices=[])
    head_name = StringField(_l("Head of household"), validators=[DataRequired(_l("Enter the name.")),
                                                                 Length(max=120)])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=20)])
    poverty_status = SelectField(_l("Poverty status"), choices=_choices(POVERTY_LABELS, POVERTY_STATUSES))
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])
    version = HiddenField()


class PersonForm(FlaskForm):
    """A person's identity, groups and coverage."""

    full_name = StringField(_l("Full name"), validators=[DataRequired(_l("Enter the name.")), Length(max=120)])
    sex = SelectField(_l("Sex"), choices=_choices(SEX_LABELS, ("male", "female"), blank=True), default="")
    date_of_birth = VNDateField(_l("Date of birth"), validators=[Optional()])
    relation_to_head = SelectField(_l("Relation to the head"), choices=_choices(RELATION_LABELS, RELATIONS),
                                   default="other")
    cccd = StringField(_l("CCCD number"), validators=[Optional(), Length(max=20)])
    bhxh_code = StringField(_l("Social insurance code"), validators=[Optional(), Length(max=20)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=20)])
    ethnicity = StringField(_l("Ethnicity"), validators=[Optional(), Length(max=40)])
    ethnic_minority = BooleanField(_l("Ethnic minority"))
    occupation = StringField(_l("Occupation"), validators=[Optional(), Length(max=120)])
    income_band = SelectField(_l("Monthly income"), choices=_choices(INCOME_LABELS, INCOME_BANDS, blank=True),
                              default="")
    tags = MultiCheckboxField(_l("Potential groups"),
                              choices=[SelectChoice(t, POTENTIAL_GROUP_LABELS[t]) for t in POTENTIAL_GROUPS])
    bhxh_tn_status = SelectField(_l("Voluntary social insurance"), choices=_choices(STATUS_LABELS, BHXH_TN_STATUSES),
                                 default="never")
    paid_until = VNDateField(_l("Paid until"), validators=[Optional()])
    bhyt_expires_on = VNDateField(_l("Health insurance card valid until"), validators=[Optional()])
    compulsory_insured = BooleanField(_l("Has compulsory social insurance"))
    version = HiddenField()
