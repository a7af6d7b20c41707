"""Factories for test objects. Each commits, so the object is visible to requests made afterwards."""

from __future__ import annotations

import itertools
from functools import cache

from portal.auth.models import User
from portal.auth.passwords import hash_password
from portal.extensions import db

DEFAULT_PASSWORD = "mat-khau-thu-nghiem"  # noqa: S105
_counter = itertools.count(1)


@cache
def _default_hash() -> str:
    # Argon2 is slow on purpose; one hash serves every test user with the default password.
    return hash_password(DEFAULT_PASSWORD)


def make_user(role: str = "admin", *, username: str | None = None, password: str | None = None, **fields) -> User:
    """A committed user of a role."""
    n = next(_counter)
    user = User(
        username=username or f"{role.replace('_', '')}{n}",
        full_name=fields.pop("full_name", f"Người Dùng {n}"),
        role=role,
        password_hash=hash_password(password) if password else _default_hash(),
        **fields,
    )
    db.session.add(user)
    db.session.commit()
    return user
