"""Form fields shared by every domain."""

from __future__ import annotations

import re
from datetime import timedelta

from flask_babel import gettext
from wtforms import DateField, IntegerField, ValidationError
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


_GROUPED = re.compile(r"\d{1,3}(?:([.,\s])\d{3})(?:\1\d{3})*")


def parse_money(text: str) -> int | None:
    """An amount in đồng typed the Vietnamese way ("1.500.000", "1 500 000", "1,500,000", "1500000", with or
    without "đ"), or None when it is not one (a decimal part or a stray separator is never misread)."""
    text = re.sub(r"\s*(?:đồng|đ|vnd|vnđ)\s*$", "", str(text).replace("\u00a0", " ").strip(), flags=re.IGNORECASE)
    text = text.strip()
    if text.isdigit() or _GROUPED.fullmatch(text):
        return int(re.sub(r"\D", "", text))
    return None


class MoneyField(IntegerField):
    """An amount in đồng typed the Vietnamese way: "1.500.000", "1 500 000", "1,500,000", "1500000", with or
    without "đ"; shown back as "1.500.000". A decimal part or a stray separator is refused, never misread."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {"inputmode": "decimal", "autocomplete": "off", **kwargs.pop("render_kw", {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        self.data = None
        if not str(valuelist[0]).strip():
            return
        self.data = parse_money(valuelist[0])
        if self.data is None:
            raise ValueError(gettext("Write the amount in đồng with digits, e.g. 1.500.000."))

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return f"{self.data:,}".replace(",", ".") if self.data is not None else ""
