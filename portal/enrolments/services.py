"""Writes for sign-ups outside events: confirming a batch of receipts, resolving a clash, and recording the rows
of a receipt register. Services never commit; the view does."""

from __future__ import annotations

from datetime import date

from ..audit import services as audit
from ..extensions import db
from ..results import clashes as clash_rules
from ..results.models import SignUp, SignUpBatch
from ..types import utcnow


class EnrolmentError(ValueError):
    """A confirmation or resolution that cannot be accepted (``code`` says why)."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


def confirm_batch(signups: list[SignUp], *, start: date, end: date, handed_in: int, user,
                  agent_id: int | None = None, organisation_id: int | None = None,
                  collection_point: str | None = None, notes: str | None = None) -> SignUpBatch:
    """Confirm these receipts as one batch: they count in reports from now on (caller commits).

    Refused when there is nothing to confirm, when a sign-up is no longer waiting (someone confirmed it or marked
    it a duplicate meanwhile), when one of them clashes with a counted sign-up or with another of the batch (the
    officer decides first), or when the money handed in differs from the receipts' total without a note saying
    why."""
    if not signups:
        raise EnrolmentError("empty")
    if any(s.status != "recorded" or s.event_id is not None for s in signups):
        raise EnrolmentError("changed")
    blocking = [c for c in clash_rules.clashes(signups) if c.blocking]
    if blocking:
        raise EnrolmentError("clashes", n=len(blocking))
    total = sum(s.net for s in signups)
    notes = (notes or "").strip() or None
    if handed_in != total and not notes:
        raise EnrolmentError("handed_in", total=total, handed_in=handed_in)
    batch = SignUpBatch(agent_id=agent_id, organisation_id=organisation_id,
                        collection_point=(collection_point or "").strip() or None, period_start=start,
                        period_end=end, signups=len(signups), total_net=total, handed_in=handed_in, notes=notes,
                        confirmed_by_id=user.id, confirmed_at=utcnow())
    db.session.add(batch)
    db.session.flush()
    for s in signups:
        s.status = "confirmed"
        s.batch_id = batch.id
    audit.record("signup_batch.confirm", obj=batch, object_type="signup_batch",
                 details={"signups": len(signups), "total_net": total, "handed_in": handed_in,
                          "agent_id": agent_id, "organisation_id": organisation_id,
                          "period": [start.isoformat(), end.isoformat()]})
    db.session.flush()
    return batch


def resolve_duplicate(signup: SignUp, kept: SignUp, *, user) -> None:
    """``signup`` is the same enrolment as ``kept``: it never counts (caller commits)."""
    if not any(c.other.id == kept.id or c.signup.id == kept.id for c in clash_rules.clashes([signup])):
        raise EnrolmentError("not_a_clash")
    try:
        clash_rules.mark_duplicate(signup, kept, user=user)
    except clash_rules.ClashError as exc:
        raise EnrolmentError(exc.code) from exc


def resolve_renewal(signup: SignUp, *, user) -> None:
    """A second "new" is a renewal (caller commits)."""
    try:
        clash_rules.make_renewal(signup, user=user)
    except clash_rules.ClashError as exc:
        raise EnrolmentError(exc.code) from exc
