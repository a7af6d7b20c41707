"""Former communes and districts (before July 2025) and the commune that holds each now: loading the list and
finding the commune a file's old name means."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import or_, select

from ..extensions import db
from ..i18n import normalise
from ..i18n.collation import fold_diacritics
from .models import Commune, FormerPlace, Province, place_key

SHIPPED = Path(__file__).parent / "data" / "former_places.csv"


@dataclass
class LoadResult:
    """What loading a list did."""

    added: int = 0
    updated: int = 0
    #: (line, reason) of the rows left out
    skipped: list[tuple[int, str]] = field(default_factory=list)


def load(text: str | None = None) -> LoadResult:
    """Add or update former places from CSV text (the shipped list by default). Caller commits."""
    text = SHIPPED.read_text(encoding="utf-8") if text is None else text
    result = LoadResult()
    provinces = {p.code: p.id for p in db.session.scalars(select(Province))}
    communes = {(c.province_id, place_key(c.name)): c.id for c in db.session.scalars(select(Commune))}
    existing = {(f.province_id, f.district_key, f.name_key): f for f in db.session.scalars(select(FormerPlace))}
    for line, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        code = (row.get("province_code") or "").strip().zfill(2)
        district = normalise.text(row.get("former_district") or "")
        name = normalise.text(row.get("former_name") or "")
        target = normalise.text(row.get("commune_name") or "")
        province_id = provinces.get(code)
        if province_id is None or not name or not target:
            result.skipped.append((line, "province" if province_id is None else "names"))
            continue
        commune_id = communes.get((province_id, place_key(target)))
        if commune_id is None:
            result.skipped.append((line, f"commune {target}"))
            continue
        key = (province_id, place_key(district), place_key(name))
        place = existing.get(key)
        if place is None:
            place = FormerPlace(province_id=province_id, district_key=key[1], name_key=key[2])
            db.session.add(place)
            existing[key] = place
            result.added += 1
        elif place.commune_id != commune_id or place.source != (row.get("source") or None):
            result.updated += 1
        place.district, place.name, place.commune_id = district, name, commune_id
        place.source = (row.get("source") or "").strip() or None
    db.session.flush()
    return result


@dataclass(frozen=True)
class Found:
    """The commune a name means now, and the former place it was read through (None: the name is current)."""

    commune_id: int
    commune_name: str
    former: str | None = None

    @property
    def label(self) -> str:
        """"Xã A (cũ) → Xã B" for a former name, the commune's name otherwise."""
        if self.former is None:
            return self.commune_name
        return f"{self.former} (cũ) → {self.commune_name}"


class Resolver:
    """Finds the commune a name in a file means, current or former, within some communes (read once)."""

    def __init__(self, commune_ids=None, province_ids=None):
        stmt = select(Commune.id, Commune.name, Commune.province_id)
        if commune_ids is not None:
            stmt = stmt.where(Commune.id.in_(list(commune_ids)))
        elif province_ids is not None:
            stmt = stmt.where(Commune.province_id.in_(list(province_ids)))
        rows = db.session.execute(stmt).all()
        self.names = {cid: name for cid, name, _p in rows}
        self.current: dict[str, list[int]] = {}
        for cid, name, _p in rows:
            self.current.setdefault(place_key(name), []).append(cid)
        self.former: dict[str, list[FormerPlace]] = {}
        if rows:
            for place in db.session.scalars(select(FormerPlace).where(FormerPlace.commune_id.in_(self.names))):
                self.former.setdefault(place.name_key, []).append(place)

    def find(self, name: str, district: str | None = None) -> Found | None:
        """The commune ``name`` means: a current commune first, else a former one (in ``district`` if given);
        None when unknown or when two communes could be meant."""
        key = place_key(normalise.text(name or ""))
        if not key:
            return None
        places = self.former.get(key, [])
        if district:
            dkey = place_key(normalise.text(district))
            places = [p for p in places if p.district_key == dkey] or places
        current = self.current.get(key, [])
        if len(current) == 1 and (not places or all(p.commune_id == current[0] for p in places)):
            # "Thị trấn Mù Cang Chải" is the former town even though "Xã Mù Cang Chải" carries its name now.
            folded = " ".join(fold_diacritics(normalise.text(name)).split())
            written = next((p for p in places if fold_diacritics(p.name) == folded
                            and folded != fold_diacritics(self.names[current[0]])), None)
            return Found(current[0], self.names[current[0]], written.name if written else None)
        if len({p.commune_id for p in places}) == 1:
            place = places[0]
            return Found(place.commune_id, self.names[place.commune_id], place.name)
        return None


def communes_named(folded: str):
    """A condition on Commune: its name, or the name of a former place it holds, contains ``folded`` text."""
    return or_(Commune.search_name.like(f"%{folded}%"),
               Commune.id.in_(select(FormerPlace.commune_id).where(FormerPlace.name_key.like(f"%{folded}%"))))


def former_names(commune_ids) -> dict[int, list[str]]:
    """The former places each commune holds, by name."""
    found: dict[int, list[str]] = {}
    for commune_id, name in db.session.execute(select(FormerPlace.commune_id, FormerPlace.name)
                                               .where(FormerPlace.commune_id.in_(list(commune_ids)))
                                               .order_by(FormerPlace.name)):
        found.setdefault(commune_id, []).append(name)
    return found
