"""Entries of the authorization matrix, one module per domain (see tests/test_authz_matrix.py).

An entry maps an endpoint to a :class:`Route`: how to call it and what each role gets. Expected outcomes:

- ``OK``: the role may do it (any 2xx or 3xx other than the login redirect, or 409/422 for a form that the
  matrix fills with made-up data);
- ``DENIED``: 403, the role may not take this action;
- ``HIDDEN``: 404, the object is outside the user's territory;
- ``LOGIN``: anonymous visitors are sent to the login page.

For a territorial route ``url`` (and ``data``) are functions of ``(world, territory)`` and ``expect`` gives,
per role, a pair ``(own territory, other territory)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from portal.auth.roles import ADMIN, AGENT, LOCAL_OFFICER, PROVINCE_OFFICER, ROLES, VIEWER

ANON = "anonymous"
EVERY_ROLE = tuple(sorted(ROLES))
OK = "ok"
DENIED = 403
HIDDEN = 404
LOGIN = "login"


@dataclass(frozen=True)
class Route:
    """How to call one endpoint and what each role gets."""

    method: str
    url: str | Callable[..., str]
    expect: dict[str, Any]
    data: dict | Callable[..., dict] = field(default_factory=dict)
    htmx_target: str | None = None

    @property
    def territorial(self) -> bool:
        return callable(self.url)


def everyone(outcome=OK, anon=LOGIN) -> dict[str, Any]:
    """The same outcome for every role."""
    return {ANON: anon, **{role: outcome for role in EVERY_ROLE}}


def only(*allowed: str, outcome=OK, others=DENIED, anon=LOGIN) -> dict[str, Any]:
    """``outcome`` for the listed roles, ``others`` (403) for the rest."""
    return {ANON: anon, **{role: outcome if role in allowed else others for role in EVERY_ROLE}}


def territorial(*allowed: str, others=DENIED, anon=LOGIN) -> dict[str, Any]:
    """Listed roles reach their own territory's object and get 404 for another's; admins see both."""
    expect: dict[str, Any] = {ANON: (anon, anon)}
    for role in EVERY_ROLE:
        if role not in allowed:
            expect[role] = (others, others)
        elif role == ADMIN:
            expect[role] = (OK, OK)
        else:
            expect[role] = (OK, HIDDEN)
    return expect


__all__ = [
    "ADMIN", "AGENT", "ANON", "DENIED", "EVERY_ROLE", "HIDDEN", "LOCAL_OFFICER", "LOGIN", "OK",
    "PROVINCE_OFFICER", "Route", "VIEWER", "everyone", "only", "territorial",
]
