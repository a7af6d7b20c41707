"""Test fixtures: one migrated database per run (SQLite, or PostgreSQL when TEST_DATABASE_URL is set; one per
pytest-xdist worker), each test rolled back or, marked ``real_commits``, committed and emptied afterwards (see
tests/transactions.py); an app, a CSRF-aware client and an ``auth`` helper per role."""

from __future__ import annotations

import contextvars
import os
import re
from collections.abc import Iterator

import pytest
from flask import Flask, g, has_app_context
from flask.testing import FlaskClient
from sqlalchemy.engine import make_url

from portal import create_app
from portal.extensions import db

from . import factories
from .transactions import Transactions, empty_all_tables

_CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _worker_database_url(url: str | None) -> str | None:
    """Under pytest-xdist each worker gets a database of its own: ``<name>_gw0``, ``<name>_gw1``..."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_{worker}").render_as_string(hide_password=False)


TEST_DATABASE_URL = _worker_database_url(os.environ.get("TEST_DATABASE_URL"))


def pytest_report_header(config):
    return f"database: {'PostgreSQL ' + TEST_DATABASE_URL if TEST_DATABASE_URL else 'SQLite'}"


def _kept_data(item) -> str | None:
    """What a test wants kept under a savepoint across tests: the world, the demo data, or nothing."""
    if "demo" in item.fixturenames:
        return "demo"
    return "world" if "world" in item.fixturenames else None


def _commits(item) -> bool:
    return item.get_closest_marker("real_commits") is not None or item.get_closest_marker("browser") is not None


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Within each module, run the tests that commit for real first, then those without the world, then those
    with it, then those with the demo data, so that each is built at most once per module (the order of tests is
    otherwise kept)."""
    def group(item) -> int:
        if _commits(item):
            return 0
        return {None: 1, "world": 2, "demo": 3}[_kept_data(item)]

    modules: dict[str, int] = {}
    for item in items:
        modules.setdefault(str(item.path), len(modules))
    items[:] = sorted(items, key=lambda item: (modules[str(item.path)], group(item)))


