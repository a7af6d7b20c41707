"""Event and speaker forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from ..core.fields import VNDateField
from ..households.models import POTENTIAL_GROUPS
from ..visits.forms import POTENTIAL_GROUP_LABELS
from .models import EVENT_KINDS

KIND_LABELS = {
    "conference": _l("Outreach conference"),
    "training": _l("Training for agents"),
    "door_to_door": _l("Door-to-door day"),
    "mobile_propaganda": _l("Mobile propaganda"),
    "dialogue": _l("Dialogue"),
}
STATUS_LABELS = {
    "draft": _l("Draft"), "scheduled": _l("Scheduled"), "held": _l("Held"),
    "results_entered": _l("Results entered"), "closed": _l("Closed"), "cancelled": _l("Cancelled"),
}
_TIME = Regexp(r"^([01]?\d|2[0-3]):[0-5]\d$", message=_l("Enter a time as HH:MM."))


class EventForm(FlaskForm):
    """Create or edit an event."""

    kind = SelectField(_l("Kind"), choices=[SelectChoice(k, KIND_LABELS[k]) for k in EVENT_KINDS],
                       default="conference")
    title = StringField(_l("Title"), validators=[DataRequired(_l("Enter a title.")), Length(max=200)])
    campaign_id = SelectField(_l("Campaign"), coerce=int, choices=[], default=0)
    commune_id = SelectField(_l("Commune"), coerce=int, choices=[])
    hamlet_id = SelectField(_l("Hamlet (optional)"), coerce=int, choices=[], default=0, validate_choice=False)
    venue = StringField(_l("Venue"), validators=[DataRequired(_l("Enter the venue.")), Length(max=200)])
    day = VNDateField(_l("Date"), validators=[DataRequired(_l("Enter a date as dd/mm/yyyy."))])
    start_time = StringField(_l("Starts at"), validators=[DataRequired(_l("Enter a time as HH:MM.")), _TIME],
                             default="08:00")
    end_time = StringField(_l("Ends at"), validators=[DataRequired(_l("Enter a time as HH:MM.")), _TIME],
                           default="11:00")
    organiser_office_id = SelectField(_l("Organising office"), coerce=int, choices=[])
    co_organiser_id = SelectField(_l("Co-organiser"), coerce=int, choices=[], default=0)
    speakers = SelectMultipleField(_l("Speakers"), coerce=int, choices=[])
    agents = SelectMultipleField(_l("Agents working at the event"), coerce=int, choices=[])
    audience = SelectMultipleField(_l("Target audience"),
                                   choices=[SelectChoice(t, POTENTIAL_GROUP_LABELS[t]) for t in POTENTIAL_GROUPS])
    expected_attendance = IntegerField(_l("Expected attendance"), validators=[Optional(), NumberRange(1, 5000)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])
    version = HiddenField()
    save_anyway = BooleanField(_l("Save despite the conflicts above"))


class CancelForm(FlaskForm):
    """Cancel an event with a reason."""

    reason = StringField(_l("Reason"), validators=[DataRequired(_l("Say why the event is cancelled.")),
                                                   Length(max=300)])


class CloneForm(FlaskForm):
    """Copy an event to other communes and dates."""

    communes = SelectMultipleField(_l("Communes"), coerce=int, choices=[])
    dates = StringField(_l("Dates (dd/mm/yyyy, separated by commas)"), validators=[Optional(), Length(max=400)])
    save_anyway = BooleanField(_l("Save despite the conflicts above"))


class SpeakerForm(FlaskForm):
    """A speaker of the register."""

    full_name = StringField(_l("Full name"), validators=[DataRequired(_l("Enter the name.")), Length(max=120)])
    position = StringField(_l("Position and workplace"), validators=[Optional(), Length(max=200)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=20)])
    office_id = SelectField(_l("Office"), coerce=int, choices=[])
    active = BooleanField(_l("Active"), default=True)
