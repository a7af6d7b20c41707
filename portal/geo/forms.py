"""Geography forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ..core.fields import VNDateField
from .labels import FACT_LABELS
from .models import HAMLET_KINDS


class HamletForm(FlaskForm):
    """A hamlet or residential group."""

    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the name.")), Length(max=120)])
    kind = SelectField(_l("Kind"), choices=[SelectChoice(k, k) for k in HAMLET_KINDS], default="thôn")


class LegacyDistrictForm(FlaskForm):
    """The district a commune belonged to before July 2025."""

    legacy_district = StringField(_l("Former district"), validators=[Optional(), Length(max=100)])


class FactForm(FlaskForm):
    """A commune fact from a date on."""

    fact = SelectField(_l("Fact"), choices=[SelectChoice(k, v) for k, v in FACT_LABELS.items()])
    value = SelectField(_l("From that day"), choices=[SelectChoice("1", _l("holds")),
                                                      SelectChoice("0", _l("no longer holds"))], default="1")
    effective_from = VNDateField(_l("From (dd/mm/yyyy)"), validators=[
        DataRequired(_l("Enter the date as dd/mm/yyyy, e.g. 15/05/2027."))])
    source = StringField(_l("Decision"), validators=[Optional(), Length(max=200)],
                         render_kw={"placeholder": _l("e.g. Quyết định 123/QĐ-UBND ngày 12/3/2026")})


class ImportForm(FlaskForm):
    """A CSV or XLSX file."""

    file = FileField(_l("CSV or XLSX file"), validators=[FileRequired(_l("Choose a file."))])
