"""Geography forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from .models import HAMLET_KINDS


class HamletForm(FlaskForm):
    """A hamlet or residential group."""

    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the name.")), Length(max=120)])
    kind = SelectField(_l("Kind"), choices=[SelectChoice(k, k) for k in HAMLET_KINDS], default="thôn")


class LegacyDistrictForm(FlaskForm):
    """The district a commune belonged to before July 2025."""

    legacy_district = StringField(_l("Former district"), validators=[Optional(), Length(max=100)])


class IslandForm(FlaskForm):
    """Whether a commune is an island commune (xã đảo, đặc khu), for the island rate of state support."""

    island = BooleanField(_l("Island commune (xã đảo, đặc khu): participants get the island rate of state support"))


class ImportForm(FlaskForm):
    """A CSV or XLSX file."""

    file = FileField(_l("CSV or XLSX file"), validators=[FileRequired(_l("Choose a file."))])
