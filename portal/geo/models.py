"""Administrative geography since 1 July 2025: provinces, communes, and the hamlets users add below them."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, UniqueConstraint, false, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..i18n.collation import fold_diacritics, text_collation_key
from ..types import InCommune, Named, by_user, one_of, timestamp

if TYPE_CHECKING:
    from ..org.models import Office

#: Kinds of residential community below a commune (not administrative units), as users name them.
HAMLET_KINDS = (
    "thôn", "làng", "bản", "buôn", "ấp", "sóc", "phum", "xóm", "plei",
    "tổ dân phố", "khu phố", "khóm", "tiểu khu", "khu dân cư",
)


class Province(db.Model):
    """A province or centrally governed city (34 since 2025), with its official code."""

    __tablename__ = "provinces"

    #: Surrogate key.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Official two-digit code, e.g. "15" for Lào Cai.
    code: Mapped[str] = mapped_column(String(2), unique=True)
    #: Official name without the kind, e.g. "Lào Cai".
    name: Mapped[str] = mapped_column(String(100))
    #: "tỉnh" or "thành phố".
    division_type: Mapped[str] = mapped_column(String(20))

    communes: Mapped[list[Commune]] = relationship(back_populates="province", lazy="raise_on_sql")

    @property
    def full_name(self) -> str:
        """"Tỉnh Lào Cai", "Thành phố Hà Nội"."""
        prefix = self.division_type.capitalize()
        return self.name if self.name.startswith(prefix) else f"{prefix} {self.name}"

    @classmethod
    def scope_clause(cls, scope):
        """Provinces a scope sees: all, or the one it lies in."""
        return scope.provinces(cls.id)

    @classmethod
    def by_code(cls, code: str) -> Province | None:
        """Look up by official code (leading zero optional)."""
        return db.session.scalar(select(cls).where(cls.code == str(code).zfill(2)))

    def __str__(self) -> str:
        return self.full_name


def _island_default(context) -> bool:
    """A special zone (đặc khu) is an island unit unless said otherwise."""
    return context.get_current_parameters().get("division_type") == "đặc khu"


class Commune(Named, db.Model):
    """A commune-level unit (xã, phường, đặc khu), with its official code."""

    __tablename__ = "communes"

    #: Surrogate key.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Official five-digit code.
    code: Mapped[str] = mapped_column(String(5), unique=True)
    #: Province the commune belongs to.
    province_id: Mapped[int] = mapped_column(ForeignKey("provinces.id"), index=True)
    #: Full official name, e.g. "Xã Khao Mang", "Phường Nghĩa Lộ".
    name: Mapped[str] = mapped_column(String(100))
    #: "xã", "phường" or "đặc khu".
    division_type: Mapped[str] = mapped_column(String(20))
    #: Island commune (xã đảo; every đặc khu by default): its participants get the island rate of state support.
    island: Mapped[bool] = mapped_column(Boolean, default=_island_default, server_default=false())
    #: The district it belonged to before July 2025, as people still name it (optional).
    legacy_district: Mapped[str | None] = mapped_column(String(100))
    #: The BHXH cơ sở office that serves the commune.
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id", ondelete="SET NULL"), index=True)
    #: Name without diacritics, lower case, for search.
    search_name: Mapped[str] = mapped_column(String(100), index=True)
    #: Vietnamese sort key of the name.
    sort_key: Mapped[str] = mapped_column(String(400), index=True)

    province: Mapped[Province] = relationship(back_populates="communes", lazy="raise_on_sql")
    hamlets: Mapped[list[Hamlet]] = relationship(back_populates="commune", lazy="raise_on_sql")
    office: Mapped[Office | None] = relationship("Office", lazy="raise_on_sql")

    def _sort_key(self, name: str) -> str:
        return text_collation_key(_without_kind(name))

    @classmethod
    def scope_clause(cls, scope):
        """Communes a scope sees."""
        return scope.communes(cls.id)


class Hamlet(Named, db.Model):
    """A residential community below a commune (thôn, bản, ấp, tổ dân phố…), created by users."""

    __tablename__ = "hamlets"
    __table_args__ = (UniqueConstraint("commune_id", "name", name="uq_hamlets_commune_name"),)

    #: Surrogate key.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Commune the hamlet lies in.
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"), index=True)
    #: Name as written locally, e.g. "Thôn Bản Mế" or "Tổ dân phố 3" (NFC).
    name: Mapped[str] = mapped_column(String(120))
    #: One of :data:`HAMLET_KINDS`.
    kind: Mapped[str] = mapped_column(String(20))
    #: Vietnamese sort key of the name.
    sort_key: Mapped[str] = mapped_column(String(500))
    #: Name without diacritics, for search.
    search_name: Mapped[str] = mapped_column(String(120))

    commune: Mapped[Commune] = relationship(back_populates="hamlets", lazy="raise_on_sql")

    @classmethod
    def scope_clause(cls, scope):
        """Hamlets a scope sees (an agent: only the hamlets assigned to them)."""
        return scope.hamlets(cls.id, cls.commune_id)


#: Facts about a commune that change over time and matter for targeting and support: an island commune (xã
#: đảo, or a special zone) gets the island rate of state support; a commune that escaped poverty (thoát nghèo)
#: and one that meets the new-rural standard (nông thôn mới) are audiences of their own.
COMMUNE_FACTS = ("island", "escaped_poverty", "new_rural")


class CommuneFact(InCommune, db.Model):
    """A commune's fact from a date on (true or false), with its source; the latest row on or before a day holds."""

    __tablename__ = "commune_facts"
    __table_args__ = (
        UniqueConstraint("commune_id", "fact", "effective_from", name="uq_commune_facts_day"),
        one_of("fact", COMMUNE_FACTS, name="fact"),
    )

    #: Surrogate key.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The commune.
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"), index=True)
    #: One of :data:`COMMUNE_FACTS`.
    fact: Mapped[str] = mapped_column(String(20))
    #: Whether the fact holds from ``effective_from`` on.
    value: Mapped[bool] = mapped_column(Boolean)
    #: First day it holds.
    effective_from: Mapped[date] = mapped_column(Date)
    #: The decision that says so, e.g. "Quyết định 123/QĐ-UBND ngày 12/3/2026".
    source: Mapped[str | None] = mapped_column(String(200))
    #: Who recorded it and when (UTC).
    recorded_by_id: Mapped[int | None] = by_user()
    recorded_at: Mapped[datetime] = timestamp()


