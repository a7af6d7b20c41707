"""Form fields shared by every domain."""

from __future__ import annotations

from wtforms import DateField
from wtforms.widgets import TextInput


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
