"""Forms of the pre-visit pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..core.fields import DaysFromToday, VNDateField
from ..households.labels import POTENTIAL_GROUP_LABELS
from ..households.models import POTENTIAL_GROUPS
from .labels import COVERAGE_LABELS, DECLINE_LABELS, OUTCOME_LABELS
from .models import DECLINE_REASONS, OUTCOMES

#: Letters for fast entry from paper: "17 m" records row 17 as invited.
OUTCOME_KEYS = {"t": "consulted", "v": "not_home", "q": "interested", "m": "invited", "k": "declined",
                "b": "already_insured"}


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes for a multiple choice."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CriteriaForm(FlaskForm):
    """Which households to put on the list."""

    hamlets = MultiCheckboxField(_l("Hamlets"), coerce=int, choices=[])
    tags = MultiCheckboxField(_l("Potential groups"),
                              choices=[SelectChoice(t, POTENTIAL_GROUP_LABELS[t]) for t in POTENTIAL_GROUPS])
    coverage = MultiCheckboxField(_l("Coverage"), choices=[SelectChoice(k, v) for k, v in COVERAGE_LABELS.items()])
    min_age = IntegerField(_l("Age from"), validators=[Optional(), NumberRange(0, 120)])
    max_age = IntegerField(_l("Age to"), validators=[Optional(), NumberRange(0, 120)])
    not_visited_days = IntegerField(_l("Not visited in the last N days"), validators=[Optional(), NumberRange(1, 3650)])


class OutcomeForm(FlaskForm):
    """What a visit found."""

    outcome = SelectField(_l("Outcome"), choices=[SelectChoice(k, OUTCOME_LABELS[k]) for k in OUTCOMES])
    person_id = SelectField(_l("For"), coerce=int, choices=[], validate_choice=False)
    decline_reason = SelectField(_l("Reason"), default="", choices=[SelectChoice("", "—")] + [
        SelectChoice(k, DECLINE_LABELS[k]) for k in DECLINE_REASONS])
    expected_attendees = IntegerField(_l("People coming"), validators=[Optional(), NumberRange(1, 20)])
    follow_up_on = VNDateField(_l("Come back on"), validators=[Optional(), DaysFromToday(0, 366, _l(
        "A return visit is from today to a year ahead (%(first)s to %(last)s)."))])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=500)])
    version = HiddenField()
    submission_key = HiddenField()


def paper_decline_reason(number: str | None) -> str | None:
    """The reason a paper line gives after "k" by its number in DECLINE_REASONS ("17 k 2"), or None."""
    if not number or not number.isdigit() or not 1 <= int(number) <= len(DECLINE_REASONS):
        return None
    return DECLINE_REASONS[int(number) - 1]


def paper_decline_codes() -> str:
    """The numbers of the decline reasons, as the paper entry form and its errors list them."""
    return "; ".join(f"{n} = {DECLINE_LABELS[k]}" for n, k in enumerate(DECLINE_REASONS, start=1))


class PaperEntryForm(FlaskForm):
    """Outcomes typed from the paper list: one "row letter" per line, e.g. "17 m"."""

    lines = TextAreaField(_l("Rows and outcomes"), validators=[DataRequired(_l("Type at least one row."))])
    submission_key = HiddenField()


class ReassignForm(FlaskForm):
    """Give selected households to another agent."""

    agent_id = SelectField(_l("Agent"), coerce=int, choices=[])


class QuotaForm(FlaskForm):
    """A cap on an agent's visits for this list."""

    agent_id = SelectField(_l("Agent"), coerce=int, choices=[])
    max_visits = IntegerField(_l("Most visits"), validators=[DataRequired(), NumberRange(1, 10000)])


class AddHouseholdsForm(FlaskForm):
    """Add households by the head's name."""

    query = StringField(_l("Head of household"), validators=[DataRequired(), Length(min=2, max=80)])
