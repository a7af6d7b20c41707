"""Geography forms."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ..core.tabular import MAX_CELLS, MAX_COLUMNS, MAX_ROWS, MAX_UPLOAD_BYTES
from ..i18n.formatting import format_number
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
