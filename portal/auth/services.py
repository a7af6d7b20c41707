"""Account operations; those of the user administration pages add their audit entry. Callers commit."""

from __future__ import annotations

from ..audit import services as audit
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


def add_user(*, username: str, full_name: str, role: str, password: str, **fields) -> User:
    """Create an account from the administration pages."""
    user = create_user(username=username, full_name=full_name, role=role, password=password, **fields)
    db.session.flush()
    audit.record("user.create", obj=user, object_type="user", details={"role": user.role})
    return user


def update_user(user: User, *, username: str, full_name: str, phone: str | None, role: str, office_id: int | None,
                agent_id: int | None, locale: str) -> None:
    """Change an account; a change of role, office or agent record ends its sessions (and is audited apart)."""
    before = {"role": user.role, "office_id": user.office_id, "agent_id": user.agent_id}
    user.username = username.strip().lower()
    user.full_name = full_name.strip()
    user.phone = phone
    user.role = role
    user.office_id = office_id
    user.agent_id = agent_id
    user.locale = locale
    after = {"role": user.role, "office_id": user.office_id, "agent_id": user.agent_id}
    audit.record("user.update", obj=user, object_type="user")
    if before != after:
        user.end_sessions()
        audit.record("user.scope_change", obj=user, object_type="user", details={"before": before, "after": after})


def set_active(user: User, active: bool) -> None:
    """Deactivate an account (its sessions end at the next request) or reactivate it."""
    user.active = active
    if not active:
        user.end_sessions()
    audit.record("user.reactivate" if active else "user.deactivate", obj=user, object_type="user")


def reset_password(user: User, password: str) -> None:
    """Set a new password chosen by an administrator; the user's sessions end."""
    user.password_hash = hash_password(password)
    user.end_sessions()
    audit.record("user.password_reset", obj=user, object_type="user")
