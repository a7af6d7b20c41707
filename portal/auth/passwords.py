"""Password hashing with Argon2id."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app, has_app_context

# OWASP's minimum for Argon2id is m=19 MiB, t=2, p=1; we go above it on memory.
HASHER = PasswordHasher(time_cost=2, memory_cost=46 * 1024, parallelism=1)
#: Under TESTING only (refused in production): Argon2id at its lowest cost, so that a suite signing in
#: thousands of times does not spend minutes hashing.
TEST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)

MIN_LENGTH = 8
MAX_LENGTH = 128


def _hasher() -> PasswordHasher:
    return TEST_HASHER if has_app_context() and current_app.testing else HASHER


def hash_password(password: str) -> str:
    """Hash a password for storage."""
    return _hasher().hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """Check a password against its stored hash, in constant time."""
    try:
        return _hasher().verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Whether a hash was made with weaker parameters than today's."""
    try:
        return _hasher().check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


def dummy_hash() -> str:
    """A hash verified when the user does not exist, so both paths cost the same time."""
    return _dummy_hash(_hasher())


@cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    return hasher.hash("portal-dummy-password-for-timing")
