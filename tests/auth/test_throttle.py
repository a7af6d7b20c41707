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
    assert throttle.delay_for(throttle.ACCOUNT, 5) == timedelta(0)
    assert throttle.delay_for(throttle.ACCOUNT, 6) == timedelta(seconds=1)
    assert throttle.delay_for(throttle.ACCOUNT, 8) == timedelta(seconds=4)
    assert throttle.delay_for(throttle.ACCOUNT, 1000) == throttle.ACCOUNT.cap
    assert throttle.delay_for(throttle.ADDRESS, 20) == timedelta(0)
    assert throttle.delay_for(throttle.ADDRESS, 1000) == throttle.ADDRESS.cap


def test_failures_are_counted_per_account_and_address(app):
    now = utcnow()
    for _ in range(5):
        throttle.register_failure("lan", "10.0.0.1", now=now)
    db.session.commit()
    assert throttle.seconds_to_wait("lan", "10.0.0.2", now=now) == 0
    throttle.register_failure("lan", "10.0.0.1", now=now)
    db.session.commit()
    # The sixth failure makes the account wait a second, from any address.
    assert throttle.seconds_to_wait("lan", "10.0.0.9", now=now) == 1
    assert throttle.seconds_to_wait("lan", "10.0.0.9", now=now + timedelta(seconds=2)) == 0
    # Another account from the same address is not held up (the address allowance is larger).
    assert throttle.seconds_to_wait("hoa", "10.0.0.1", now=now) == 0


def test_window_expiry_restarts_the_count(app):
    start = utcnow() - timedelta(hours=1)
    for _ in range(10):
        throttle.register_failure("minh", None, now=start)
    db.session.commit()
    throttle.register_failure("minh", None)
    db.session.commit()
    assert throttle.seconds_to_wait("minh", None) == 0


def test_the_account_delay_never_exceeds_its_cap(app):
    now = utcnow()
    for _ in range(200):
        throttle.register_failure("officer", f"10.1.{_ // 250}.{_ % 250}", now=now)
    db.session.commit()
    wait = throttle.seconds_to_wait("officer", "192.168.1.1", now=now)
    assert 0 < wait <= throttle.ACCOUNT.cap.total_seconds()


def test_login_is_refused_with_429_while_waiting_and_works_after(client):
    user = factories.make_user("local_officer", username="can.bo")
    for _ in range(6):
        assert client.post("/login", data={"username": "can.bo", "password": "wrong-password"}).status_code == 422
    response = client.post("/login", data={"username": "can.bo", "password": factories.DEFAULT_PASSWORD})
    assert response.status_code == 429
    assert "Vui lòng đợi" in response.get_data(as_text=True)
    assert int(response.headers["Retry-After"]) >= 1
    # Once the delay has passed the right password works and clears the account's count.
    db.session.execute(db.update(throttle.LoginThrottle).values(blocked_until=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    response = client.post("/login", data={"username": "can.bo", "password": factories.DEFAULT_PASSWORD})
    assert response.status_code == 303
    assert throttle.seconds_to_wait(user.username, None) == 0


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
    assert throttle.purge() == 2
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(throttle.LoginThrottle)) == 0
