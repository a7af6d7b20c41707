"""Commune facts with their dates (island commune, escaped poverty, new-rural standard): what holds on a day."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import aliased

from ..audit import services as audit
from ..extensions import db
from ..i18n.formatting import local_today
from .models import COMMUNE_FACTS, Commune, CommuneFact

#: The reorganisation of 1 July 2025: island communes known before dated facts count as such from that day.
REORGANISATION = date(2025, 7, 1)


def holds_on(commune_id: int, fact: str, day: date) -> bool:
    """Whether ``fact`` holds for the commune on ``day``: the latest dated row on or before the day; a commune
    with no dated island fact falls back to its ``island`` flag."""
    value = db.session.scalar(select(CommuneFact.value).where(
        CommuneFact.commune_id == commune_id, CommuneFact.fact == fact, CommuneFact.effective_from <= day)
        .order_by(CommuneFact.effective_from.desc()).limit(1))
    if value is not None:
        return bool(value)
    if fact == "island":
        dated = db.session.scalar(select(CommuneFact.id).where(CommuneFact.commune_id == commune_id,
                                                               CommuneFact.fact == "island").limit(1))
        if dated is None:
            return bool(db.session.scalar(select(Commune.island).where(Commune.id == commune_id)))
    return False


def island_on(commune_id: int, day: date) -> bool:
    """Whether the commune is an island commune (xã đảo, đặc khu) on ``day``, for the island rate of support."""
    return holds_on(commune_id, "island", day)


def holding_clause(commune_id_column, fact: str, day: date):
    """A SQL condition: ``fact`` holds on ``day`` for the commune in ``commune_id_column`` (dated rows only)."""
    row, later = aliased(CommuneFact), aliased(CommuneFact)
    newer = exists().where(later.commune_id == row.commune_id, later.fact == fact,
                           later.effective_from > row.effective_from, later.effective_from <= day)
    return exists().where(and_(row.commune_id == commune_id_column, row.fact == fact, row.effective_from <= day,
                               row.value.is_(True), ~newer))


def communes_holding(fact: str, day: date) -> set[int]:
    """The communes for which ``fact`` holds on ``day`` (one query)."""
    return set(db.session.scalars(select(Commune.id).where(holding_clause(Commune.id, fact, day))))


def current(commune_ids: list[int], day: date) -> dict[int, set[str]]:
    """The facts that hold on ``day`` for each commune (one query)."""
    rows = db.session.execute(select(CommuneFact.commune_id, CommuneFact.fact, CommuneFact.value,
                                     CommuneFact.effective_from)
                              .where(CommuneFact.commune_id.in_(commune_ids), CommuneFact.effective_from <= day)
                              .order_by(CommuneFact.effective_from)).all()
    latest: dict[tuple[int, str], bool] = {}
    for commune_id, fact, value, _day in rows:
        latest[(commune_id, fact)] = bool(value)
    found: dict[int, set[str]] = {cid: set() for cid in commune_ids}
    for (commune_id, fact), value in latest.items():
        if value:
            found[commune_id].add(fact)
    return found


def history(commune_id: int) -> list[CommuneFact]:
    """Every dated fact of a commune, newest first."""
    return list(db.session.scalars(select(CommuneFact).where(CommuneFact.commune_id == commune_id)
                                   .order_by(CommuneFact.effective_from.desc(), CommuneFact.fact)))


class FactError(ValueError):
    """A fact that cannot be recorded (``code``: unknown_fact)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def record(commune: Commune, *, fact: str, value: bool, effective_from: date, source: str | None,
           user=None) -> CommuneFact:
    """Record that ``fact`` holds (or stops holding) from a date on (a second entry for the same day corrects
    the first); keeps ``Commune.island`` as today's value. Caller commits."""
    if fact not in COMMUNE_FACTS:
        raise FactError("unknown_fact")
    if fact == "island" and commune.island and effective_from > REORGANISATION and db.session.scalar(
            select(CommuneFact.id).where(CommuneFact.commune_id == commune.id, CommuneFact.fact == "island")) is None:
        # An island commune known before dated facts: it was one since the reorganisation.
        db.session.add(CommuneFact(commune_id=commune.id, fact="island", value=True, effective_from=REORGANISATION,
                                   recorded_by_id=getattr(user, "id", None)))
    row = db.session.scalar(select(CommuneFact).where(
        CommuneFact.commune_id == commune.id, CommuneFact.fact == fact, CommuneFact.effective_from == effective_from))
    if row is None:  # a second entry for the same day corrects the first
        row = CommuneFact(commune_id=commune.id, fact=fact, effective_from=effective_from)
        db.session.add(row)
    row.value, row.source, row.recorded_by_id = value, source, getattr(user, "id", None)
    db.session.flush()
    if fact == "island":
        commune.island = island_on(commune.id, local_today())
    audit.record("commune.fact", obj=commune, object_type="commune",
                 details={"fact": fact, "value": value, "from": effective_from.isoformat(), "source": source})
    return row
