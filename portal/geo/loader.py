"""Loading provinces and communes from the ``vietnam-provinces`` package (official codes since July 2025)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from .models import Commune, Province


@dataclass
class LoadResult:
    """What a load did."""

    provinces_added: int = 0
    provinces_updated: int = 0
    communes_added: int = 0
    communes_updated: int = 0


def _division(value) -> str:
    return getattr(value, "value", str(value))


def load_geography(province_code: str | None = None) -> LoadResult:
    """Insert or update provinces and communes; all 34 provinces, or one by code. Caller commits."""
    import vietnam_provinces as vp

    result = LoadResult()
    wanted = None if province_code is None else str(province_code).zfill(2)
    packaged = [p for p in vp.Province.iter_all() if wanted is None or f"{int(p.code):02d}" == wanted]
    if wanted is not None and not packaged:
        raise ValueError(f"No province with code {province_code}")
    existing_provinces = {p.code: p for p in db.session.scalars(select(Province))}
    existing_communes = {c.code: c for c in db.session.scalars(select(Commune))}
    for source in packaged:
        code = f"{int(source.code):02d}"
        province = existing_provinces.get(code)
        if province is None:
            province = Province(code=code)
            db.session.add(province)
            result.provinces_added += 1
        elif province.name != source.name:
            result.provinces_updated += 1
        province.name = source.name
        province.division_type = _division(source.division_type)
        db.session.flush()
        for ward in vp.Ward.iter_by_province(source.code):
            ward_code = f"{int(ward.code):05d}"
            commune = existing_communes.get(ward_code)
            if commune is None:
                commune = Commune(code=ward_code, province_id=province.id)
                commune.set_name(ward.name)
                commune.division_type = _division(ward.division_type)
                db.session.add(commune)
                result.communes_added += 1
            elif commune.name != ward.name or commune.province_id != province.id:
                commune.set_name(ward.name)
                commune.province_id = province.id
                commune.division_type = _division(ward.division_type)
                result.communes_updated += 1
    return result
