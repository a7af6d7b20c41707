"""Fast bulk inserts for the benches' builds.

``session.execute(insert(Model), rows)`` takes the ORM's bulk path, which leaves out the keys whose value is
None and then batches only consecutive rows with the same keys: rows where an optional column is sometimes
empty (a phone, a card number, an agent) go to the database one statement at a time. :func:`insert_rows` sends
each set of keys as one COPY on PostgreSQL and one executemany of a core INSERT on SQLite instead (SQL NULL for
None, the column defaults for keys left out), and :func:`build_pragmas` lets SQLite keep more of a large file in memory and skip the fsyncs while a
throw-away bench database is built.
"""

from __future__ import annotations


def insert_rows(target, rows: list[dict]) -> None:
    """Insert ``rows`` (dicts keyed by column name) into a model's table or a table: on PostgreSQL with COPY, on
    SQLite with one executemany per set of keys."""
    from portal.extensions import db

    table = getattr(target, "__table__", target)
    groups: dict[frozenset, list[dict]] = {}
    for row in rows:
        groups.setdefault(frozenset(row), []).append(row)
    connection = db.session.connection()
    for group in groups.values():
        if connection.dialect.name == "postgresql":
            _copy(connection, table, group)
        else:
            connection.execute(table.insert(), group)


def _copy(connection, table, rows: list[dict]) -> None:
    """COPY the rows in, each value through its column type's bind processing (aware datetimes made naive UTC,
    ...), with the Python-side defaults of the columns the rows leave out."""
    given = [c for c in table.columns if c.name in rows[0]]
    defaults = [c for c in table.columns if c.name not in rows[0] and c.default is not None
                and (c.default.is_scalar or c.default.is_callable)]
    processors = [c.type.bind_processor(connection.dialect) for c in given + defaults]
    names = ", ".join(connection.dialect.identifier_preparer.quote(c.name) for c in given + defaults)
    cursor = connection.connection.driver_connection.cursor()
    with cursor.copy(f"COPY {connection.dialect.identifier_preparer.format_table(table)} ({names}) FROM STDIN") as copy:
        for row in rows:
            values = [row[c.name] for c in given]
            values += [c.default.arg if c.default.is_scalar else c.default.arg(None) for c in defaults]
            copy.write_row([v if p is None or v is None else p(v) for v, p in zip(values, processors, strict=True)])
    cursor.close()


def _fast(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA cache_size = -524288")
    cursor.execute("PRAGMA synchronous = OFF")
    cursor.close()


def build_pragmas() -> None:
    """On SQLite, for the connections building the database: a 512 MB page cache, no fsync (a crash loses a
    bench database, nothing else). Ends the session's transaction and opens new connections; :func:`end_build`
    goes back to the application's settings before anything is timed."""
    from sqlalchemy import event

    from portal.extensions import db

    engine = db.engine
    if engine.dialect.name != "sqlite":
        return
    db.session.commit()
    db.session.close()
    if not event.contains(engine, "connect", _fast):
        event.listen(engine, "connect", _fast)
    engine.dispose()


def end_build() -> None:
    """Connections with the application's own settings again (after :func:`build_pragmas`)."""
    from sqlalchemy import event

    from portal.extensions import db

    engine = db.engine
    if event.contains(engine, "connect", _fast):
        db.session.commit()
        db.session.close()
        event.remove(engine, "connect", _fast)
        engine.dispose()
