"""Households and people: who lives where, who is insured, who might join."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..geo.models import Hamlet
from ..i18n.collation import collation_key, fold_diacritics
from ..types import UTCDateTime, utcnow

POVERTY_STATUSES = ("none", "near_poor", "poor")
SEXES = ("male", "female")
RELATIONS = ("head", "spouse", "child", "parent", "sibling", "grandchild", "in_law", "other")
BHXH_TN_STATUSES = ("never", "participating", "stopped")
INCOME_BANDS = ("under_1_5m", "1_5m_to_3m", "3m_to_5m", "over_5m")
#: Potential groups the outreach work targets.
POTENTIAL_GROUPS = (
    "household_business",
    "small_trader",
    "craft_village",
    "contract_ended",
    "near_poor",
    "new_rural",
)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


#: Potential-group tags of a person.
person_tags = Table(
    "person_tags",
    db.metadata,
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("tag", String(32), primary_key=True, index=True),
)

#: Words of each person's name without diacritics, for fast search by name.
person_name_tokens = Table(
    "person_name_tokens",
    db.metadata,
    Column("token", String(40), primary_key=True),
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Household(db.Model):
    """A household in a hamlet, as listed during the area review (rà soát)."""

    __tablename__ = "households"
    __table_args__ = (
        UniqueConstraint("hamlet_id", "match_key", name="uq_households_hamlet_match"),
        CheckConstraint(_in("poverty_status", POVERTY_STATUSES), name="poverty_status"),
        Index("ix_households_commune_sort", "commune_id", "sort_key"),
        Index("ix_households_hamlet_address", "hamlet_id", "address_key"),
    )

    #: Surrogate key.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Hamlet the household lives in.
    hamlet_id: Mapped[int] = mapped_column(ForeignKey("hamlets.id"), index=True)
    #: Commune of the hamlet (kept here so territory filters need no join).
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    #: House number, lane, group: as written locally.
    address: Mapped[str | None] = mapped_column(String(300))
    #: Name of the head of household (NFC), kept in step with the head person.
    head_name: Mapped[str] = mapped_column(String(120))
    #: Household phone (personal data).
    phone: Mapped[str | None] = mapped_column(String(10), index=True)
    #: "none", "near_poor" or "poor" (sensitive).
    poverty_status: Mapped[str] = mapped_column(String(10), default="none")
    #: Free notes.
    notes: Mapped[str | None] = mapped_column(Text)
    #: Head's name and address folded, which identifies the household within its hamlet.
    match_key: Mapped[str] = mapped_column(String(450))
    #: Sort key of the head's name (given name first).
    sort_key: Mapped[str] = mapped_column(String(400))
    #: Natural sort key of the address, for walking order.
    address_key: Mapped[str] = mapped_column(String(700), default="")
    #: Optimistic-locking version, bumped on every change.
    version: Mapped[int] = mapped_column(Integer, default=1)
    #: When the record was created and last changed (UTC).
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    hamlet: Mapped[Hamlet] = relationship(lazy="raise_on_sql")
    members: Mapped[list[Person]] = relationship(back_populates="household", lazy="raise_on_sql",
                                                 order_by="Person.id")

    __mapper_args__ = {"version_id_col": version}

    @classmethod
    def scope_clause(cls, scope):
        """Households a scope sees (an agent: those of their hamlets)."""
        return scope.hamlets(cls.hamlet_id, cls.commune_id)

    def __str__(self) -> str:
        return self.head_name


class Person(db.Model):
    """A member of a household, with identity, potential-group tags and insurance coverage."""

    __tablename__ = "people"
    __table_args__ = (
        CheckConstraint(_in("sex", SEXES), name="sex"),
        CheckConstraint(_in("relation_to_head", RELATIONS), name="relation"),
        CheckConstraint(_in("bhxh_tn_status", BHXH_TN_STATUSES), name="bhxh_tn_status"),
        Index("ix_people_commune_sort", "commune_id", "sort_key"),
        Index("ix_people_hamlet_sort", "hamlet_id", "sort_key"),
        Index("ix_people_paid_until", "paid_until"),
        Index("ix_people_bhyt_expires_on", "bhyt_expires_on"),
    )

    #: Surrogate key.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The person's household.
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), index=True)
    #: Hamlet and commune of the household (kept here so territory filters need no join).
    hamlet_id: Mapped[int] = mapped_column(ForeignKey("hamlets.id"))
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    #: Full name in NFC, family name first.
    full_name: Mapped[str] = mapped_column(String(120))
    #: Vietnamese sort key (given name first).
    sort_key: Mapped[str] = mapped_column(String(400))
    #: Name without diacritics, lower case.
    search_name: Mapped[str] = mapped_column(String(120))
    #: "male" or "female".
    sex: Mapped[str | None] = mapped_column(String(6))
    #: Date of birth.
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    #: Citizen identity card number, 12 digits (personal data).
    cccd: Mapped[str | None] = mapped_column(String(12), unique=True)
    #: Social insurance code, 10 digits (personal data).
    bhxh_code: Mapped[str | None] = mapped_column(String(10), unique=True)
    #: Mobile phone, 10 digits starting with 0 (personal data).
    phone: Mapped[str | None] = mapped_column(String(10), index=True)
    #: Relation to the head of household; "head" for the head.
    relation_to_head: Mapped[str] = mapped_column(String(12), default="other")
    #: Ethnicity as written (e.g. "Kinh", "Mông", "Dao", "Tày").
    ethnicity: Mapped[str | None] = mapped_column(String(40))
    #: Belongs to an ethnic minority (a state-support category).
    ethnic_minority: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Occupation as written.
    occupation: Mapped[str | None] = mapped_column(String(120))
    #: Monthly income band, one of INCOME_BANDS.
    income_band: Mapped[str | None] = mapped_column(String(12))
    #: Voluntary social insurance: "never", "participating", "stopped".
    bhxh_tn_status: Mapped[str] = mapped_column(String(14), default="never")
    #: Voluntary contributions paid up to this date.
    paid_until: Mapped[date | None] = mapped_column(Date)
    #: Health insurance card valid until this date.
    bhyt_expires_on: Mapped[date | None] = mapped_column(Date)
    #: Covered by compulsory social insurance through an employer.
    compulsory_insured: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Optimistic-locking version, bumped on every change.
    version: Mapped[int] = mapped_column(Integer, default=1)
    #: When the record was created and last changed (UTC).
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    household: Mapped[Household] = relationship(back_populates="members", lazy="raise_on_sql")

    __mapper_args__ = {"version_id_col": version}

    def set_name(self, name: str) -> None:
        """Set the name and the fields derived from it."""
        self.full_name = name
        self.sort_key = collation_key(name)
        self.search_name = fold_diacritics(name)

    @property
    def name_tokens(self) -> set[str]:
        """The words of the name without diacritics, as stored for search."""
        return {word[:40] for word in self.search_name.split()}

    @classmethod
    def scope_clause(cls, scope):
        """People a scope sees (an agent: those of their hamlets)."""
        return scope.hamlets(cls.hamlet_id, cls.commune_id)

    def __str__(self) -> str:
        return self.full_name
