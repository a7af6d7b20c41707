"""Forms of the network pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectChoice, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from .labels import ROLE_LABELS, WEEKDAY_LABELS


class MultiCheckboxField(SelectMultipleField):
    """Tick boxes for a multiple choice."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PointForm(FlaskForm):
    """A collection point."""

    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the name.")), Length(max=200)],
                       render_kw={"placeholder": _l("e.g. Điểm thu Bưu điện văn hóa xã Khao Mang")})
    commune_id = SelectField(_l("Commune"), coerce=int, choices=[], validate_choice=False)
    hamlet_id = SelectField(_l("Hamlet (empty: the whole commune)"), coerce=int, choices=[], default=0,
                            validate_choice=False)
    organisation_id = SelectField(_l("Agent organisation"), coerce=int, choices=[], default=0,
                                  validate_choice=False)
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    days = MultiCheckboxField(_l("Opening days"), choices=[SelectChoice(k, v) for k, v in WEEKDAY_LABELS.items()])
    hours = StringField(_l("Opening hours"), validators=[Optional(), Length(max=60)],
                        render_kw={"placeholder": _l("e.g. 7:30–11:00")})
    #: Agents outside the commune's list are dropped by the view, not refused.
    agents = MultiCheckboxField(_l("Agents working there"), coerce=int, choices=[], validate_choice=False)
    active = BooleanField(_l("Open (counts in the coverage)"), default=True)


class RuleForm(FlaskForm):
    """The coverage rule of a province."""

    province_id = SelectField(_l("Province"), coerce=int, choices=[], validate_choice=False)
    points = IntegerField(_l("Collection points per hamlet"), validators=[
        InputRequired(_l("Enter a whole number.")), NumberRange(0, 20, _l("Between 0 and 20."))])
    agents = IntegerField(_l("Active agents per hamlet"), validators=[
        InputRequired(_l("Enter a whole number.")), NumberRange(0, 20, _l("Between 0 and 20."))])


class CollaboratorForm(FlaskForm):
    """A collaborator."""

    full_name = StringField(_l("Full name"), validators=[DataRequired(_l("Enter the full name.")), Length(max=120)])
    role = SelectField(_l("Role"), choices=[SelectChoice(k, v) for k, v in ROLE_LABELS.items()])
    position = StringField(_l("Position"), validators=[Optional(), Length(max=200)],
                           render_kw={"placeholder": _l("e.g. Chi hội trưởng Hội Phụ nữ thôn Khe Cam")})
    commune_id = SelectField(_l("Commune"), coerce=int, choices=[], validate_choice=False)
    hamlet_id = SelectField(_l("Hamlet (optional)"), coerce=int, choices=[], default=0, validate_choice=False)
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=20)])
    active = BooleanField(_l("Active"), default=True)


class TrainingForm(FlaskForm):
    """Who attended a training event."""

    agents = MultiCheckboxField(_l("Agents who attended"), coerce=int, choices=[])
    collaborators = MultiCheckboxField(_l("Collaborators who attended"), coerce=int, choices=[])
