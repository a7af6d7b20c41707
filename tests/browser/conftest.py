"""Browser tests: Playwright drives Debian's Chromium against the app served on a random local port.

Skipped with a message when Chromium is not installed; required when CI=true. Any Content Security Policy
violation the browser reports during a test fails it.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(os.environ.get("PORTAL_SCREENSHOTS", Path(__file__).resolve().parents[2] / "build" / "screenshots"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


#: Counts the page's requests (htmx sends them with XMLHttpRequest): ``loadend`` comes after htmx has handled the
#: answer and swapped it in. Each document gets a token, so that a wait can tell a new page from the old one.
TRACK_REQUESTS = """
window.__portalDoc = Math.random();
window.__portalXhr = {sent: 0, done: 0};
(function (send) {
  XMLHttpRequest.prototype.send = function () {
    window.__portalXhr.sent++;
    this.addEventListener('loadend', function () { window.__portalXhr.done++; });
    return send.apply(this, arguments);
  };
})(XMLHttpRequest.prototype.send);
"""
ANSWERED = """([doc, sent]) => window.__portalDoc !== doc
    ? document.readyState === 'complete' && window.__portalXhr.done === window.__portalXhr.sent
    : window.__portalXhr.sent > sent && window.__portalXhr.done === window.__portalXhr.sent"""


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)  # and so commits for real (the live server has its own connections)


@pytest.fixture(scope="session")
def live_server(_session_app) -> Iterator[str]:
    """Serve the test app on 127.0.0.1 with a random port; yields the base URL."""
    server = make_server("127.0.0.1", 0, _session_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the run."""
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        message = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; browser tests are required under CI=true")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Requests of service workers go through the context's routes (test_offline aborts them to cut the phone
    # off: Chromium's offline emulation does not reach a service worker).
    os.environ.setdefault("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class BrowserPage:
    """A page plus what the test needs around it: the base URL, CSP reports, screenshots, sign-in."""

    def __init__(self, page, base_url: str, violations: list[str]):
        self.page = page
        self.base_url = base_url
        self.violations = violations

    def goto(self, path: str):
        return self.page.goto(self.base_url + path)

    def login(self, username: str, password: str):
        self.goto("/login")
        self.page.fill("#username", username)
        self.page.fill("#password", password)
        with self.answered():
            self.page.click("#login-form button[type=submit]")

    @contextmanager
    def answered(self):
        """Wait, after the block, until what it did has been answered: a new page has loaded, or every request
        it sent (htmx's, with at least one) has come back and been swapped in."""
        mark = self.page.evaluate("() => [window.__portalDoc, window.__portalXhr.sent]")
        yield
        self.page.wait_for_function(ANSWERED, arg=mark)

    def settled(self):
        """Wait until every request the page has sent has come back (for requests already sent)."""
        self.page.wait_for_function("() => window.__portalXhr.done === window.__portalXhr.sent")

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


def _new_page(browser, live_server, request, viewport) -> Iterator[BrowserPage]:
    context = browser.new_context(viewport=viewport, locale="vi-VN")
    violations: list[str] = []

    def report(_source, text):
        violations.append(text)

    context.expose_binding("__reportCspViolation", report)
    context.add_init_script(TRACK_REQUESTS)
    context.add_init_script(
        "document.addEventListener('securitypolicyviolation', function (e) {"
        " window.__reportCspViolation(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sourceFile || ''));"
        "});"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    wrapper = BrowserPage(page, live_server, violations)
    yield wrapper
    context.close()
    assert not violations, f"CSP violations in {request.node.name}: {violations}"


@pytest.fixture
def page(app, browser, live_server, request) -> Iterator[BrowserPage]:
    """A desktop-sized page in a fresh browser context."""
    yield from _new_page(browser, live_server, request, {"width": 1280, "height": 800})


@pytest.fixture
def phone(app, browser, live_server, request) -> Iterator[BrowserPage]:
    """A 360-px phone-sized page in a fresh browser context."""
    yield from _new_page(browser, live_server, request, {"width": 360, "height": 740})
