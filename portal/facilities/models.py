"""The register of medical facilities where people register for initial care under health insurance (nơi đăng ký
khám chữa bệnh ban đầu): each with the official code BHXH gives it within its province."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..types import InProvince, Named, one_of

#: Levels of a facility, highest first: central, province, district (the former district level, now the
#: regional health centres and hospitals), commune (the commune health station), and others (private clinics
#: and facilities outside the ladder).
LEVELS = ("central", "province", "district", "commune", "other")
#: The level of a commune health station (trạm y tế xã), the default clinic of the commune's people.
HEALTH_STATION = "commune"


class Facility(Named, InProvince, db.Model):
    """A medical facility where people may register for initial care under health insurance."""

    __tablename__ = "facilities"
    __table_args__ = (
        UniqueConstraint("province_id", "code", name="uq_facilities_province_code"),
        one_of("level", LEVELS, name="level"),
    )

    #: Surrogate key.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The province whose list of initial-care facilities it belongs to (with the province code, the card's
    #: "nơi đăng ký KCB ban đầu").
    province_id: Mapped[int] = mapped_column(ForeignKey("provinces.id"), index=True)
    #: The official five-character facility code (mã cơ sở KCB), unique within the province; upper case.
    code: Mapped[str] = mapped_column(String(5))
    #: Official name, e.g. "Trạm Y tế xã Khao Mang", "Bệnh viện Đa khoa tỉnh Lào Cai" (NFC).
    name: Mapped[str] = mapped_column(String(200))
    #: One of :data:`LEVELS`.
    level: Mapped[str] = mapped_column(String(10))
    #: The commune it stands in (required to be the commune's health station), if recorded.
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id", ondelete="SET NULL"), index=True)
    #: Whether people can still choose it; a closed or merged facility is kept for the sign-ups that name it.
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Name without diacritics, lower case, for search.
    search_name: Mapped[str] = mapped_column(String(200), index=True)
    #: Vietnamese sort key of the name.
    sort_key: Mapped[str] = mapped_column(String(800))

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"
