"""Campaign forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..core.fields import VNDateField
from .models import CAMPAIGN_KINDS, METRICS

KIND_LABELS = {"may_month": _l("May campaign month"), "wave": _l("Field wave (ra quân)"), "other": _l("Other")}
STATUS_LABELS = {"draft": _l("Draft"), "active": _l("Active"), "closed": _l("Closed")}
METRIC_LABELS = {
    "new_bhxh_tn": _l("New voluntary social insurance participants"),
    "new_bhyt_hgd": _l("New household health insurance participants"),
    "renewals": _l("Renewals"),
    "conferences": _l("Conferences held"),
    "attendees": _l("Attendees"),
}
BASIS_LABELS = {
    "households": _l("A province total per metric, spread by the number of households"),
    "labour_force": _l("A province total per metric, spread by the labour force (aged 15 to 60)"),
    "fixed": _l("The same number for every commune"),
    "last_year": _l("What each commune achieved in last year's May campaign month"),
}


class CampaignForm(FlaskForm):
    """A campaign's own fields."""

    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the name.")), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=[SelectChoice(k, KIND_LABELS[k]) for k in CAMPAIGN_KINDS])
    starts_on = VNDateField(_l("From"), validators=[DataRequired(_l("Enter a date as dd/mm/yyyy."))])
    ends_on = VNDateField(_l("To"), validators=[DataRequired(_l("Enter a date as dd/mm/yyyy."))])
    office_id = SelectField(_l("Owning office"), coerce=int, choices=[])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])


class WizardForm(FlaskForm):
    """The May campaign of a year in one step."""

    province_id = SelectField(_l("Province"), coerce=int, choices=[])
    year = IntegerField(_l("Year"), validators=[DataRequired(), NumberRange(2020, 2100)])
    basis = SelectField(_l("Targets from"), choices=[SelectChoice(k, v) for k, v in BASIS_LABELS.items()],
                        default="households")


for _metric in METRICS:
    setattr(WizardForm, f"m_{_metric}", IntegerField(METRIC_LABELS[_metric], validators=[Optional(),
                                                                                          NumberRange(0, 10**7)]))