class FormerPlace(db.Model):
    """A commune-level unit before July 2025 (with its district) and the commune that holds it now."""

    __tablename__ = "former_places"
    __table_args__ = (UniqueConstraint("province_id", "district_key", "name_key", name="uq_former_places_name"),)

    #: Surrogate key.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Province of the commune that holds it now.
    province_id: Mapped[int] = mapped_column(ForeignKey("provinces.id"), index=True)
    #: Former district, e.g. "Huyện Mù Cang Chải" (NFC).
    district: Mapped[str] = mapped_column(String(100))
    #: Former commune, ward or town, e.g. "Thị trấn Mù Cang Chải" (NFC).
    name: Mapped[str] = mapped_column(String(100))
    #: Folded names without the kind word, for matching.
    district_key: Mapped[str] = mapped_column(String(100))
    name_key: Mapped[str] = mapped_column(String(100), index=True)
    #: The commune that holds it now.
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"), index=True)
    #: The resolution the mapping comes from.
    source: Mapped[str | None] = mapped_column(String(200))

    commune: Mapped[Commune] = relationship(lazy="raise_on_sql")


def place_key(name: str) -> str:
    """A commune or district name folded, without its kind word ("Thị trấn Mù Cang Chải" -> "mu cang chai")."""
    folded = " ".join(fold_diacritics(name or "").split())
    for prefix in ("thi tran nong truong ", "thi tran ", "thi xa ", "thanh pho ", "huyen ", "quan ", "xa ",
                   "phuong ", "dac khu "):
        if folded.startswith(prefix):
            return folded[len(prefix):]
    return folded


def _without_kind(name: str) -> str:
    for prefix in ("Xã ", "Phường ", "Đặc khu "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name
