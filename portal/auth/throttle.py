"""Login throttling shared by every server process (kept in the database).

Failures are counted per account and per client address within a window. Past a free allowance each further
failure makes the next check wait longer, doubling up to a cap. The account's cap is short, so an attacker can
slow an officer's sign-in by seconds but never lock them out; the address's cap is long, so the attacker's own
address is the one that waits. Attempts made while waiting are answered without checking the password and do
not count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..types import UTCDateTime, utcnow
from .models import LoginThrottle


@dataclass(frozen=True)
class Policy:
    """How one kind of key is throttled."""

    prefix: str
    free: int  #: failures allowed in a window before delays start
    cap: timedelta  #: longest delay


WINDOW = timedelta(minutes=15)
ACCOUNT = Policy("user:", free=5, cap=timedelta(seconds=30))
ADDRESS = Policy("ip:", free=20, cap=timedelta(minutes=15))


def _keys(username: str, ip: str | None) -> list[tuple[Policy, str]]:
    keys = [(ACCOUNT, ACCOUNT.prefix + (username or "").strip().lower()[:100])]
    if ip:
        keys.append((ADDRESS, ADDRESS.prefix + ip[:100]))
    return keys


def delay_for(policy: Policy, failures: int) -> timedelta:
    """The wait after ``failures`` failures in the window."""
    if failures <= policy.free:
        return timedelta(0)
    seconds = min(2 ** (failures - policy.free - 1), policy.cap.total_seconds())
    return timedelta(seconds=seconds)


def seconds_to_wait(username: str, ip: str | None, now: datetime | None = None) -> int:
    """How long this attempt must wait (0 when it may be checked now)."""
    now = now or utcnow()
    keys = [key for _policy, key in _keys(username, ip)]
    blocked = db.session.scalars(
        select(LoginThrottle.blocked_until).where(LoginThrottle.key.in_(keys), LoginThrottle.blocked_until > now)
    ).all()
    if not blocked:
        return 0
    return max(1, int((max(blocked) - now).total_seconds() + 0.999))


def _insert():
    return (postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert)(LoginThrottle)


def register_failure(username: str, ip: str | None, now: datetime | None = None) -> None:
    """Count a failed attempt against the account and the address (atomic across processes)."""
    now = now or utcnow()
    window_open = now - WINDOW
    for policy, key in _keys(username, ip):
        stmt = _insert().values(key=key, failures=1, window_start=now, blocked_until=None)
        expired = LoginThrottle.__table__.c.window_start < window_open
        stmt = stmt.on_conflict_do_update(
            index_elements=["key"],
            set_={
                "failures": case((expired, 1), else_=LoginThrottle.__table__.c.failures + 1),
                "window_start": case((expired, literal(now, UTCDateTime())), else_=LoginThrottle.__table__.c.window_start),
            },
        ).returning(LoginThrottle.__table__.c.failures)
        failures = db.session.execute(stmt).scalar_one()
        wait = delay_for(policy, failures)
        if wait:
            db.session.execute(update(LoginThrottle).where(LoginThrottle.key == key).values(blocked_until=now + wait))


def register_success(username: str) -> None:
    """A correct password clears the account's count (the address keeps its own)."""
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.key == ACCOUNT.prefix + username.strip().lower()))


def purge(now: datetime | None = None) -> int:
    """Delete entries whose window and delay are over."""
    now = now or utcnow()
    result = db.session.execute(
        delete(LoginThrottle).where(
            LoginThrottle.window_start < now - WINDOW,
            (LoginThrottle.blocked_until.is_(None)) | (LoginThrottle.blocked_until < now),
        )
    )
    return result.rowcount or 0
