"""Full pages versus htmx fragments from one page context."""

from __future__ import annotations


def test_plain_request_gets_the_full_page(client):
    html = client.get("/login").get_data(as_text=True)
    assert html.startswith("<!doctype html>")
    assert 'id="login-form"' in html


def test_htmx_request_aimed_at_a_block_gets_only_that_block(client):
    response = client.htmx_get("/login", target="login-form")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html
    assert html.strip().startswith('<form id="login-form"')
    assert "Vary" in response.headers and "HX-Request" in response.headers["Vary"]


def test_boosted_navigation_gets_the_full_page(client):
    html = client.htmx_get("/login", target="login-form", boosted=True).get_data(as_text=True)
    assert html.startswith("<!doctype html>")


def test_history_restore_gets_the_full_page(client):
    html = client.htmx_get(
        "/login", target="login-form", headers={"HX-History-Restore-Request": "true"}
    ).get_data(as_text=True)
    assert html.startswith("<!doctype html>")


def test_unknown_target_falls_back_to_the_full_page(client):
    html = client.htmx_get("/login", target="no-such-block").get_data(as_text=True)
    assert html.startswith("<!doctype html>")


def test_body_carries_csrf_header_for_htmx(client):
    html = client.get("/login").get_data(as_text=True)
    assert 'hx-boost="true"' in html
    assert "hx-headers='{\"X-CSRFToken\": \"" in html