def reset_postgres_database(url: str) -> None:
    """Create the PostgreSQL test database if needed and leave it with an empty public schema."""
    import psycopg

    plain = url.replace("postgresql+psycopg://", "postgresql://")
    server, name = plain.rsplit("/", 1)
    with psycopg.connect(server + "/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
        # A test database need not wait for each commit to reach the disk (nothing is lost but the last
        # moments of a crash, and the next run starts from an empty schema anyway).
        conn.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """The URL of this run's test database, empty and without schema."""
    if TEST_DATABASE_URL:
        reset_postgres_database(TEST_DATABASE_URL)
        return TEST_DATABASE_URL
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")


def make_test_app(database_url: str, instance_path: str, **overrides) -> Flask:
    """An application configured for tests."""
    os.environ["PORTAL_INSTANCE_PATH"] = instance_path
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SERVER_NAME": None,
        # Render processes and background jobs at the tests' own priority: lowered (as in production), they would
        # wait behind the other test processes on a busy machine. tests/printing/test_render_priority.py checks
        # the lowering itself.
        "PRINT_NICE": 0,
        "JOBS_NICE": 0,
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture(scope="session")
def _session_app(database_url, tmp_path_factory) -> Iterator[Flask]:
    from flask_migrate import upgrade

    app = make_test_app(database_url, str(tmp_path_factory.mktemp("instance")))
    app.test_client_class = PortalClient
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def _transactions(_session_app) -> Iterator[Transactions]:
    transactions = Transactions(_session_app)
    yield transactions
    transactions.close()


@pytest.fixture
def app(_session_app, _transactions, request) -> Iterator[Flask]:
    """The application inside an app context. What the test writes is rolled back afterwards; a test marked
    ``real_commits`` commits for real and every table is emptied after it."""
    commits = _commits(request.node)
    if commits:
        _transactions.close()
    else:
        _transactions.begin_test(wants=_kept_data(request.node))
    with _session_app.app_context():
        # The test's own reads must not hold SQLite's write lock while the app serves requests.
        g.sqlite_write = False
        try:
            yield _session_app
        finally:
            db.session.rollback()
            if commits:
                empty_all_tables()
            db.session.remove()
            if not commits:
                _transactions.end_test()


class PortalClient(FlaskClient):
    """A test client that adds the CSRF token to form posts (pass ``csrf=False`` to leave it out)."""

    _token: str | None = None

    def open(self, *args, **kwargs):
        # Run each request in an empty context, so it gets its own app context (own g and db session)
        # like a real request, instead of reusing the one the test holds.
        if has_app_context():
            db.session.commit()  # end the test's transaction: it then sees what the request wrote
        return contextvars.Context().run(super().open, *args, **kwargs)

    def csrf_token(self) -> str:
        """Fetch a page and read its CSRF token."""
        response = self.get("/login")
        match = _CSRF_RE.search(response.get_data(as_text=True))
        if match is None:  # signed in: the login page redirects, read it from the home page
            response = self.get("/")
            match = _CSRF_RE.search(response.get_data(as_text=True))
        assert match, "no CSRF token found"
        self._token = match.group(1)
        return self._token

    def post(self, *args, csrf: bool = True, **kwargs):
        if csrf:
            data = kwargs.setdefault("data", {})
            if isinstance(data, dict) and "csrf_token" not in data:
                data["csrf_token"] = self._token or self.csrf_token()
        response = super().post(*args, **kwargs)
        if args and args[0] in ("/login", "/logout"):
            self._token = None  # signing in or out starts a new session with a new token
        return response

    def htmx_get(self, url: str, target: str | None = None, boosted: bool = False, **kwargs):
        """GET as htmx would send it."""
        headers = {"HX-Request": "true", **kwargs.pop("headers", {})}
        if target:
            headers["HX-Target"] = target
        if boosted:
            headers["HX-Boosted"] = "true"
        return self.get(url, headers=headers, **kwargs)


@pytest.fixture
def client(app) -> PortalClient:
    """A browser-like client."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """Runs ``flask`` commands."""
    return app.test_cli_runner()


class AuthActions:
    """Sign in as a user of a given role.

    ``login`` signs in through the session: it does in one step what a successful POST of the login form does
    (the same service, throttle, audit entry and session keys), then keeps the CSRF token the next page would
    give. ``login_with_form`` posts the real form; tests marked ``login_form`` get it from ``login`` too.
    """

    def __init__(self, client: PortalClient, form: bool = False):
        self._client = client
        self._form = form

    def login(self, role_or_user="admin", password: str = factories.DEFAULT_PASSWORD):
        if self._form:
            return self.login_with_form(role_or_user, password)
        user = role_or_user if not isinstance(role_or_user, str) else factories.make_user(role=role_or_user)
        if has_app_context():
            db.session.commit()  # as a request would: the test then sees what the login wrote
        contextvars.Context().run(sign_in, self._client, user.username, password)
        return user

    def login_with_form(self, role_or_user="admin", password: str = factories.DEFAULT_PASSWORD):
        user = role_or_user if not isinstance(role_or_user, str) else factories.make_user(role=role_or_user)
        response = self._client.post(
            "/login", data={"username": user.username, "password": password}, follow_redirects=False
        )
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
        return user

    def logout(self):
        return self._client.post("/logout")


def sign_in(client: PortalClient, username: str, password: str) -> None:
    """What ``auth.views.login`` does for a correct password, in a request context of ``client``, whose
    session cookie it then sets. Run it in an empty context (like a request)."""
    from flask import current_app, session
    from flask_login import login_user
    from flask_wtf.csrf import generate_csrf

    from portal.audit import services as audit
    from portal.audit.services import client_ip
    from portal.auth import sessions, throttle
    from portal.auth.services import authenticate

    app = client.application
    ctx = app.test_request_context("/login", method="POST", environ_base=client.environ_base)
    client._add_cookies_to_wsgi(ctx.request.environ)
    with ctx:
        username = username.strip().lower()
        assert not throttle.seconds_to_wait(username, client_ip()), f"sign-in of {username} is throttled"
        user = authenticate(username, password)
        assert user is not None, f"wrong password or inactive user: {username}"
        throttle.register_success(username, client_ip())
        audit.record("auth.login", user=user)
        lang = session.get("lang")
        session.clear()  # a fresh session on login (no fixation)
        if lang:
            session["lang"] = lang
        login_user(user)
        sessions.start(user)
        db.session.commit()
        client._token = generate_csrf()  # what the page after the login would put in the session
        response = current_app.response_class()
        current_app.session_interface.save_session(current_app, session, response)
    client._update_cookies_from_response(ctx.request.host.partition(":")[0], ctx.request.path,
                                         response.headers.getlist("Set-Cookie"))


@pytest.fixture
def world(app, _transactions, request):
    """Two territories with a user of every role in the first (see tests/world.py): built once and kept under
    a savepoint while the following tests ask for it too, or, for a test marked ``real_commits``, built and
    committed for this test."""
    from .world import build_world

    if _commits(request.node):
        return build_world()
    return _transactions.world()


@pytest.fixture
def demo(app, _transactions) -> int:
    """The demo data of ``flask demo load``, built once and kept under a savepoint while the following tests ask
    for it too (tests/test_demo.py); the number of records the first load added."""
    return _transactions.demo_added


@pytest.fixture
def auth(client, request) -> AuthActions:
    """Sign-in helper bound to ``client`` (through the real form for a test marked ``login_form``)."""
    return AuthActions(client, form=request.node.get_closest_marker("login_form") is not None)
