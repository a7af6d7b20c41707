"""Writing policy values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from ..audit import services as audit
from ..extensions import db
from .models import PolicyValue
from .parameters import SHIPPED


def seed_shipped() -> int:
    """Insert the shipped values that are missing (by parameter and date); return how many (caller commits)."""
    existing = set(db.session.execute(select(PolicyValue.key, PolicyValue.effective_from)).all())
    added = 0
    for item in SHIPPED:
        if (item.key, item.effective_from) in existing:
            continue
        db.session.add(PolicyValue(key=item.key, value=item.value, effective_from=item.effective_from,
                                   source=item.source, note=item.note, confirmed=item.confirmed))
        added += 1
    return added


def set_value(*, key: str, value: Decimal, effective_from: date, source: str, note: str | None, user,
              confirmed: bool = True) -> PolicyValue:
    """Add (or replace) the value of a parameter from a date, with an audit entry (caller commits). An unconfirmed
    value is used with a warning on quotes and "(dự kiến)" on leaflets."""
    row = db.session.scalar(select(PolicyValue).where(PolicyValue.key == key,
                                                      PolicyValue.effective_from == effective_from))
    old = None
    if row is None:
        row = PolicyValue(key=key, effective_from=effective_from)
        db.session.add(row)
    else:
        old = str(row.value)
    row.value = value
    row.source = source
    row.note = note or None
    row.confirmed = confirmed
    row.created_by_id = user.id
    db.session.flush()
    audit.record("policy.set", obj=row, object_type="policy_value",
                 details={"key": key, "from": effective_from.isoformat(), "value": str(value), "old": old,
                          "confirmed": confirmed})
    return row
