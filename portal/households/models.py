"""Households and people: who lives where, who is insured, who might join."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..geo.models import Hamlet
from ..types import InHamlet, PersonNamed, one_of, timestamp

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
)
#: Tags no longer used: "new_rural" became a fact of the commune (portal.geo.facts, migration 0023).
RETIRED_TAGS = ("new_rural",)


#: Potential-group tags of a person.
person_tags = Table(
    "person_tags",
    db.metadata,
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("tag", String(32), primary_key=True, index=True),
)

#: Prefix of the search rows that stand for a potential-group tag (name words are lower case).
TAG_PREFIX = "TAG:"


def tag_token(tag: str) -> str:
    """The search row token of a potential-group tag."""
    return TAG_PREFIX + tag


#: ``words_after`` of a search row: the words after this one in the name, up to this many; also for a word
#: that comes twice, and for every word of a name whose words are not plain letters (see :func:`words_after`).
WORDS_AFTER_MANY = 3
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz ")


def words_after(full_name: str, search_name: str) -> dict[str, int]:
    """The ``words_after`` of each word of a folded name: 0 for the given name (the last word), 1 for the word
    before it, and so on up to WORDS_AFTER_MANY. When the folded words are not plain letters, one to one with
    the name's (a sort key begins with the given name's letters only then), every word gets WORDS_AFTER_MANY,
    which searches treat as "anywhere" (migration 0011 computes the same in SQL)."""
    words = search_name.split(" ")
    plain = set(search_name) <= _LETTERS and full_name.count(" ") == search_name.count(" ")
    found: dict[str, int] = {}
    for index, word in enumerate(words):
        after = len(words) - 1 - index
        kept = word[:40]
        many = not plain or kept in found or len(word) > 40
        found[kept] = WORDS_AFTER_MANY if many else min(after, WORDS_AFTER_MANY)
    return found


#: Search rows: each word of a person's name without diacritics, and each of their tags as "TAG:<tag>", with
#: how many words follow it (WORDS_AFTER_MANY and 0 above) and copies of the person's sort key, place and
#: folded name. One range of the key (token, words_after, sort_key, person_id) gives people with a word or a
#: tag already in name order, with what the scope and the other words are checked on, without reading the
#: people table; people whose given name ends a searched phrase are one range of it (see search_plan.py).
#: Written only by the registry's services (services.sync_tokens and the bulk writers that share
#: services.search_rows).
person_name_tokens = Table(
    "person_name_tokens",
    db.metadata,
    Column("token", String(40), nullable=False),
    Column("words_after", Integer, nullable=False),
    Column("sort_key", String(400), nullable=False),
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("commune_id", Integer, nullable=False),
    Column("hamlet_id", Integer, nullable=False),
    Column("search_name", String(120), nullable=False),
    PrimaryKeyConstraint("token", "words_after", "sort_key", "person_id",
                         postgresql_include=["commune_id", "hamlet_id", "search_name"]),
    # The same rows commune by commune, for an office's or an agent's searches.
    Index("ix_person_name_tokens_commune", "token", "commune_id", "words_after", "sort_key", "person_id",
          "hamlet_id", "search_name"),
    sqlite_with_rowid=False,
)


class Household(InHamlet, db.Model):
    """A household in a hamlet, as listed during the area review (rà soát)."""

    __tablename__ = "households"
    __table_args__ = (
        UniqueConstraint("hamlet_id", "match_key", name="uq_households_hamlet_match"),
        one_of("poverty_status", POVERTY_STATUSES, name="poverty_status"),
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
    created_at: Mapped[datetime] = timestamp()
    updated_at: Mapped[datetime] = timestamp(on_update=True)

    hamlet: Mapped[Hamlet] = relationship(lazy="raise_on_sql")
    members: Mapped[list[Person]] = relationship(back_populates="household", lazy="raise_on_sql",
                                                 order_by="Person.id")

    __mapper_args__ = {"version_id_col": version}

    def __str__(self) -> str:
        return self.head_name


#: People columns the search indexes carry after their key (see search_plan.py).
_SEARCHED = ("commune_id", "hamlet_id", "search_name", "bhxh_tn_status", "compulsory_insured", "bhyt_expires_on",
             "date_of_birth")


class Person(InHamlet, PersonNamed, db.Model):
    """A member of a household, with identity, potential-group tags and insurance coverage."""

    __tablename__ = "people"
    __table_args__ = (
        one_of("sex", SEXES, name="sex"),
        one_of("relation_to_head", RELATIONS, name="relation"),
        one_of("bhxh_tn_status", BHXH_TN_STATUSES, name="bhxh_tn_status"),
        Index("ix_people_hamlet_sort", "hamlet_id", "sort_key"),
        # Walked in name order by list pages and searches, over everyone or commune by commune, with every
        # column their filters check (no people row is read).
        Index("ix_people_sort", "sort_key", "id", *_SEARCHED),
        Index("ix_people_commune_sort", "commune_id", "sort_key", "id", *_SEARCHED[1:]),
        # A voluntary-insurance status in name order (participating and stopped are a few percent of people).
        Index("ix_people_status_sort", "bhxh_tn_status", "sort_key", "id", "commune_id", "hamlet_id"),
        # Due lists: a paid-until or card-expiry window, counted per hamlet within the scope from the index;
        # the card window is also a search filter (read whole, then sorted).
        Index("ix_people_status_paid", "bhxh_tn_status", "paid_until", "commune_id", "hamlet_id"),
        Index("ix_people_bhyt", "bhyt_expires_on", "commune_id", "hamlet_id", "sort_key", "id", "search_name",
              "bhxh_tn_status", "compulsory_insured", "date_of_birth"),
        # The newest change of anyone's status is part of the reports' fingerprint (migration 0021).
        Index("ix_people_updated_at", "updated_at"),
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
    #: Date of birth; 1 January of the year when only the year is known (``birth_year_only``).
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    #: Only the year of birth is known, as BHXH records allow: lists and forms show the year alone.
    birth_year_only: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: Nationality as written on the declaration (TK1-TS); None: not recorded (Vietnamese is assumed on paper).
    nationality: Mapped[str | None] = mapped_column(String(40))
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
    #: Contact address (TK1-TS "địa chỉ liên hệ") when it differs from the household's, where they live.
    contact_address: Mapped[str | None] = mapped_column(String(300))
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
    created_at: Mapped[datetime] = timestamp()
    updated_at: Mapped[datetime] = timestamp(on_update=True)

    household: Mapped[Household] = relationship(back_populates="members", lazy="raise_on_sql")

    __mapper_args__ = {"version_id_col": version}

    @property
    def birth_text(self) -> str:
        """The date of birth as declarations write it: dd/mm/yyyy, or the year alone; "" when unknown."""
        if self.date_of_birth is None:
            return ""
        return str(self.date_of_birth.year) if self.birth_year_only else self.date_of_birth.strftime("%d/%m/%Y")

    @property
    def name_tokens(self) -> set[str]:
        """The words of the name without diacritics, as stored for search."""
        return {word[:40] for word in self.search_name.split()}

