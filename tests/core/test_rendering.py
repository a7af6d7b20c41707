"""The htmx helper: the view declares its fragment; only htmx requests that want one get it."""

from __future__ import annotations

import pytest

from portal.core.rendering import client_redirect, fragment_for, partial_request, render_page

PAGE = "<html>{% block list %}<ul>{{ n }}</ul>{% endblock %}{% block count %}<b>{{ n }}</b>{% endblock %}</html>"
HTMX = {"HX-Request": "true"}


def _render(app, request_headers, **kwargs):
    template = app.jinja_env.from_string(PAGE)
    with app.test_request_context("/", headers=request_headers):
        response = render_page(template, {"n": 3}, **kwargs)
        return response.get_data(as_text=True), response


@pytest.mark.parametrize(("headers", "partial"), [
    ({}, False),
    (HTMX, True),
    ({**HTMX, "HX-Boosted": "true"}, False),
    ({**HTMX, "HX-History-Restore-Request": "true"}, False),
])
def test_partial_request_is_an_htmx_request_that_is_not_a_navigation(app, headers, partial):
    with app.test_request_context("/", headers=headers):
        assert partial_request() is partial


def test_a_plain_request_gets_the_page_whatever_the_view_declares(app):
    body, _response = _render(app, {}, fragment="list")
    assert body == "<html><ul>3</ul><b>3</b></html>"


def test_an_htmx_request_gets_the_declared_block_with_the_page_context(app):
    body, _response = _render(app, {**HTMX, "HX-Target": "anything"}, fragment="count")
    assert body == "<b>3</b>"


def test_a_boosted_request_gets_the_page(app):
    body, _response = _render(app, {**HTMX, "HX-Boosted": "true", "HX-Target": "body"}, fragment="count")
    assert body.startswith("<html>")


def test_the_target_id_no_longer_chooses_the_block(app):
    # An element id that happens to name a block does not pick it: only the view's declaration does.
    body, _response = _render(app, {**HTMX, "HX-Target": "count"})
    assert body.startswith("<html>")


@pytest.mark.parametrize(("headers", "block"), [
    ({"HX-Target": "the-list"}, "list"),
    ({"HX-Trigger-Name": "count_field", "HX-Target": "elsewhere"}, "count"),
    ({"HX-Trigger": "count-button"}, "count"),
    ({"HX-Target": "unknown"}, None),
])
def test_a_mapping_chooses_the_block_by_the_asking_element(app, headers, block):
    fragment = {"the-list": "list", "count_field": "count", "count-button": "count"}
    with app.test_request_context("/", headers={**HTMX, **headers}):
        assert fragment_for(fragment) == block


def test_an_unknown_asker_gets_the_whole_page(app):
    body, _response = _render(app, {**HTMX, "HX-Target": "unknown"}, fragment={"the-list": "list"})
    assert body.startswith("<html>")


def test_status_and_headers_are_kept(app):
    _body, response = _render(app, HTMX, fragment="list", status=422, headers={"HX-Push-Url": "/x"})
    assert response.status_code == 422
    assert response.headers["HX-Push-Url"] == "/x"


def test_client_redirect_tells_htmx_to_move_the_window(app):
    with app.test_request_context("/", headers=HTMX):
        response = client_redirect("/events/1")
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == "/events/1"
    assert "Location" not in response.headers


def test_client_redirect_is_a_303_without_htmx(app):
    with app.test_request_context("/", method="POST"):
        response = client_redirect("/events/1")
    assert response.status_code == 303
    assert response.headers["Location"] == "/events/1"
    assert "HX-Redirect" not in response.headers


def test_a_page_that_answers_both_ways_varies_on_htmx(client, auth):
    auth.login("local_officer")
    full = client.get("/events/")
    fragment = client.htmx_get("/events/", target="results")
    assert "HX-Request" in full.headers.get("Vary", "")
    assert "HX-Request" in fragment.headers.get("Vary", "")
    assert "<html" in full.get_data(as_text=True)
    assert "<html" not in fragment.get_data(as_text=True)


def test_id_url_gives_what_url_for_gives_for_every_id(app):
    from flask import url_for

    from portal.core.rendering import id_url

    with app.test_request_context("/households/due?kind=stopped&commune=3"):
        back = "/households/due?kind=stopped&commune=3"
        person = id_url("households.person", "person_id")
        renew = id_url("enrolments.new_signup", "person", renew=1, due="stopped", back=back)
        for row_id in (1, 7, 42, 198924, 10**12):
            assert person(row_id) == url_for("households.person", person_id=row_id)
            assert renew(row_id) == url_for("enrolments.new_signup", person=row_id, renew=1, due="stopped",
                                            back=back)
        with pytest.raises(ValueError):
            renew("1 OR 1=1")  # only ids go in


def test_id_url_refuses_an_argument_the_address_does_not_carry_once(app):
    from portal.core.rendering import id_url

    with app.test_request_context("/"), pytest.raises(ValueError):
        id_url("households.person", "person_id", next="/households/people/987654321987654321")


def test_id_url_with_gives_what_url_with_gives(app):
    from portal.core.rendering import id_url_with, url_with

    with app.test_request_context("/events/3/signups?q=Nguy%E1%BB%85n&person=5"):
        person = id_url_with("person")
        for row_id in (1, 5, 123456):
            assert person(row_id) == url_with(person=row_id)
