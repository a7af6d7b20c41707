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

# The role sets. Routes (``roles_required``), menu entries (``portal.auth.menu``) and checks in views and
# templates name one of these; no module declares a set of its own.
#: Every role.
EVERYONE = frozenset(ROLES)
#: The administrator alone: users, audit log, policy parameters, data protection.
ADMINS = frozenset({ADMIN})
#: The collection agent alone: the agent's own work.
AGENTS = frozenset({AGENT})
#: Those who plan across the province: campaigns, offices.
PLANNERS = frozenset({ADMIN, PROVINCE_OFFICER})
#: Those who edit the work of their area: events, speakers, agents, communes, imports, results.
OFFICERS = frozenset({ADMIN, PROVINCE_OFFICER, LOCAL_OFFICER})
#: Officers and viewers: read the area's lists and dashboards.
READERS = OFFICERS | {VIEWER}
#: Officers and agents: work at the door (walk-ins, sign-ups, declarations, invitations).
OFFICERS_AND_AGENTS = OFFICERS | {AGENT}
#: Roles not attached to an office (the administrator sees everything, an agent sees the agent's own work).
WITHOUT_OFFICE = frozenset({ADMIN, AGENT})
#: Roles that belong to an office.
WITH_OFFICE = EVERYONE - WITHOUT_OFFICE


def roles_required(allowed: frozenset[str]):
    """Limit a view to a role set of this module: others get 403 (after login)."""
    if not isinstance(allowed, frozenset) or not allowed <= EVERYONE:
        raise TypeError(f"roles_required takes one role set of portal.auth.roles, not {allowed!r}")

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
