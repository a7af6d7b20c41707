"""Column types shared by the models."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import CheckConstraint, Column, DateTime, ForeignKey, MetaData, Table
from sqlalchemy.orm import MappedColumn, mapped_column
from sqlalchemy.types import TypeDecorator

from .i18n.collation import collation_key, fold_diacritics, text_collation_key


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


def by_user(**kwargs) -> MappedColumn:
    """A reference to the user who did something; NULL once that user is deleted."""
    return mapped_column(ForeignKey("users.id", ondelete="SET NULL"), **kwargs)


def timestamp(*, on_update: bool = False, **kwargs) -> MappedColumn:
    """When the row was written (UTC), or last changed with ``on_update``."""
    if on_update:
        kwargs["onupdate"] = utcnow
    return mapped_column(UTCDateTime, default=utcnow, **kwargs)


def link_table(metadata: MetaData, name: str, **references: str) -> Table:
    """A many-to-many table of two references (column name to ``table.id``) that make its key, each row gone
    with either side; the second column is indexed too: ``link_table(db.metadata, "event_agents",
    event_id="events.id", agent_id="agents.id")``."""
    (left, left_to), (right, right_to) = references.items()
    return Table(name, metadata, Column(left, ForeignKey(left_to, ondelete="CASCADE"), primary_key=True),
                 Column(right, ForeignKey(right_to, ondelete="CASCADE"), primary_key=True, index=True))


def value_checks(**columns: Iterable[str]) -> tuple[CheckConstraint, ...]:
    """One :func:`one_of` CHECK per column, each named after its column: ``value_checks(kind=KINDS, ...)``."""
    return tuple(one_of(column, values, name=column) for column, values in columns.items())


class Named:
    """A row with a ``name`` kept with its Vietnamese sort key (and its folded form when it has ``search_name``)."""

    _name_column = "name"

    def _sort_key(self, name: str) -> str:
        return text_collation_key(name)

    def set_name(self, name: str) -> None:
        """Set the name and the fields derived from it."""
        setattr(self, self._name_column, name)
        self.sort_key = self._sort_key(name)
        if hasattr(type(self), "search_name"):
            self.search_name = fold_diacritics(name)

    def __str__(self) -> str:
        return getattr(self, self._name_column)


class PersonNamed(Named):
    """A row with a person's ``full_name``, sorted by given name (and folded when it has ``search_name``)."""

    _name_column = "full_name"

    def _sort_key(self, name: str) -> str:
        return collation_key(name)


# Where a row lies, for ``portal.auth.scope``: each gives the model its ``scope_clause(scope)``.


def _placed_by(name: str, method: str, *columns: str, doc: str) -> type:
    """A mixin whose ``scope_clause(scope)`` is ``scope.<method>(cls.<column>, ...)``."""

    def scope_clause(cls, scope):
        return getattr(scope, method)(*(getattr(cls, column) for column in columns))

    return type(name, (), {"__doc__": doc, "scope_clause": classmethod(scope_clause)})


InProvince = _placed_by("InProvince", "provinces", "province_id",
                        doc="Rows of a province (``province_id``): a scope sees those of the province(s) it touches.")
InOffice = _placed_by("InOffice", "offices", "office_id",
                      doc="Rows of an office (``office_id``): a scope sees those of its offices.")
InCommune = _placed_by("InCommune", "communes", "commune_id",
                       doc="Rows of a commune (``commune_id``): a scope sees those of its communes.")
InHamlet = _placed_by("InHamlet", "hamlets", "hamlet_id", "commune_id",
                      doc="Rows of a hamlet (``hamlet_id``, ``commune_id``): a scope sees those of its hamlets.")
OfEvent = _placed_by("OfEvent", "events", "event_id",
                     doc="Rows of an event (``event_id``): a scope sees those of the events it sees.")
