"""Writes of the data-protection pages (each with its audit entry; the caller commits)."""

from __future__ import annotations

from datetime import date
from typing import Any

from ..audit import services as audit
from ..extensions import db
from ..households import services as registry
from ..households.models import Household, Person
from ..i18n.formatting import local_today
from .deadlines import deadlines
from .models import DataSubjectRequest


def create_request(*, kind: str, person: Person | None, requester_name: str, channel: str, received_on: date,
                   details: str | None, user) -> DataSubjectRequest:
    """Record a request with its deadlines (acknowledge within 2 working days; answer within the setting)."""
    acknowledge_by, answer_by = deadlines(received_on)
    row = DataSubjectRequest(kind=kind, person_id=person.id if person else None, requester_name=requester_name,
                             channel=channel, received_on=received_on, acknowledge_by=acknowledge_by,
                             answer_by=answer_by, details=details, created_by_id=user.id, status="received")
    db.session.add(row)
    db.session.flush()
    audit.record("privacy.request_create", obj=row,
                 details={"kind": kind, "person": row.person_id, "channel": channel,
                          "received_on": received_on.strftime("%d/%m/%Y")})
    return row


def update_request(row: DataSubjectRequest, *, status: str, acknowledged_on: date | None,
                   answered_on: date | None, outcome: str | None) -> list[str]:
    """Change a request's status, dates and outcome; the days default to today when the status moves on.

    Returns the changed field names (the audit entry holds names and the status, never the free text).
    """
    today = local_today()
    if status != "received" and acknowledged_on is None:
        acknowledged_on = row.acknowledged_on or today
    if status in ("done", "refused") and answered_on is None:
        answered_on = row.answered_on or today
    wanted = {"status": status, "acknowledged_on": acknowledged_on, "answered_on": answered_on, "outcome": outcome}
    changed = [k for k, v in wanted.items() if getattr(row, k) != v]
    if not changed:
        return []
    old_status = row.status
    for key in changed:
        setattr(row, key, wanted[key])
    audit.record("privacy.request_update", obj=row,
                 details={"fields": changed, "status": [old_status, status] if "status" in changed else status})
    return changed


def _shown(value: Any) -> Any:
    """A value as the audit log keeps it: dates as dd/mm/yyyy (the masking only hides digit runs)."""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return value


def correct_person(request: DataSubjectRequest, person: Person, *, values: dict, tags: set[str]) -> dict:
    """Apply a correction through the registry's own service and audit old -> new (numbers masked).

    Returns {field: [old, new]} of what changed.
    """
    household = db.session.get(Household, person.household_id)
    before = {key: getattr(person, key) for key in values}
    before_tags = registry.person_tag_set(person.id)
    changed = registry.save_person(person, household, values=values, tags=tags, creating=False)
    changes: dict[str, list] = {}
    for key in changed:
        if key == "tags":
            changes["tags"] = [sorted(before_tags), sorted(tags)]
        else:
            changes[key] = [_shown(before[key]), _shown(values[key])]
    audit.record("privacy.correction", obj=person, object_type="person",
                 details={"request": request.id, "changes": changes})
    return changes
