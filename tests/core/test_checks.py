"""Inline checks: which requests are checks, and that a check answers with a field's message alone."""

from __future__ import annotations

import pytest
from flask import request
from werkzeug.exceptions import BadRequest
from wtforms import Form, IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, NumberRange

from portal.core import checks

HTMX = {"HX-Request": "true"}


class _Form(Form):
    name = StringField("Name", validators=[DataRequired("Enter a name.")])
    count = IntegerField("Count", validators=[NumberRange(1, 10, "Between 1 and 10.")])
    place = SelectField("Place", choices=[SelectChoice(0, "—"), SelectChoice(1, "Here")], validators=[NumberRange(1, 1, "Choose.")],
                        coerce=int)


@pytest.mark.parametrize(("method", "headers", "data", "expected"), [
    ("POST", HTMX, {"_check": "count"}, "count"),
    ("POST", HTMX, {}, None),                                         # an htmx post without _check
    ("POST", {}, {"_check": "count"}, None),                          # the form sent without JavaScript
    ("POST", {**HTMX, "HX-Boosted": "true"}, {"_check": "count"}, None),  # the form sent, boosted
    ("GET", HTMX, {}, None),
])
def test_checking_is_an_htmx_post_naming_what_it_checks(app, method, headers, data, expected):
    with app.test_request_context("/", method=method, headers=headers, data=data):
        assert checks.checking() == expected


def _answer(app, data, name, **kwargs):
    with app.test_request_context("/", method="POST", headers=HTMX, data=data):
        form = _Form(formdata=request.form)
        form.validate()
        response = checks.answer(form, name, **kwargs)
        return response.status_code, response.get_data(as_text=True)


def test_a_check_answers_with_the_message_area_only(app):
    status, html = _answer(app, {"name": "An", "count": "42"}, "count")
    assert status == 200
    assert html == ('<small id="count-error" class="error field-message" aria-live="polite">'
                    "Between 1 and 10.</small>")


def test_a_field_without_errors_answers_an_empty_hidden_message(app):
    _status, html = _answer(app, {"name": "An", "count": "5"}, "count")
    assert html == '<small id="count-error" class="error field-message" aria-live="polite" hidden></small>'


def test_only_fields_of_the_form_that_are_allowed_can_be_checked(app):
    with pytest.raises(BadRequest):
        _answer(app, {}, "nothing")
    with pytest.raises(BadRequest):
        _answer(app, {"count": "5"}, "name", allowed={"count"})


def test_blank_fields_are_not_errors_while_filling_in(app):
    with app.test_request_context("/", method="POST", data={"name": "", "count": "42", "place": "0"}):
        form = _Form(formdata=request.form)
        form.validate()
        assert form.name.errors and form.count.errors and form.place.errors
        checks.quiet_blanks(form)
        assert not form.name.errors and form.count.errors and form.place.errors
        checks.quiet_blanks(form, blanks=("", "0"))
        assert not form.place.errors and form.count.errors


def test_the_macro_wraps_a_field_so_that_its_check_targets_its_message(app):
    with app.test_request_context("/"):
        form = _Form()
        macros = app.jinja_env.get_template("_forms.html").module
        html = str(macros.checked(form.name, "/things/new"))
        plain = str(macros.checked(form.name, None))
    assert 'id="field-name"' in html and 'hx-post="/things/new"' in html
    assert 'hx-target="#name-error"' in html and 'hx-sync="this:replace"' in html
    assert 'hx-include="closest form"' in html and '"_check": "name"' in html
    assert 'aria-describedby="name-error"' in html and '<small id="name-error"' in html
    # The swapped message is not the input: the input sits outside the target.
    assert html.index('id="name"') < html.index('<small id="name-error"')
    assert "hx-post" not in plain and 'id="field-name"' in plain
