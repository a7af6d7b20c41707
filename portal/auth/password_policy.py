"""Password rules: 8 to 128 characters, not only spaces, hard enough to guess (zxcvbn score 3 or more, with
the username and the portal's own words counted as known), not a common password, and none of the portal's
words or the username inside it."""

from __future__ import annotations

import re
from functools import cache

from flask_babel import gettext as _

from ..i18n.collation import fold_diacritics
from .passwords import MAX_LENGTH, MIN_LENGTH

#: Lowest zxcvbn score accepted (0 to 4; 3 is "safely unguessable: moderate protection from offline attacks").
MIN_SCORE = 3

#: Common Vietnamese choices that lists in English miss.
_VIETNAMESE = {
    "matkhau", "matkhau123", "matkhau@123", "123456a@", "123456aa", "abc@123", "bhxh123", "bhxh@123", "bhxh2026",
    "baohiem", "baohiem123", "baohiemxahoi", "vietnam", "vietnam123", "anhyeuem", "emyeuanh", "iloveyou123",
    "12345678a", "admin123", "admin@123", "quantri", "quantri123", "laocai123", "hanoi123", "saigon123",
}

#: The portal's own words (folded, without separators): the first thing someone guessing tries.
PORTAL_WORDS = ("bhxh", "bhyt", "baohiem", "congphattrien", "phattriennguoithamgia", "outreach")


@cache
def _common() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(p.lower() for p in FREQUENCY_LISTS["passwords"]) | _VIETNAMESE


def _squeezed(text: str) -> str:
    """Lower-case letters and digits only, diacritics folded ("Bảo-hiểm" -> "baohiem")."""
    return re.sub(r"[^a-z0-9]", "", fold_diacritics(text.replace("đ", "d").replace("Đ", "D")))


def score(password: str, username: str = "") -> int:
    """zxcvbn's score (0 to 4), with the username and the portal's words as known inputs."""
    from zxcvbn import zxcvbn

    inputs = [*PORTAL_WORDS, "bảo hiểm", "bảo hiểm xã hội"]
    if username:
        inputs.append(username.lower())
    return zxcvbn(password[:MAX_LENGTH], user_inputs=inputs)["score"]


def problems(password: str, username: str = "") -> list[str]:
    """What is wrong with a password (empty when it is acceptable)."""
    found = []
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        found.append(_("The password must have %(min)d to %(max)d characters.", min=MIN_LENGTH, max=MAX_LENGTH))
    if password and not password.strip():
        found.append(_("The password cannot be only spaces."))
        return found
    squeezed = _squeezed(password)
    if password.lower() in _common() or squeezed in _common():
        found.append(_("This password is among the most common ones; choose another."))
    if any(word in squeezed for word in PORTAL_WORDS):
        found.append(_("The password must not contain the portal's own words (BHXH, BHYT, bảo hiểm, the "
                       "portal's name)."))
    if username and len(username) >= 3 and (username.lower() in password.lower()
                                            or (len(_squeezed(username)) >= 3 and _squeezed(username) in squeezed)):
        found.append(_("The password must not contain the username."))
    if not found and len(password) >= MIN_LENGTH and score(password, username) < MIN_SCORE:
        found.append(_("This password is too easy to guess (repeated or consecutive characters, dates or common "
                       "words). Use a longer phrase of several unrelated words."))
    return found
