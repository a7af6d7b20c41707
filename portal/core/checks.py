"""Inline checks: a form's fields are checked one by one while the user fills it in, never replacing an input.

The template wraps a field in ``forms.checked(field, url)`` (``_forms.html``). When the field changes, htmx
posts the whole form to ``url`` with ``_check=<field name>``; the view validates the form as it would on
submit, then answers with :func:`answer`: the field's message area alone (``<field id>-error``), which htmx swaps
in. Areas that depend on other fields (choices, a preview, conflicts) use ``forms.refreshed(...)`` and their
view answers with ``render_page(..., fragment=...)``. What needs a decision (a "save anyway" tick) is never
inside a swapped area.

A view::

    form = ThingForm()
    if (name := checks.checking()) is not None:
        form.validate()
        return checks.answer(form, name)
"""

from __future__ import annotations

from flask import abort, current_app, make_response, request
from flask.typing import ResponseReturnValue
from wtforms import Form

from .rendering import partial_request

#: The form value naming what an inline check is about.
CHECK = "_check"


def checking() -> str | None:
    """What this request checks (a field's name, or an area the view names), or None when the form is sent."""
    if request.method != "POST" or not partial_request():
        return None
    return request.form.get(CHECK) or None


def answer(form: Form, name: str, *, allowed: set[str] | None = None) -> ResponseReturnValue:
    """The answer to a field's check: its message area, with the field's errors (empty and hidden if none).

    ``allowed`` limits the fields that may be checked; anything else is a bad request."""
    if name not in form or (allowed is not None and name not in allowed):
        abort(400)
    macros = current_app.jinja_env.get_template("_forms.html").module
    return make_response(str(macros.message(form[name])), 200)


def quiet_blanks(form: Form, blanks: tuple[str, ...] = ("",)) -> None:
    """While filling in, an empty field is not an error yet: it is said when the form is sent. ``blanks`` are
    the values that count as empty (``("", "0")`` where 0 is a select list's "none")."""
    for field in form:
        if not field.raw_data or all(str(v).strip() in blanks for v in field.raw_data):
            field.errors = []
