"""Effective-dated policy parameters (contribution rates, income limits, state support, BHYT ladder)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, Integer, Numeric, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..types import by_user, timestamp


class PolicyValue(db.Model):
    """The value a parameter takes from a date on (until the next value of the same parameter)."""

    __tablename__ = "policy_values"
    __table_args__ = (UniqueConstraint("key", "effective_from", name="uq_policy_values_key_from"),)

    #: Surrogate key.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Parameter name, e.g. "bhxh_tn.rate" or "support.near_poor" (see portal.policy.parameters).
    key: Mapped[str] = mapped_column(String(64), index=True)
    #: The value (a rate as a fraction, or an amount in đồng, or a count).
    value: Mapped[Decimal] = mapped_column(Numeric(16, 6))
    #: First day the value applies.
    effective_from: Mapped[date] = mapped_column(Date)
    #: Legal source (law, decree, decision) and article.
    source: Mapped[str] = mapped_column(String(300))
    #: Notes, e.g. what is not yet confirmed.
    note: Mapped[str | None] = mapped_column(Text)
    #: False while the value is announced but not yet confirmed as law: quotes using it carry a warning and
    #: leaflets label it "(dự kiến)".
    confirmed: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    #: Who entered it (None for values shipped with the portal) and when.
    created_by_id: Mapped[int | None] = by_user()
    created_at: Mapped[datetime] = timestamp()

    @classmethod
    def scope_clause(cls, scope):
        """Policy values are national: everyone may read them."""
        return true()
