"""Declaration batches: which confirmed sign-ups went to the D05-TS or D03-TS list, by whom and when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Integer, String, true
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..types import by_user, one_of, timestamp


class DeclarationBatch(db.Model):
    """One export of sign-ups to a declaration list."""

    __tablename__ = "declaration_batches"
    __table_args__ = (one_of("form", ("d05", "d03"), name="form"),)

    #: Surrogate key.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: "d05" (BHXH tự nguyện) or "d03" (BHYT hộ gia đình).
    form: Mapped[str] = mapped_column(String(3))
    #: The filters that chose the sign-ups (event, agent, commune, period).
    filters: Mapped[dict] = mapped_column(JSON)
    #: How many sign-ups it carried.
    count: Mapped[int] = mapped_column(Integer)
    #: Who exported it and when (UTC).
    created_by_id: Mapped[int | None] = by_user()
    created_at: Mapped[datetime] = timestamp()

    @classmethod
    def scope_clause(cls, scope):
        """Batches are listed per user through their sign-ups; the table itself holds no personal data."""
        return true()
