"""Login throttling shared by every server process (kept in the database).

The rule (docs/operations.md, "Sign-in throttling"):

- Failures are counted per account *and source* (the pair of username and client address), per source alone,
  and per account across all sources, each within a window. Past a free allowance each further failure makes
  the next check of that key wait longer, doubling up to a cap.
- Someone guessing one account from one address is held by the pair (5 free failures, then up to 15 minutes);
  the same address guessing many accounts is held by the source key (20 free failures, then up to 15 minutes).
  Neither touches the owner signing in from another address, whose password is checked as usual.
- Guessing from many addresses is held by the account key, which has a large allowance (50 failures in the
  window) and a short cap (30 s), and which a *known device* skips: a browser where this account signed in
  before carries a signed cookie naming the account and the device, and its attempts are counted on that
  device only.
- Attempts made while a key waits are answered without checking the password and do not count.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
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
#: One account guessed from one address.
PAIR = Policy("pair:", free=5, cap=timedelta(minutes=15))
#: One address guessing any accounts.
ADDRESS = Policy("ip:", free=20, cap=timedelta(minutes=15))
#: One account guessed from many addresses (skipped by the owner's known device).
ACCOUNT = Policy("user:", free=50, cap=timedelta(seconds=30))
#: Attempts from a known device are counted on that device alone.
DEVICE = Policy("dev:", free=5, cap=timedelta(minutes=15))

#: The cookie that marks a browser where an account signed in before.
DEVICE_COOKIE = "portal_device"
DEVICE_MAX_AGE = timedelta(days=180)
_DEVICE_SALT = "known-device"


def _name(username: str) -> str:
    return (username or "").strip().lower()[:60]


def _keys(username: str, ip: str | None, device: str | None = None) -> list[tuple[Policy, str]]:
    name = _name(username)
    if device:
        return [(DEVICE, f"{DEVICE.prefix}{device[:40]}:{name}"[:120])]
    keys = [(ACCOUNT, ACCOUNT.prefix + name)]
    if ip:
        keys.append((PAIR, f"{PAIR.prefix}{name}@{ip[:50]}"[:120]))
        keys.append((ADDRESS, ADDRESS.prefix + ip[:100]))
    return keys


def delay_for(policy: Policy, failures: int) -> timedelta:
    """The wait after ``failures`` failures in the window."""
    if failures <= policy.free:
        return timedelta(0)
    seconds = min(2 ** min(failures - policy.free - 1, 30), policy.cap.total_seconds())
    return timedelta(seconds=seconds)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_DEVICE_SALT)


def new_device_cookie(username: str, previous: str | None = None) -> str:
    """The cookie value marking this browser as a known device of ``username`` (keeps an existing device id)."""
    device = previous or secrets.token_urlsafe(12)
    return _serializer().dumps({"u": _name(username), "d": device})


def known_device(cookie: str | None, username: str) -> str | None:
    """The device id when ``cookie`` is a valid known-device cookie of ``username``."""
    if not cookie:
        return None
    try:
        data = _serializer().loads(cookie, max_age=int(DEVICE_MAX_AGE.total_seconds()))
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != _name(username) or not isinstance(data.get("d"), str):
        return None
    return data["d"]


def seconds_to_wait(username: str, ip: str | None, device: str | None = None, now: datetime | None = None) -> int:
    """How long this attempt must wait (0 when it may be checked now)."""
    now = now or utcnow()
    keys = [key for _policy, key in _keys(username, ip, device)]
    blocked = db.session.scalars(
        select(LoginThrottle.blocked_until).where(LoginThrottle.key.in_(keys), LoginThrottle.blocked_until > now)
    ).all()
    if not blocked:
        return 0
    return max(1, int((max(blocked) - now).total_seconds() + 0.999))


def _insert():
    return (postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert)(LoginThrottle)


def _count(policy: Policy, key: str, now: datetime, n: int = 1) -> None:
    """Add ``n`` to a key's count in its window and set its wait (atomic across processes)."""
    window_open = now - WINDOW
    stmt = _insert().values(key=key, failures=n, window_start=now, blocked_until=None)
    expired = LoginThrottle.__table__.c.window_start < window_open
    stmt = stmt.on_conflict_do_update(
        index_elements=["key"],
        set_={
            "failures": case((expired, n), else_=LoginThrottle.__table__.c.failures + n),
            "window_start": case((expired, literal(now, UTCDateTime())), else_=LoginThrottle.__table__.c.window_start),
        },
    ).returning(LoginThrottle.__table__.c.failures)
    failures = db.session.execute(stmt).scalar_one()
    wait = delay_for(policy, failures)
    if wait:
        db.session.execute(update(LoginThrottle).where(LoginThrottle.key == key).values(blocked_until=now + wait))


def register_failure(username: str, ip: str | None, device: str | None = None, now: datetime | None = None) -> None:
    """Count a failed attempt against each of its keys."""
    now = now or utcnow()
    for policy, key in _keys(username, ip, device):
        _count(policy, key, now)


#: Answers "held elsewhere" one user may get (about numbers outside their territory) before waiting.
HELD_ELSEWHERE = Policy("held:", free=20, cap=timedelta(hours=1))


def held_elsewhere_wait(user_id: int, now: datetime | None = None) -> int:
    """Seconds before this user may have identity numbers checked against the country again (0: now)."""
    now = now or utcnow()
    until = db.session.scalar(select(LoginThrottle.blocked_until).where(
        LoginThrottle.key == f"{HELD_ELSEWHERE.prefix}{user_id}", LoginThrottle.blocked_until > now))
    return 0 if until is None else max(1, int((until - now).total_seconds() + 0.999))


def register_held_elsewhere(user_id: int, n: int = 1, now: datetime | None = None) -> None:
    """Count ``n`` answers "held elsewhere" given to this user."""
    _count(HELD_ELSEWHERE, f"{HELD_ELSEWHERE.prefix}{user_id}", now or utcnow(), n)


def register_success(username: str, ip: str | None = None, device: str | None = None) -> None:
    """A correct password clears the count of its pair or device (the account and address keep theirs: the
    owner signing in does not reset what someone else is guessing)."""
    keys = [key for policy, key in _keys(username, ip, device) if policy in (PAIR, DEVICE)]
    if keys:
        db.session.execute(delete(LoginThrottle).where(LoginThrottle.key.in_(keys)))


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
