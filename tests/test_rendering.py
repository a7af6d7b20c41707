"""Full pages versus htmx fragments from one page context, on a real page (the event list declares its
``results`` block as its htmx answer)."""

from __future__ import annotations


def test_plain_request_gets_the_full_page(client):
    html = client.get("/login").get_data(as_text=True)
    assert html.startswith("<!doctype html>")
    assert 'id="login-form"' in html


def test_htmx_request_gets_the_block_its_view_declares(client, auth):
    auth.login("local_officer")
    response = client.htmx_get("/events/", target="results")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html
    assert "Vary" in response.headers and "HX-Request" in response.headers["Vary"]


def test_boosted_navigation_gets_the_full_page(client, auth):
    auth.login("local_officer")
    html = client.htmx_get("/events/", target="results", boosted=True).get_data(as_text=True)
    assert html.startswith("<!doctype html>")


def test_history_restore_gets_the_full_page(client, auth):
    auth.login("local_officer")
    html = client.htmx_get(
        "/events/", target="results", headers={"HX-History-Restore-Request": "true"}
    ).get_data(as_text=True)
    assert html.startswith("<!doctype html>")


def test_a_page_without_a_declared_fragment_answers_htmx_with_the_full_page(client):
    # The login page has a ``login_form`` block, but its view declares no fragment: the element id is not enough.
    html = client.htmx_get("/login", target="login-form").get_data(as_text=True)
    assert html.startswith("<!doctype html>")


def test_body_carries_csrf_header_for_htmx(client):
    html = client.get("/login").get_data(as_text=True)
    assert 'hx-boost="true"' in html
    assert "hx-headers='{\"X-CSRFToken\": \"" in html
