"""Sign-in, sign-out and the server-side end of sessions."""

from __future__ import annotations

import time

import pytest

from portal.extensions import db

from . import factories

pytestmark = pytest.mark.login_form  # sign-in and sign-out are what these tests are about


def test_login_page_is_vietnamese(client):
    response = client.get("/login")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="vi"' in html
    assert "Đăng nhập" in html
    assert "Tên đăng nhập" in html
    assert "Mật khẩu" in html


def test_home_requires_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_htmx_request_without_login_redirects_the_window(client):
    response = client.htmx_get("/", target="main")
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/login")


def test_login_and_home(client, auth):
    user = auth.login("local_officer")
    html = client.get("/").get_data(as_text=True)
    assert user.full_name in html
    assert "Cán bộ BHXH cơ sở" in html


def test_wrong_password_is_refused_with_422(client):
    user = factories.make_user("agent")
    response = client.post("/login", data={"username": user.username, "password": "not-the-password"})
    assert response.status_code == 422
    assert "Sai tên đăng nhập hoặc mật khẩu." in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_unknown_user_gets_the_same_message(client):
    response = client.post("/login", data={"username": "nobody", "password": "whatever-123"})
    assert response.status_code == 422
    assert "Sai tên đăng nhập hoặc mật khẩu." in response.get_data(as_text=True)


def test_username_is_case_insensitive(client):
    user = factories.make_user("viewer", username="thuy.le")
    response = client.post("/login", data={"username": "Thuy.Le", "password": factories.DEFAULT_PASSWORD})
    assert response.status_code == 303
    assert user.username == "thuy.le"


def test_next_parameter_only_allows_local_paths(client):
    factories.make_user("admin", username="boss")
    response = client.post(
        "/login",
        data={"username": "boss", "password": factories.DEFAULT_PASSWORD, "next": "https://evil.example/"},
    )
    assert response.headers["Location"] == "/"
    client.post("/logout")
    response = client.post(
        "/login", data={"username": "boss", "password": factories.DEFAULT_PASSWORD, "next": "//evil.example"}
    )
    assert response.headers["Location"] == "/"


def test_replaying_a_cookie_after_logout_gets_the_login_page(app, client, auth):
    auth.login("province_officer")
    assert client.get("/").status_code == 200
    stolen = client.get_cookie("portal_session").value
    client.post("/logout")
    other = app.test_client()
    other.set_cookie("portal_session", stolen)
    response = other.get("/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_deactivation_ends_the_session_at_the_next_request(client, auth):
    user = auth.login("agent")
    assert client.get("/").status_code == 200
    user.active = False
    db.session.commit()
    response = client.get("/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_deactivated_user_cannot_sign_in(client):
    user = factories.make_user("agent", active=False)
    response = client.post("/login", data={"username": user.username, "password": factories.DEFAULT_PASSWORD})
    assert response.status_code == 422


def test_inactivity_timeout(client, auth):
    auth.login("viewer")
    with client.session_transaction() as session:
        session["seen_at"] = int(time.time()) - 2 * 3600
    assert client.get("/").status_code == 302


def test_absolute_lifetime(client, auth):
    auth.login("viewer")
    with client.session_transaction() as session:
        session["login_at"] = int(time.time()) - 13 * 3600
    assert client.get("/").status_code == 302


def test_session_cookie_is_httponly_and_samesite(client):
    response = client.get("/login")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_users_create_command(runner):
    from portal.auth.models import User

    result = runner.invoke(
        args=["users", "create", "--username", "Admin2", "--role", "admin", "--password-stdin"],
        input="mot-mat-khau-dai\n",
    )
    assert result.exit_code == 0, result.output
    user = User.by_username("admin2")
    assert user is not None and user.role == "admin"
    assert user.password_hash.startswith("$argon2id$")


def test_users_create_rejects_a_short_password(runner):
    result = runner.invoke(
        args=["users", "create", "--username", "x", "--role", "viewer", "--password-stdin"], input="short\n"
    )
    assert result.exit_code != 0
    assert "8 to 128" in result.output


def test_an_answer_that_changed_nothing_writes_no_cookie(client, auth):
    """A read that changed nothing must not write the session cookie: answered after a parallel save, it would
    put back the older cookie and drop the save's message."""
    auth.login("viewer")
    client.get("/")  # the first page may keep a form token in the session
    assert "Set-Cookie" not in client.get("/").headers
    with client.session_transaction() as session:
        session["seen_at"] = int(time.time()) - 120
    assert "portal_session=" in client.get("/").headers.get("Set-Cookie", "")  # the minute's "seen" mark
