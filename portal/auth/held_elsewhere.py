"""Identity numbers held outside the caller's territory.

A CCCD or social insurance code is unique in the country, so a form or an import must say when a number is
already someone else's, even someone the caller may not see. Such an answer says only "held elsewhere: ask
the province office" (no name, no place, the same status code as any refused value); each one is audited
against the holder, so the province office sees who asked; and one user gets at most ``HELD_ELSEWHERE.free``
of them in a window before every check of numbers against the country waits (whatever the numbers), so the
registry cannot be probed number by number.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..audit import services as audit
from . import throttle

MESSAGE = _l("This number is held elsewhere: ask the province office.")


class TooManyChecks(Exception):
    """The user had too many answers "held elsewhere" lately; checks wait ``seconds``."""

    def __init__(self, seconds: int):
        super().__init__(seconds)
        self.seconds = seconds

    @property
    def message(self) -> str:
        minutes = max(1, (self.seconds + 59) // 60)
        return _("Too many numbers held elsewhere were checked. Numbers can be checked again in %(n)d minutes.",
                 n=minutes)


def check_allowed(user) -> None:
    """Raise TooManyChecks while the user's checks against the country wait."""
    if (wait := throttle.held_elsewhere_wait(user.id)) > 0:
        audit.record("identity.check_throttled", outcome="denied", details={"wait": wait})
        raise TooManyChecks(wait)


def answered(user, action: str, holders: Iterable[int], details: dict | None = None) -> None:
    """Audit and count answers "held elsewhere": one entry naming the holder, or for several one entry listing
    them (the caller commits)."""
    holders = sorted(set(holders))
    if len(holders) == 1:
        audit.record(action, object_type="person", object_id=holders[0], outcome="denied", details=details)
    elif holders:
        audit.record(action, object_type="person", outcome="denied",
                     details={**(details or {}), "count": len(holders), "people": holders[:500]})
    if holders and user is not None:
        throttle.register_held_elsewhere(user.id, len(holders))
