"""An event's own navigation on every page under it, and the short grouped menu, at 1280 px and on a 360 px
phone (no page wider than the screen)."""

from __future__ import annotations

from .. import factories

NO_OVERFLOW = "() => document.documentElement.scrollWidth <= window.innerWidth"
#: The pages under an event, by the key of their entry (the history is a part of the overview).
PAGES = ("overview", "edit", "previsit", "documents", "attendance", "signups", "results", "funnel")


def _entries(page) -> list[str]:
    return page.page.eval_on_selector_all(".event-nav li", "els => els.map(e => e.dataset.page)")


def _visit_every_page(page, event, shot: str) -> list[str]:
    page.goto(f"/events/{event.id}")
    page.page.locator(".event-nav").wait_for()
    first = _entries(page)
    assert first[:2] == ["overview", "edit"] and first[-1] == "history"
    for key in PAGES:
        page.page.locator(f".event-nav li[data-page={key}] a").click()
        page.page.locator(f".event-nav li[data-page={key}] a[aria-current=page]").wait_for()
        assert _entries(page) == first, key
        assert page.page.evaluate(NO_OVERFLOW), f"{key} is wider than the screen"
        if key in ("overview", "attendance", "previsit"):
            page.screenshot(f"{shot}-{key}")
    page.page.locator(".event-nav-back").click()
    page.page.wait_for_url("**/events/")
    return first


def test_event_nav_on_every_page_desktop(page, world):
    page.login(world.users["local_officer"].username, factories.DEFAULT_PASSWORD)
    page.goto(f"/events/{world.own.event.id}")
    nav, body = page.page.locator(".event-nav").bounding_box(), page.page.locator(".event-page").bounding_box()
    assert nav["width"] < 300 and nav["x"] + nav["width"] <= body["x"]  # a side column beside the page
    entries = _visit_every_page(page, world.own.event, "event-nav-desktop")
    assert {"previsit", "attendance", "signups", "results", "documents", "funnel"} <= set(entries)


def test_event_nav_on_every_page_phone(phone, world):
    phone.login(world.users["local_officer"].username, factories.DEFAULT_PASSWORD)
    _visit_every_page(phone, world.own.event, "event-nav-phone")


def test_grouped_menu_desktop(page, world):
    page.login(world.users["local_officer"].username, factories.DEFAULT_PASSWORD)
    top = page.page.locator("#site-menu > li")
    assert top.count() <= 7  # Home and five groups, one line
    tops = [top.nth(i).bounding_box()["y"] for i in range(top.count())]
    assert max(tops) - min(tops) < 10, "the menu takes more than one line"
    group = page.page.locator("#site-menu li[data-group=events] details")
    assert not page.page.locator("#site-menu a[href='/events/calendar']").is_visible()
    group.locator("summary").click()
    page.page.locator("#site-menu a[href='/events/calendar']").wait_for(state="visible")
    page.screenshot("menu-grouped-desktop")
    page.page.locator("h1").first.click()  # a click elsewhere closes it
    page.page.locator("#site-menu a[href='/events/calendar']").wait_for(state="hidden")


def test_menu_folds_behind_a_toggle_on_the_phone(phone, world):
    phone.login(world.users["local_officer"].username, factories.DEFAULT_PASSWORD)
    assert phone.page.evaluate(NO_OVERFLOW)
    toggle = phone.page.locator("label.menu-toggle-label")
    assert toggle.is_visible() and not phone.page.locator("#site-menu").is_visible()
    phone.screenshot("menu-phone-closed")
    toggle.click()
    phone.page.locator("#site-menu").wait_for(state="visible")
    assert phone.page.evaluate(NO_OVERFLOW)
    phone.page.locator("#site-menu li[data-group=households] summary").click()
    due = phone.page.locator("#site-menu a[href='/households/due']")
    due.wait_for(state="visible")
    assert phone.page.evaluate(NO_OVERFLOW)
    phone.screenshot("menu-phone-open")
    with phone.answered():
        due.click()
    phone.page.locator("#site-menu").wait_for(state="hidden")  # the new page starts with the menu folded


def test_the_agents_short_menu_stays_in_sight_on_the_phone(phone, world):
    phone.login(world.users["agent"].username, factories.DEFAULT_PASSWORD)
    assert phone.page.locator("label.menu-toggle-label").count() == 0
    for href in ("/my", "/events/"):
        assert phone.page.locator(f"#site-menu > li > a[href='{href}']").is_visible()
    top = phone.page.locator("#site-menu > li")
    assert top.count() <= 7
    for i in range(top.count()):  # every entry inside the screen, none cut off
        box = top.nth(i).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert phone.page.evaluate(NO_OVERFLOW)
    phone.page.locator("#site-menu li[data-group=households] summary").click()
    phone.page.locator("#site-menu a[href='/households/due']").wait_for(state="visible")
    assert phone.page.evaluate(NO_OVERFLOW)
    phone.screenshot("menu-phone-agent")
