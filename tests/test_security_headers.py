"""Security headers, CSRF and error pages."""

from __future__ import annotations


def test_csp_and_headers_on_pages(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    for directive in ("frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"):
        assert directive in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"
    assert "HX-Request" in response.headers["Vary"]


def test_pages_have_no_inline_scripts_or_styles(client, auth):
    auth.login("admin")
    for url in ("/", "/login"):
        html = client.get(url, follow_redirects=True).get_data(as_text=True)
        assert "<script>" not in html and "<script type" not in html
        assert " style=" not in html
        assert " on" + "click=" not in html


def test_static_files_may_be_cached(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert response.headers.get("Cache-Control") != "no-store"
    response.close()


def test_post_without_csrf_token_is_refused(client):
    response = client.post("/login", data={"username": "a", "password": "b"}, csrf=False)
    assert response.status_code == 400
    assert "Phiên làm việc đã hết hạn" in response.get_data(as_text=True)


def test_logout_requires_post_with_csrf(client, auth):
    auth.login("agent")
    assert client.get("/logout").status_code == 405
    assert client.post("/logout", csrf=False).status_code == 400
    assert client.get("/").status_code == 200


def test_not_found_page_is_friendly(client, auth):
    auth.login("agent")
    response = client.get("/no-such-page")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Không tìm thấy" in html
    assert "Traceback" not in html


def test_server_error_page_leaks_nothing(tmp_path):
    from .conftest import make_test_app

    app = make_test_app(f"sqlite:///{tmp_path}/e.sqlite3", str(tmp_path / "inst"), PROPAGATE_EXCEPTIONS=False)

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internal detail 012345678901")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Đã xảy ra lỗi" in html
    assert "secret internal detail" not in html and "RuntimeError" not in html


def test_htmx_errors_get_only_the_message(client, auth):
    auth.login("agent")
    response = client.htmx_get("/no-such-page", target="results")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "flash-error" in html
    assert "<html" not in html
