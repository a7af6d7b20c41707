"""A request that recorded nothing new because the same thing was already recorded (the same invitation
checked in twice, under two client keys). Views say so here; a replayed offline action is then reported to the
phone as a duplicate rather than as accepted."""

from __future__ import annotations

from flask import g


def repeated() -> None:
    """This request found what it was asked to record already recorded."""
    g.repeated_request = True


def was_repeated() -> bool:
    return bool(g.get("repeated_request"))
