"""Geography forms."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ..core.fields import VNDateField
from ..core.tabular import MAX_CELLS, MAX_COLUMNS, MAX_ROWS, MAX_UPLOAD_BYTES
from ..i18n.formatting import format_number
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
    """A CSV or XLSX file; the page states the limits a file must keep within."""

    file = FileField(_l("CSV or XLSX file"), validators=[FileRequired(_l("Choose a file."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.file.description = upload_limits()


def upload_limits() -> str:
    """What one uploaded file may hold, as the refusals name it."""
    size = current_app.config.get("MAX_CONTENT_LENGTH") or MAX_UPLOAD_BYTES
    return _("At most %(mb)s MB, %(rows)s rows, %(columns)s columns and %(cells)s cells per file; split a larger "
             "list into several files.", mb=format_number(size // (1024 * 1024)), rows=format_number(MAX_ROWS),
             columns=format_number(MAX_COLUMNS), cells=format_number(MAX_CELLS))
