"""Campaign forms and the labels shared by the campaign pages (and by the progress reports)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..core.fields import VNDateField
from .counts import BadCount, parse_count
from .labels import BASIS_LABELS, KIND_LABELS, METRIC_LABELS, STATUS_LABELS
from .models import CAMPAIGN_KINDS, CAMPAIGN_STATUSES, METRICS

#: Transitions a planner may make.
NEXT_STATUS = {"draft": ("active",), "active": ("closed",), "closed": ()}


class CountField(StringField):
    """A whole number, 0 or more, typed as 1500 or 1.500 (an empty box is 0)."""

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {"inputmode": "numeric", "autocomplete": "off", **kwargs.pop("render_kw", {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def process_formdata(self, valuelist):
        self.data = 0
        if valuelist:
            try:
                self.data = parse_count(valuelist[0])
            except BadCount as exc:
                self.data = None
                raise ValueError(str(exc)) from exc

    def validate(self, form, extra_validators=()):
        if self.process_errors:  # one message: why the text is not a number
            self.errors = list(self.process_errors)
            return False
        return super().validate(form, extra_validators)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)


class FilterForm(FlaskForm):
    """The campaign list's filters (read from the query string)."""

    class Meta:
        csrf = False

    year = SelectField(_l("Year"), choices=[], validate_choice=False)
    kind = SelectField(_l("Kind of campaign"), choices=[SelectChoice("", _l("All kinds"))]
                       + [SelectChoice(k, KIND_LABELS[k]) for k in CAMPAIGN_KINDS], validate_choice=False)
    status = SelectField(_l("Status"), choices=[SelectChoice("", _l("Every status"))]
                         + [SelectChoice(s, STATUS_LABELS[s]) for s in CAMPAIGN_STATUSES], validate_choice=False)


class CampaignForm(FlaskForm):
    """A campaign's own fields."""

    name = StringField(_l("Campaign name"), validators=[DataRequired(_l("Enter the campaign name.")),
                                                        Length(max=200)])
    kind = SelectField(_l("Kind of campaign"), choices=[SelectChoice(k, KIND_LABELS[k]) for k in CAMPAIGN_KINDS])
    starts_on = VNDateField(_l("From"), validators=[DataRequired(_l("Enter a date as dd/mm/yyyy."))])
    ends_on = VNDateField(_l("To"), validators=[DataRequired(_l("Enter a date as dd/mm/yyyy."))])
    office_id = SelectField(_l("Owning office"), coerce=int, choices=[])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])


class StatusForm(FlaskForm):
    """Move a campaign to its next status."""

    status = HiddenField(validators=[InputRequired()])


class CancelForm(FlaskForm):
    """Cancel (delete) a draft campaign."""


class WizardForm(FlaskForm):
    """The May campaign of a year in one step."""

    province_id = SelectField(_l("Province"), coerce=int, choices=[])
    year = CountField(_l("Year"), validators=[NumberRange(2020, 2100, _l("Enter a year between 2020 and 2100."))])
    basis = SelectField(_l("Targets from"), choices=[SelectChoice(k, v) for k, v in BASIS_LABELS.items()],
                        default="households")


for _metric in METRICS:
    setattr(WizardForm, f"m_{_metric}", CountField(METRIC_LABELS[_metric], default=0))


class PasteForm(FlaskForm):
    """Rows pasted from a spreadsheet: the subject, then the metric columns in grid order."""

    text = TextAreaField(_l("Paste from Excel"), validators=[DataRequired(_l("Paste at least one row.")),
                                                             Length(max=200_000)])
    apply = HiddenField()
