"""Tables as JSON lines: which tables, in what order, how values are written and read back.

Each row is one line: a JSON array of the values in the table's column order, keys of JSON values sorted, no
spaces. Rows are read in primary-key order, so the same contents always give the same bytes and the SHA-256 of
a table's file is also a digest of the table's contents, whatever database it came from.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, DateTime, LargeBinary, Numeric, Table, select
from sqlalchemy.engine import Connection

from ..extensions import db
from ..storage.models import TABLES as STORE_TABLES
from ..types import UTCDateTime

#: Rows fetched and inserted per round trip.
CHUNK = 2000


def tables() -> list[Table]:
    """Every table of the portal, parents before children; not the shared file store's tables (an archive
    carries the evidence files themselves, whatever store holds them, and not caches or earlier backups)."""
    return [t for t in db.metadata.sorted_tables if t.name not in STORE_TABLES]


def self_references(table: Table) -> list[str]:
    """Columns of a table that point at the same table (inserted empty first, filled in afterwards)."""
    return sorted({fk.parent.name for fk in table.foreign_keys if fk.column.table is table})


def encode(value: Any) -> Any:
    """A column value as a JSON value."""
    if value is None or isinstance(value, bool | int | str | float):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return {"$b64": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, dict | list):
        return value
    raise TypeError(f"cannot write a {type(value).__name__} value")


def decoder(column) -> Any:
    """The function that turns a JSON value back into what the column takes."""
    kind = column.type
    if isinstance(kind, JSON):
        return _same
    if isinstance(kind, UTCDateTime | DateTime):
        return _datetime
    if isinstance(kind, Date):
        return _date
    if isinstance(kind, Numeric):
        return _decimal
    if isinstance(kind, LargeBinary):
        return _bytes
    return _same


def _same(value):
    return value


def _datetime(value):
    return None if value is None else datetime.fromisoformat(value)


def _date(value):
    return None if value is None else date.fromisoformat(value)


def _decimal(value):
    return None if value is None else Decimal(value)


def _bytes(value):
    return None if value is None else base64.b64decode(value["$b64"])


def line(values: Iterable[Any]) -> bytes:
    """One row as a line of the table's file."""
    text = json.dumps([encode(v) for v in values], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.encode("utf-8") + b"\n"


def read_rows(conn: Connection, table: Table) -> Iterator[tuple]:
    """The rows of a table in primary-key order, streamed."""
    # Options on the statement: on the connection they would stay for every later statement.
    stmt = select(*table.columns).order_by(*table.primary_key.columns).execution_options(
        stream_results=True, yield_per=CHUNK)
    result = conn.execute(stmt)
    yield from result


def digest(conn: Connection, table: Table) -> tuple[int, str]:
    """Row count and SHA-256 of a table's contents as they would be written to an archive."""
    sha = hashlib.sha256()
    count = 0
    for row in read_rows(conn, table):
        sha.update(line(row))
        count += 1
    return count, sha.hexdigest()


def digests(conn: Connection) -> dict[str, tuple[int, str]]:
    """Row count and content digest of every table."""
    return {table.name: digest(conn, table) for table in tables()}


def parse_lines(table: Table, columns: list[str], lines: Iterable[bytes]) -> Iterator[dict[str, Any]]:
    """Rows of a table's file as dicts for an insert (columns the table no longer has are dropped)."""
    known = {c.name: c for c in table.columns}
    decoders = [(name, decoder(known[name])) if name in known else (name, None) for name in columns]
    for number, raw in enumerate(lines, start=1):
        values = json.loads(raw)
        if len(values) != len(decoders):
            raise ValueError(f"{table.name}: row {number} has {len(values)} values, expected {len(decoders)}")
        yield {name: decode(value) for (name, decode), value in zip(decoders, values, strict=True) if decode}
