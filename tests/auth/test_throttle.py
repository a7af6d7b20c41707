"""Login throttling: delays after repeated failures, shared through the database, never a permanent lock."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from portal.audit.models import AuditEntry
from portal.auth import throttle
from portal.extensions import db
from portal.types import utcnow

from .. import factories


def test_delays_grow_and_are_capped():
    assert throttle.delay_for(throttle.PAIR, 5) == timedelta(0)
    assert throttle.delay_for(throttle.PAIR, 6) == timedelta(seconds=1)
    assert throttle.delay_for(throttle.PAIR, 8) == timedelta(seconds=4)
    assert throttle.delay_for(throttle.PAIR, 1000) == throttle.PAIR.cap
    assert throttle.delay_for(throttle.ADDRESS, 20) == timedelta(0)
    assert throttle.delay_for(throttle.ADDRESS, 1000) == throttle.ADDRESS.cap
    assert throttle.delay_for(throttle.ACCOUNT, 50) == timedelta(0)
    assert throttle.delay_for(throttle.ACCOUNT, 10**6) == throttle.ACCOUNT.cap


def test_failures_are_counted_per_account_and_source(app):
    now = utcnow()
    for _ in range(5):
        throttle.register_failure("lan", "10.0.0.1", now=now)
    db.session.commit()
    assert throttle.seconds_to_wait("lan", "10.0.0.1", now=now) == 0
    throttle.register_failure("lan", "10.0.0.1", now=now)
    db.session.commit()
    # The sixth failure makes that address wait for that account...
    assert throttle.seconds_to_wait("lan", "10.0.0.1", now=now) == 1
    assert throttle.seconds_to_wait("lan", "10.0.0.1", now=now + timedelta(seconds=2)) == 0
    # ...while the owner from another address is checked at once, and the address may still try another account.
    assert throttle.seconds_to_wait("lan", "10.0.0.9", now=now) == 0
    assert throttle.seconds_to_wait("hoa", "10.0.0.1", now=now) == 0


def test_one_source_guessing_many_accounts_waits(app):
    now = utcnow()
    for i in range(21):
        throttle.register_failure(f"user{i}", "10.0.0.7", now=now)
    db.session.commit()
    assert throttle.seconds_to_wait("someone.else", "10.0.0.7", now=now) >= 1
    assert throttle.seconds_to_wait("someone.else", "10.0.0.8", now=now) == 0


def test_window_expiry_restarts_the_count(app):
    start = utcnow() - timedelta(hours=1)
    for _ in range(10):
        throttle.register_failure("minh", "10.0.0.3", now=start)
    db.session.commit()
    throttle.register_failure("minh", "10.0.0.3")
    db.session.commit()
    assert throttle.seconds_to_wait("minh", "10.0.0.3") == 0


def test_guessing_from_many_sources_delays_new_sources_briefly_but_not_a_known_device(app):
    now = utcnow()
    for i in range(200):
        throttle.register_failure("officer", f"10.1.{i // 250}.{i % 250}", now=now)
    db.session.commit()
    wait = throttle.seconds_to_wait("officer", "192.168.1.1", now=now)
    assert 0 < wait <= throttle.ACCOUNT.cap.total_seconds()
    with app.test_request_context():
        device = throttle.known_device(throttle.new_device_cookie("officer"), "officer")
    assert device
    assert throttle.seconds_to_wait("officer", "192.168.1.1", device, now=now) == 0


def test_a_device_cookie_is_bound_to_its_account_and_signed(app):
    with app.test_request_context():
        cookie = throttle.new_device_cookie("lan")
        assert throttle.known_device(cookie, "LAN ") is not None
        assert throttle.known_device(cookie, "hoa") is None
        other = throttle.new_device_cookie("hoa")
        forged = other.rsplit(".", 1)[0] + "." + cookie.rsplit(".", 1)[1]  # hoa's payload, lan's signature
        assert throttle.known_device(forged, "hoa") is None
        assert throttle.known_device("garbage", "lan") is None


def test_login_is_refused_with_429_while_waiting_and_works_after(client):
    user = factories.make_user("local_officer", username="can.bo")
    for _ in range(6):
        assert client.post("/login", data={"username": "can.bo", "password": "wrong-password"}).status_code == 422
    response = client.post("/login", data={"username": "can.bo", "password": factories.DEFAULT_PASSWORD})
    assert response.status_code == 429
    assert "Vui lòng đợi" in response.get_data(as_text=True)
    assert int(response.headers["Retry-After"]) >= 1
    # Once the delay has passed the right password works and clears the count of that address.
    db.session.execute(db.update(throttle.LoginThrottle).values(blocked_until=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    response = client.post("/login", data={"username": "can.bo", "password": factories.DEFAULT_PASSWORD})
    assert response.status_code == 303
    assert throttle.seconds_to_wait(user.username, "127.0.0.1") == 0


def test_the_owner_from_another_source_gets_in_while_one_source_guesses(app, client, monkeypatch):
    now = throttle.utcnow()
    monkeypatch.setattr(throttle, "utcnow", lambda: now)  # the earned delays cannot run out on a slow machine
    factories.make_user("local_officer", username="chu.tk")
    for _ in range(40):
        client.post("/login", data={"username": "chu.tk", "password": "wrong-password"})
    assert client.post("/login", data={"username": "chu.tk", "password": "wrong-password"}).status_code == 429
    owner = app.test_client()
    owner.environ_base["REMOTE_ADDR"] = "10.20.30.40"
    response = owner.post("/login", data={"username": "chu.tk", "password": factories.DEFAULT_PASSWORD})
    assert response.status_code == 303
    # A wrong password from that clean source is still refused (checked, not admitted).
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.20.30.41"
    assert other.post("/login", data={"username": "chu.tk", "password": "not-it"}).status_code == 422


def test_the_owners_known_device_gets_in_from_the_guessing_source(app, client, monkeypatch):
    # The clock stands still: the delays the guesses earn cannot run out on a slow machine before the last one.
    now = throttle.utcnow()
    monkeypatch.setattr(throttle, "utcnow", lambda: now)
    factories.make_user("local_officer", username="chu.may")
    owner = app.test_client()
    assert owner.post("/login", data={"username": "chu.may", "password": factories.DEFAULT_PASSWORD}).status_code == 303
    assert owner.get_cookie(throttle.DEVICE_COOKIE) is not None
    owner.post("/logout")
    # The same address (an office behind one router) then guesses the account from another browser.
    for _ in range(40):
        client.post("/login", data={"username": "chu.may", "password": "wrong-password"})
    assert client.post("/login", data={"username": "chu.may", "password": factories.DEFAULT_PASSWORD}).status_code == 429
    response = owner.post("/login", data={"username": "chu.may", "password": factories.DEFAULT_PASSWORD})
    assert response.status_code == 303


def test_logins_failures_and_throttling_are_audited(client):
    factories.make_user("agent", username="dai.ly")
    client.post("/login", data={"username": "dai.ly", "password": "wrong-password"})
    client.post("/login", data={"username": "dai.ly", "password": factories.DEFAULT_PASSWORD})
    client.post("/logout")
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.action, e.outcome) for e in entries] == [
        ("auth.login", "failure"),
        ("auth.login", "success"),
        ("auth.logout", "success"),
    ]
    assert entries[0].username == "dai.ly" and entries[0].user_id is None
    assert entries[1].user_id is not None
    assert all(e.ip == "127.0.0.1" for e in entries)


def test_purge_removes_old_entries(app):
    old = utcnow() - timedelta(hours=2)
    throttle.register_failure("cu", "10.9.9.9", now=old)
    db.session.commit()
    assert throttle.purge() == 3  # the account, the pair and the address
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(throttle.LoginThrottle)) == 0
