"""Column types shared by the models."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import CheckConstraint, DateTime
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator):
    """A moment in time, stored as naive UTC on every database and returned timezone-aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("UTCDateTime needs an aware datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    """The current moment, timezone-aware."""
    return datetime.now(UTC)


def one_of(column: str, values: Iterable[str], *, name: str, or_null: bool = False) -> CheckConstraint:
    """A CHECK constraint that keeps ``column`` within ``values`` (and NULL when ``or_null``)."""
    sql = f"{column} IN ({', '.join(repr(v) for v in values)})"
    if or_null:
        sql += f" OR {column} IS NULL"
    return CheckConstraint(sql, name=name)
