"""Labels of the network's values (the agent pages show the collaborator roles and opening days too)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .models import COLLABORATOR_ROLES, WEEKDAYS

WEEKDAY_LABELS = {"mon": _l("Mon"), "tue": _l("Tue"), "wed": _l("Wed"), "thu": _l("Thu"), "fri": _l("Fri"),
                  "sat": _l("Sat"), "sun": _l("Sun")}
ROLE_LABELS = {
    "hamlet_head": _l("Hamlet head"),
    "association_leader": _l("Association leader"),
    "commune_official": _l("Commune official"),
    "health_worker": _l("Village health worker"),
    "other": _l("Other"),
}
assert set(WEEKDAY_LABELS) == set(WEEKDAYS) and set(ROLE_LABELS) == set(COLLABORATOR_ROLES)
