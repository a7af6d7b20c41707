"""Account operations."""

from __future__ import annotations

from ..extensions import db
from ..types import utcnow
from .models import User
from .passwords import dummy_hash, hash_password, needs_rehash, verify_password


def authenticate(username: str, password: str) -> User | None:
    """The active user with these credentials, or None (same cost whether or not the user exists)."""
    user = User.by_username(username)
    if user is None:
        verify_password(dummy_hash(), password)
        return None
    if not verify_password(user.password_hash, password) or not user.active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return user


def create_user(*, username: str, full_name: str, role: str, password: str, **fields) -> User:
    """Create a user (caller commits)."""
    user = User(
        username=username.strip().lower(),
        full_name=full_name.strip(),
        role=role,
        password_hash=hash_password(password),
        **fields,
    )
    db.session.add(user)
    return user
