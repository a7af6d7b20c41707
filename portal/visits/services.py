"""Recording visit outcomes (idempotent, with optimistic locking), and the officer's changes to a list (build,
split, reassign, remove, add, quotas), each with its audit entry."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from ..audit import services as audit
from ..events.models import Event
from ..extensions import db
from ..types import utcnow
from . import building
from .models import DECLINE_REASONS, OUTCOMES, AgentQuota, Visit, VisitAssignment, VisitList


class OutcomeError(ValueError):
    """An outcome that cannot be recorded (``code`` says why)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


class Conflict(Exception):
    """The assignment changed since the form was opened."""


def record_outcome(
    assignment: VisitAssignment,
    *,
    outcome: str,
    user,
    event_starts_at=None,
    person_id: int | None = None,
    decline_reason: str | None = None,
    expected_attendees: int | None = None,
    note: str | None = None,
    follow_up_on: date | None = None,
    from_paper: bool = False,
    submission_key: str | None = None,
    expected_version: int | None = None,
) -> Visit:
    """Record what a visit found; the same ``submission_key`` twice records it once (caller commits)."""
    if submission_key:
        existing = db.session.scalar(select(Visit).where(Visit.submission_key == submission_key))
        if existing is not None:
            return existing
    if outcome not in OUTCOMES:
        raise OutcomeError("outcome")
    if outcome == "declined" and decline_reason not in DECLINE_REASONS:
        raise OutcomeError("decline_reason")
    if outcome != "declined":
        decline_reason = None
    if outcome == "invited":
        if expected_attendees is None:
            expected_attendees = 1
        if not 1 <= expected_attendees <= 20:
            raise OutcomeError("expected_attendees")
    else:
        expected_attendees = None
    if expected_version is not None and expected_version != assignment.version:
        raise Conflict()
    now = utcnow()
    # A paper list records visits made before the event, even when it is typed in on the day or after: its "m"
    # delivered an invitation letter like a visit recorded on the phone.
    after_event = bool(event_starts_at and now >= event_starts_at and not from_paper)
    visit = Visit(
        assignment_id=assignment.id, household_id=assignment.household_id, person_id=person_id,
        agent_id=assignment.agent_id, outcome=outcome, decline_reason=decline_reason,
        expected_attendees=expected_attendees, note=(note or "").strip() or None, follow_up_on=follow_up_on,
        from_paper=from_paper, after_event=after_event,
        recorded_by_id=user.id, recorded_at=now, submission_key=submission_key,
    )
    db.session.add(visit)
    if person_id is None:
        assignment.outcome = outcome
        assignment.outcome_at = now
        assignment.follow_up_on = follow_up_on
    try:
        db.session.flush()
    except StaleDataError as exc:
        raise Conflict() from exc
    if outcome == "invited" and not visit.after_event:
        _invite(assignment, person_id, expected_attendees)
    return visit


def _invite(assignment: VisitAssignment, person_id: int | None, expected: int) -> None:
    """An "invited" outcome means the agent left an invitation letter: the household is then on the event's
    invitations (for the attendance sheet, check-in and the letters), with the number of people it expects."""
    from ..results.models import Attendance
    from ..results.services import invite
    event_id = db.session.scalar(select(VisitList.event_id).where(VisitList.id == assignment.visit_list_id))
    invitation = invite(db.session.get(Event, event_id), assignment.household_id, agent_id=assignment.agent_id,
                        expected=expected, person_id=person_id)
    checked_in = db.session.scalar(select(Attendance.id).where(Attendance.invitation_id == invitation.id).limit(1))
    if invitation.expected_attendees != expected and checked_in is None:
        invitation.expected_attendees = expected


def audit_list_change(action: str, visit_list, **details) -> None:
    """Audit entry for building, splitting or reassigning a list."""
    audit.record(action, obj=visit_list, object_type="visit_list", details=details)


def build_list(event, criteria: building.Criteria, user) -> tuple[VisitList, int]:
    """Create the event's list (or add to it) from the households matching the criteria; how many were added."""
    visit_list, added = building.build_list(event, criteria, user)
    audit_list_change("visit_list.build", visit_list, added=added, criteria=criteria.as_json())
    return visit_list, added


def split(visit_list: VisitList, agent_ids: list[int], *, redo: bool = False) -> building.SplitResult:
    """Give the unassigned households (or all, with ``redo``) to the agents covering their hamlets."""
    result = building.split_among_agents(visit_list, agent_ids, redo=redo)
    audit_list_change("visit_list.split", visit_list, assigned=result.assigned, unassigned=result.unassigned)
    return result


def reassign(visit_list: VisitList, assignment_ids: list[int], agent_id: int | None) -> int:
    """Give these households of the list to another agent (or nobody); how many changed."""
    changed = building.reassign(visit_list, assignment_ids, agent_id)
    audit_list_change("visit_list.reassign", visit_list, assignments=assignment_ids, agent_id=agent_id)
    return changed


def remove(visit_list: VisitList, assignment_ids: list[int]) -> int:
    """Take these households off the list; how many were removed."""
    removed = building.remove_households(visit_list, assignment_ids) if assignment_ids else 0
    audit_list_change("visit_list.remove", visit_list, assignments=assignment_ids)
    return removed


def add_households(visit_list: VisitList, household_ids: list[int]) -> int:
    """Add households chosen by hand; how many were new to the list."""
    added = building.add_households(visit_list, household_ids)
    audit_list_change("visit_list.add", visit_list, households=household_ids)
    return added


def set_quota(visit_list: VisitList, agent_id: int, max_visits: int) -> AgentQuota:
    """Set the most visits an agent takes on this list."""
    row = db.session.get(AgentQuota, (visit_list.id, agent_id)) or AgentQuota(visit_list_id=visit_list.id,
                                                                              agent_id=agent_id)
    row.max_visits = max_visits
    db.session.add(row)
    audit_list_change("visit_list.quota", visit_list, agent_id=agent_id, max_visits=max_visits)
    return row
