"""The UI shell in a real browser: login, menu by role, language, phone width, no CSP violations."""

from __future__ import annotations

import pytest

from portal.auth import roles

from .. import factories


def test_login_page_in_vietnamese(page):
    page.goto("/login")
    assert page.page.locator("html").get_attribute("lang") == "vi"
    assert page.page.locator("h1").inner_text() == "Đăng nhập"
    page.screenshot("login")


def test_wrong_password_shows_a_message(page):
    factories.make_user(roles.AGENT, username="daily.a")
    page.login("daily.a", "sai-mat-khau-roi")
    assert "Sai tên đăng nhập hoặc mật khẩu." in page.page.inner_text("#login-form")


@pytest.mark.parametrize("role", sorted(roles.ROLES))
def test_each_role_signs_in_and_sees_its_home(page, role):
    user = factories.make_user(role, full_name="Nguyễn Thị Ánh")
    page.login(user.username, factories.DEFAULT_PASSWORD)
    assert page.page.url.rstrip("/") == page.base_url
    assert "Xin chào, Nguyễn Thị Ánh" in page.page.inner_text("main")
    assert page.page.locator("nav .menu a", has_text="Trang chủ").count() == 1


def test_boosted_navigation_and_sign_out(page):
    user = factories.make_user(roles.LOCAL_OFFICER)
    page.login(user.username, factories.DEFAULT_PASSWORD)
    with page.answered():
        page.page.click("nav .menu a:has-text('Trang chủ')")
    page.page.click("text=Đăng xuất")
    page.page.wait_for_url("**/login")
    assert "Bạn đã đăng xuất." in page.page.inner_text("main")


def test_switch_to_english(page):
    page.goto("/login")
    with page.answered():
        page.page.click("footer button[value=en]")
    assert page.page.locator("h1").inner_text() == "Sign in"
    assert page.page.locator("html").get_attribute("lang") == "en"


def test_phone_width_has_no_horizontal_scroll(phone):
    user = factories.make_user(roles.AGENT, full_name="Nguyễn Thị Thanh Hương")
    phone.login(user.username, factories.DEFAULT_PASSWORD)
    width = phone.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    phone.screenshot("home-phone")
