"""Password rules: 8 to 128 characters, not a common password, not the username."""

from __future__ import annotations

from functools import cache

from flask_babel import gettext as _

from .passwords import MAX_LENGTH, MIN_LENGTH

#: Common Vietnamese choices that lists in English miss.
_VIETNAMESE = {
    "matkhau", "matkhau123", "matkhau@123", "123456a@", "123456aa", "abc@123", "bhxh123", "bhxh@123", "bhxh2026",
    "baohiem", "baohiem123", "baohiemxahoi", "vietnam", "vietnam123", "anhyeuem", "emyeuanh", "iloveyou123",
    "12345678a", "admin123", "admin@123", "quantri", "quantri123", "laocai123", "hanoi123", "saigon123",
}


@cache
def _common() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(p.lower() for p in FREQUENCY_LISTS["passwords"]) | _VIETNAMESE


def problems(password: str, username: str = "") -> list[str]:
    """What is wrong with a password (empty when it is acceptable)."""
    found = []
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        found.append(_("The password must have %(min)d to %(max)d characters.", min=MIN_LENGTH, max=MAX_LENGTH))
    if password.lower() in _common():
        found.append(_("This password is among the most common ones; choose another."))
    if username and len(username) >= 3 and username.lower() in password.lower():
        found.append(_("The password must not contain the username."))
    return found
