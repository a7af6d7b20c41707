"""Roles and the decorator that limits a view to some of them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

ADMIN = "admin"
PROVINCE_OFFICER = "province_officer"
LOCAL_OFFICER = "local_officer"
AGENT = "agent"
VIEWER = "viewer"


@dataclass(frozen=True)
class Role:
    """A role a user holds."""

    code: str
    label: object
    description: object


ROLES: dict[str, Role] = {
    ADMIN: Role(ADMIN, _l("Administrator"), _l("Users, offices, geography and policy parameters")),
    PROVINCE_OFFICER: Role(
        PROVINCE_OFFICER, _l("Province officer"), _l("Campaigns and targets; watches progress across the province")
    ),
    LOCAL_OFFICER: Role(
        LOCAL_OFFICER, _l("Local officer"), _l("Events, pre-visit lists, agents and results in the office's communes")
    ),
    AGENT: Role(AGENT, _l("Collection agent"), _l("Own visit lists, invitations and sign-ups")),
    VIEWER: Role(VIEWER, _l("Viewer"), _l("Read-only dashboards of the office's area")),
}

OFFICERS = frozenset({ADMIN, PROVINCE_OFFICER, LOCAL_OFFICER})


def all_roles() -> frozenset[str]:
    """Every role code."""
    return frozenset(ROLES)


def roles_required(*roles: str):
    """Limit a view to some roles: others get 403 (after login)."""
    allowed = frozenset(roles)

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = allowed  # read by the authorization matrix test
        return wrapped

    return decorator
