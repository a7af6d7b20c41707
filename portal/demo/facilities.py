"""Demo medical facilities: the health station of every commune the demo offices serve, the regional health
centres and hospitals, and the provincial hospital. The codes have the official shape (five digits, starting with
the code of the province as it was when the code was given: 15 for the former Yên Bái, 10 for the former Lào
Cai) but are made up."""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..facilities.models import Facility
from ..geo.models import Commune, Province

#: (code, name, level, commune name or None, active)
HOSPITALS = [
    ("10001", "Bệnh viện Đa khoa tỉnh Lào Cai", "province", None, True),
    ("15001", "Bệnh viện Đa khoa khu vực Nghĩa Lộ", "district", "Phường Nghĩa Lộ", True),
    ("15010", "Trung tâm Y tế khu vực Mù Cang Chải", "district", "Xã Mù Cang Chải", True),
    ("15011", "Trung tâm Y tế khu vực Văn Chấn", "district", "Xã Văn Chấn", True),
    ("15012", "Trung tâm Y tế khu vực Trạm Tấu", "district", "Xã Trạm Tấu", True),
    ("10010", "Trung tâm Y tế khu vực Sa Pa", "district", "Phường Sa Pa", True),
    ("10011", "Trung tâm Y tế khu vực Bắc Hà", "district", "Xã Bắc Hà", True),
    ("10012", "Trung tâm Y tế khu vực Bát Xát", "district", "Xã Bát Xát", True),
    ("10013", "Trung tâm Y tế khu vực Mường Khương", "district", "Xã Mường Khương", True),
    ("15090", "Phòng khám đa khoa khu vực Tú Lệ", "other", "Xã Tú Lệ", False),
]


def load_facilities(province_code: str, served: dict[str, list[str]]) -> int:
    """Create the facilities that are missing (looked up by province and code); return how many were added.

    ``served`` maps a code prefix ("15", "10") to the names of the communes whose health stations get it."""
    province = db.session.scalar(select(Province).where(Province.code == province_code))
    communes = {c.name: c for c in db.session.scalars(select(Commune).where(Commune.province_id == province.id))}
    existing = set(db.session.scalars(select(Facility.code).where(Facility.province_id == province.id)))
    wanted = list(HOSPITALS)
    for prefix, names in served.items():
        for number, name in enumerate(names, start=101):
            kind, _sep, place = name.partition(" ")
            station = f"Trạm Y tế {kind.lower()} {place}" if kind in ("Xã", "Phường") else f"Trạm Y tế {name}"
            wanted.append((f"{prefix}{number:03d}", station, "commune", name, True))
    added = 0
    for code, name, level, commune_name, active in wanted:
        if code in existing:
            continue
        facility = Facility(province_id=province.id, code=code, level=level, active=active,
                            commune_id=communes[commune_name].id if commune_name else None)
        facility.set_name(name)
        db.session.add(facility)
        added += 1
    db.session.flush()
    return added
