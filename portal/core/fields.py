"""Form fields shared by every domain."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext
from wtforms import DateField, ValidationError
from wtforms.widgets import TextInput

from ..i18n.formatting import format_date, local_today


class VNDateField(DateField):
    """A date typed as dd/mm/yyyy (ISO yyyy-mm-dd is accepted too), in a plain text box.

    Browsers show ``<input type=date>`` in the browser's locale (mm/dd/yyyy on many machines); Vietnamese
    officers write dd/mm/yyyy, and agents type dates from paper.
    """

    widget = TextInput()

    def __init__(self, label=None, validators=None, format=("%d/%m/%Y", "%Y-%m-%d"), **kwargs):  # noqa: A002
        render_kw = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off",
                     **kwargs.pop("render_kw", {})}
        super().__init__(label, validators, format=list(format), render_kw=render_kw, **kwargs)

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        return self.data.strftime("%d/%m/%Y") if self.data else ""


class DaysFromToday:
    """A date within ``earliest``..``latest`` days of today in Vietnam (negative: in the past), with the allowed
    range in the message."""

    def __init__(self, earliest: int, latest: int, message=None):
        self.earliest, self.latest, self.message = earliest, latest, message

    def __call__(self, form, field) -> None:
        if field.data is None:
            return
        today = local_today()
        first, last = today + timedelta(days=self.earliest), today + timedelta(days=self.latest)
        if not first <= field.data <= last:
            message = self.message or gettext("Choose a date from %(first)s to %(last)s.")
            raise ValidationError(str(message) % {"first": format_date(first), "last": format_date(last)})
