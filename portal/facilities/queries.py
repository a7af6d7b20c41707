"""Reads of the facilities register, scoped to the provinces a user sees."""

from __future__ import annotations

from sqlalchemy import Select, func, select

from ..auth.scope import scoped
from ..extensions import db
from ..geo.models import Commune, Province
from .models import HEALTH_STATION, Facility


def facilities(*, q: str = "", province_id: int | None = None, level: str | None = None,
               include_inactive: bool = False) -> Select:
    """Visible facilities with their province code and commune name, in name order; ``q`` is folded text matched
    against the name, or the start of a code."""
    stmt = scoped(Facility, select(Facility, Province.code, Commune.name)).join(
        Province, Province.id == Facility.province_id).outerjoin(Commune, Commune.id == Facility.commune_id)
    if q:
        stmt = stmt.where(Facility.search_name.like(f"%{q}%") | Facility.code.like(f"{q.upper()}%"))
    if province_id:
        stmt = stmt.where(Facility.province_id == province_id)
    if level:
        stmt = stmt.where(Facility.level == level)
    if not include_inactive:
        stmt = stmt.where(Facility.active.is_(True))
    return stmt.order_by(Facility.sort_key, Facility.code)


def provinces_in_scope() -> list[Province]:
    """The provinces whose facilities the user sees, in code order."""
    return db.session.scalars(scoped(Province).order_by(Province.code)).all()


def communes_of_province(province_id: int | None) -> list[Commune]:
    """The communes of a province in name order (where a facility may stand)."""
    if province_id is None:
        return []
    return db.session.scalars(select(Commune).where(Commune.province_id == province_id)
                              .order_by(Commune.sort_key)).all()


def code_taken(province_id: int, code: str, facility: Facility | None) -> bool:
    """Whether another facility of the province has this code."""
    return db.session.scalar(select(Facility.id).where(
        Facility.province_id == province_id, Facility.code == code,
        Facility.id != (facility.id if facility else 0))) is not None


def active_of_province(province_id: int) -> list[Facility]:
    """The active facilities of a province, health stations and hospitals alike, in name order (what a person
    of the province may choose)."""
    return db.session.scalars(select(Facility).where(Facility.province_id == province_id, Facility.active.is_(True))
                              .order_by(Facility.sort_key, Facility.code)).all()


def has_active(province_id: int) -> bool:
    """Whether the province has any active facility in the register."""
    return bool(db.session.scalar(select(func.count()).select_from(Facility).where(
        Facility.province_id == province_id, Facility.active.is_(True))))


def health_station(commune_id: int) -> Facility | None:
    """The commune's active health station (the first by code when the register has several)."""
    return db.session.scalar(select(Facility).where(
        Facility.commune_id == commune_id, Facility.level == HEALTH_STATION, Facility.active.is_(True))
        .order_by(Facility.code).limit(1))


def province_of_commune(commune_id: int) -> int | None:
    """The province a commune belongs to."""
    return db.session.scalar(select(Commune.province_id).where(Commune.id == commune_id))
