"""Reading a target typed by hand, pasted from Excel or read from a file: a whole number, 0 or more."""

from __future__ import annotations

import re

from flask_babel import gettext as _

MAX_TARGET = 10_000_000
#: 1500, 1.500, 1,500, 1 500 (grouping by thousands with one kind of separator).
_GROUPED = re.compile(r"^[0-9]{1,3}(?:([.,\u00a0 ])[0-9]{3})(?:\1[0-9]{3})*$")


class BadCount(ValueError):
    """A value that is not a target; the message says why (translated)."""


def parse_count(value) -> int:
    """A target from text or a spreadsheet cell; raises :class:`BadCount` with the reason.

    An empty value is 0. Thousands may be grouped with dots (Vietnamese), commas or spaces; a decimal
    part, a sign or letters are refused.
    """
    if value is None:
        return 0
    if isinstance(value, bool):
        raise BadCount(_("Enter a whole number, 0 or more."))
    if isinstance(value, float):
        if not value.is_integer():
            raise BadCount(_("Enter a whole number, 0 or more."))
        value = int(value)
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        if text == "":
            return 0
        if text.startswith("="):
            raise BadCount(_("Formulas are not accepted: type the number itself."))
        if text.startswith("-") and text[1:].strip().replace(".", "").replace(",", "").isdigit():
            raise BadCount(_("A target cannot be negative."))
        if text.isascii() and text.isdigit():
            number = int(text)
        elif _GROUPED.match(text):
            number = int(re.sub(r"[^0-9]", "", text))
        else:
            raise BadCount(_("Enter a whole number, 0 or more."))
    if number < 0:
        raise BadCount(_("A target cannot be negative."))
    if number > MAX_TARGET:
        raise BadCount(_("That number is too large (at most %(max)s).", max="10.000.000"))
    return number
