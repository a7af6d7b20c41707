"""Event, filter, cancel, clone and speaker forms, with the labels of kinds, statuses and audiences."""

from __future__ import annotations

import re
from datetime import date, time

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
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

from ..core.fields import VNDateField
from ..households.models import POTENTIAL_GROUPS
from ..i18n.formatting import parse_date
from .labels import AUDIENCE_LABELS, KIND_LABELS, MEDIA_CHANNEL_LABELS, STATUS_LABELS
from .models import EVENT_KINDS, EVENT_STATUSES

assert set(KIND_LABELS) == set(EVENT_KINDS) and set(STATUS_LABELS) == set(EVENT_STATUSES)
assert set(AUDIENCE_LABELS) == set(POTENTIAL_GROUPS)

_TIME = re.compile(r"^\s*(\d{1,2})\s*(?:[:hH.]\s*(\d{2})?)?\s*$")


def parse_time(text: str) -> time:
    """Read a time of day as people type it: 8:00, 08:00, 8h, 8h30, 8.30; raise ValueError."""
    match = _TIME.match(text or "")
    if not match:
        raise ValueError(text)
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    return time(hours, minutes)  # ValueError when out of range


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes for a multiple choice."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class DayField(VNDateField):
    """A dd/mm/yyyy date with a Vietnamese message when it cannot be read."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = parse_date(valuelist[0])
            if not 2000 <= self.data.year <= 2100:
                raise ValueError(valuelist[0])
        except ValueError:
            self.data = None
            raise ValueError(_l("Enter the date as dd/mm/yyyy, e.g. 15/05/2027.")) from None


class TimeOfDayField(StringField):
    """A time of day in a text box (HH:MM; 8h30 is understood)."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {"placeholder": "HH:MM", "inputmode": "numeric", "autocomplete": "off", "size": 5,
                     **kwargs.pop("render_kw", {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def process_data(self, value):
        self.data = value if isinstance(value, time) else None

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = parse_time(valuelist[0])
        except ValueError:
            self.data = None
            raise ValueError(_l("Enter the time as HH:MM, e.g. 08:00.")) from None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.data.strftime("%H:%M") if isinstance(self.data, time) else ""


class CountField(IntegerField):
    """A whole number with a Vietnamese message when it cannot be read."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        text = valuelist[0].strip().replace(".", "").replace(" ", "")
        if not text.isdigit():
            self.data = None
            raise ValueError(_l("Enter a whole number."))
        self.data = int(text)


class EventForm(FlaskForm):
    """Create or edit an event; speakers, agents and audience are links of the event."""

    kind = SelectField(_l("Kind of event"), choices=[SelectChoice(k, KIND_LABELS[k]) for k in EVENT_KINDS],
                       default="conference")
    title = StringField(_l("Title"), validators=[DataRequired(_l("Enter a title.")), Length(max=200)])
    commune_id = SelectField(_l("Commune"), coerce=int, choices=[], validate_choice=False)
    hamlet_id = SelectField(_l("Hamlet (optional)"), coerce=int, choices=[], default=0, validate_choice=False)
    venue = StringField(_l("Venue"), validators=[DataRequired(_l("Enter the venue.")), Length(max=200)],
                        render_kw={"placeholder": _l("e.g. Nhà văn hóa thôn Khe Cam")})
    day = DayField(_l("Date"), validators=[DataRequired(_l("Enter the date as dd/mm/yyyy, e.g. 15/05/2027."))])
    start_time = TimeOfDayField(_l("Starts at"), validators=[DataRequired(_l("Enter the start time."))],
                                default=time(8, 0))
    end_time = TimeOfDayField(_l("Ends at"), validators=[DataRequired(_l("Enter the end time."))],
                              default=time(11, 0))
    organiser_office_id = SelectField(_l("Organising office"), coerce=int, choices=[], validate_choice=False)
    organiser_organisation_id = SelectField(
        _l("Organised by an agent organisation"), coerce=int, choices=[], default=0, validate_choice=False,
        description=_l("When a post office or an association holds the event itself (the office stays responsible)."))
    co_organiser_id = SelectField(_l("Co-organising agent organisation"), coerce=int, choices=[], default=0,
                                  validate_choice=False)
    campaign_id = SelectField(_l("Campaign"), coerce=int, choices=[], default=0, validate_choice=False)
    expected_attendance = CountField(_l("Expected attendance"), validators=[
        Optional(), NumberRange(1, 10000, _l("Between 1 and 10.000 people."))], render_kw={"inputmode": "numeric"})
    speakers = SelectMultipleField(_l("Speakers"), coerce=int, choices=[], validate_choice=False)
    agents = MultiCheckboxField(_l("Agents working at the event"), coerce=int, choices=[], validate_choice=False)
    audience = MultiCheckboxField(_l("Target audience"),
                                  choices=[SelectChoice(t, AUDIENCE_LABELS[t]) for t in POTENTIAL_GROUPS])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)], render_kw={"rows": 3})
    host_meeting = StringField(_l("Meeting it is part of"), validators=[Optional(), Length(max=200)],
                               render_kw={"placeholder": _l("e.g. Họp Chi hội Phụ nữ thôn Khe Cam")})
    attendee_count = CountField(_l("People who came"), validators=[
        Optional(), NumberRange(0, 100000, _l("Between 0 and 100.000 people."))], render_kw={"inputmode": "numeric"})
    media_channel = SelectField(_l("Channel"), choices=[SelectChoice("", "—")] + [
        SelectChoice(k, v) for k, v in MEDIA_CHANNEL_LABELS.items()], default="")
    media_items = CountField(_l("Number of broadcasts, articles or posts"), validators=[
        Optional(), NumberRange(1, 10000, _l("Between 1 and 10.000."))], render_kw={"inputmode": "numeric"})
    reach = CountField(_l("Reach (listeners, readers or views)"), validators=[
        Optional(), NumberRange(0, 100000000, _l("Enter a whole number."))], render_kw={"inputmode": "numeric"})
    version = HiddenField()
    save_anyway = BooleanField(_l("Save anyway, I have seen the conflicts"))

    def validate(self, extra_validators=None) -> bool:
        """Each activity kind records what it needs: the host meeting of a talk within another meeting, the
        channel and the number of items of media work."""
        valid = super().validate(extra_validators)
        if self.kind.data == "integrated_talk" and not (self.host_meeting.data or "").strip():
            self.host_meeting.errors = [*self.host_meeting.errors, _l("Say which meeting the talk was part of.")]
            valid = False
        if self.kind.data == "media":
            if not self.media_channel.data:
                self.media_channel.errors = [*self.media_channel.errors, _l("Choose the channel.")]
                valid = False
            if not self.media_items.data and not self.media_items.errors:
                self.media_items.errors = [*self.media_items.errors,
                                           _l("Enter how many broadcasts, articles or posts.")]
                valid = False
        return valid


class EventFilterForm(FlaskForm):
    """Filters of the list and the calendar (read from the query string)."""

    class Meta:
        csrf = False

    office = SelectField(_l("Office"), coerce=int, choices=[], default=0, validate_choice=False)
    commune = SelectField(_l("Commune"), coerce=int, choices=[], default=0, validate_choice=False)
    kind = SelectField(_l("Kind of event"), choices=[SelectChoice("", _l("All kinds"))]
                       + [SelectChoice(k, KIND_LABELS[k]) for k in EVENT_KINDS], default="")
    status = SelectField(_l("Status"), choices=[SelectChoice("", _l("Any status"))]
                         + [SelectChoice(k, STATUS_LABELS[k]) for k in EVENT_STATUSES], default="")
    campaign = SelectField(_l("Campaign"), coerce=int, choices=[], default=0, validate_choice=False)
    date_from = DayField(_l("From"), validators=[Optional()])
    date_to = DayField(_l("To"), validators=[Optional()])

    def values(self) -> dict:
        """The filters as plain values; a value that did not validate counts as no filter."""
        def good(field):
            return None if field.errors else (field.data or None)

        return {"office": good(self.office), "commune": good(self.commune), "kind": good(self.kind),
                "status": good(self.status), "campaign": good(self.campaign),
                "date_from": good(self.date_from), "date_to": good(self.date_to)}


class CancelForm(FlaskForm):
    """Cancel an event; the reason is kept with it."""

    reason = StringField(_l("Reason for cancelling"), validators=[
        DataRequired(_l("Say why the event is cancelled.")), Length(max=300)])


class CloneForm(FlaskForm):
    """Copy an event to other communes and/or other dates."""

    communes = MultiCheckboxField(_l("Communes"), coerce=int, choices=[], validate_choice=False)
    dates = TextAreaField(_l("Dates"), validators=[Optional(), Length(max=1000)],
                          render_kw={"rows": 2, "placeholder": "20/05/2027, 22/05/2027"})
    save_anyway = BooleanField(_l("Create anyway, I have seen the conflicts"))

    def parsed_dates(self) -> list[date]:
        """The dates typed (commas, semicolons, spaces or new lines between them); errors go on the field."""
        days: list[date] = []
        bad: list[str] = []
        for part in re.split(r"[,;\s]+", self.dates.data or ""):
            if not part:
                continue
            try:
                day = parse_date(part)
                if not 2000 <= day.year <= 2100:
                    raise ValueError(part)
            except ValueError:
                bad.append(part)
                continue
            if day not in days:
                days.append(day)
        if bad:
            self.dates.errors = [*self.dates.errors, _l("These are not dates (dd/mm/yyyy): %(items)s",
                                                        items=", ".join(bad))]
        return days


class SpeakerForm(FlaskForm):
    """A speaker of the register."""

    full_name = StringField(_l("Full name"), validators=[DataRequired(_l("Enter the name.")), Length(max=120)])
    position = StringField(_l("Position and workplace"), validators=[Optional(), Length(max=200)],
                           render_kw={"placeholder": _l("e.g. Phó Giám đốc BHXH cơ sở Nghĩa Lộ")})
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=20)],
                        render_kw={"inputmode": "tel", "autocomplete": "off"})
    office_id = SelectField(_l("Office whose register holds the speaker"), coerce=int, choices=[],
                            validate_choice=False)
    active = BooleanField(_l("Active (offered for new events)"), default=True)
