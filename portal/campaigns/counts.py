"""Reading a target typed by hand, pasted from Excel or read from a file: a whole number, 0 or more; and the
rows of a sheet laid out as a code column then number columns (targets, coverage figures)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from flask_babel import gettext as _

from ..core.tabular import Formula, Table, TableError, cell_text, read_table

T = TypeVar("T")

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


def code_key(code: str) -> str:
    """Codes compared in upper case; all-digit codes without leading zeros (Excel drops them)."""
    code = code.strip().upper()
    return (code.lstrip("0") or "0") if code.isdigit() else code


def coded_table(report: Any, data: bytes, filename: str, aliases: dict, columns: Iterable[str],
                none_given: Callable[[], str]) -> Table | None:
    """The sheet of a file laid out as a code column then number columns, or None with ``report.error`` set
    (not a table, or none of ``columns`` in it: ``none_given()`` says which were expected)."""
    try:
        table = read_table(data, filename, aliases, required=["code"])
    except TableError as exc:
        report.error = str(exc)
        return None
    if not any(name in table.columns for name in columns):
        report.error = none_given()
        return None
    return table


def coded_values(table: Table, report: Any, subjects: dict[str, T], *, identity: Callable[[T], Any],
                 columns: Iterable[str], parse: Callable[[Any], Any],
                 unknown: Callable[[str], str]) -> Iterator[tuple[T, str, Any]]:
    """Each (subject, column name, value) of a sheet whose "code" column names the subject (``subjects`` by
    :func:`code_key`) and whose other columns hold numbers; empty cells are skipped. Every refusal (a formula,
    a missing, unknown or repeated code, a value ``parse`` refuses with :class:`BadCount`) goes into
    ``report.rejected`` as (row, column, reason); ``report.rows`` counts the rows read."""
    columns = tuple(columns)
    seen: dict[Any, int] = {}

    def column(index: int) -> str:
        header = table.headers[index] if index < len(table.headers) else ""
        return f"{table.column_letter(index)} ({header})" if header else table.column_letter(index)

    code_index = table.columns["code"]
    for number, values in table.rows:
        report.rows += 1
        raw = values[code_index] if code_index < len(values) else None
        if isinstance(raw, Formula):
            report.rejected.append((number, column(code_index), _("Formulas are not accepted: type the code "
                                                                  "itself.")))
            continue
        code = cell_text(raw)
        if not code:
            report.rejected.append((number, column(code_index), _("The code is missing.")))
            continue
        subject = subjects.get(code_key(code))
        if subject is None:
            report.rejected.append((number, column(code_index), unknown(code)))
            continue
        if identity(subject) in seen:
            report.rejected.append((number, column(code_index), _("“%(code)s” is already on row %(row)d.",
                                                                  code=code, row=seen[identity(subject)])))
            continue
        seen[identity(subject)] = number
        for name in columns:
            index = table.columns.get(name)
            if index is None or index >= len(values) or values[index] in (None, ""):
                continue
            value = values[index]
            if isinstance(value, Formula):
                report.rejected.append((number, column(index), _("Formulas are not accepted: type the number "
                                                                 "itself.")))
                continue
            try:
                yield subject, name, parse(value)
            except BadCount as exc:
                report.rejected.append((number, column(index), f"{exc} ({cell_text(value)})"))
