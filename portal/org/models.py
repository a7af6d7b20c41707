"""BHXH offices, agent organisations and collection agents."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..geo.models import Commune, Hamlet, Province
from ..types import InOffice, Named, PersonNamed, link_table, one_of

OFFICE_KINDS = ("province", "local")
ORGANISATION_KINDS = ("post_office", "commune_committee", "farmers_union", "women_union", "youth_union", "other")

#: Communes an agent works in.
agent_communes = link_table(db.metadata, "agent_communes", agent_id="agents.id", commune_id="communes.id")

#: Hamlets an agent covers (within their communes).
agent_hamlets = link_table(db.metadata, "agent_hamlets", agent_id="agents.id", hamlet_id="hamlets.id")


class Office(Named, db.Model):
    """A BHXH office: the province office, or a "BHXH cơ sở" office serving a set of communes."""

    __tablename__ = "offices"
    __table_args__ = (one_of("kind", ("province", "local"), name="kind"),)

    #: Surrogate key.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Short code used in imports and on documents, e.g. "BHXH-15" or "BHXH-15-NL".
    code: Mapped[str] = mapped_column(String(32), unique=True)
    #: Full name, e.g. "Bảo hiểm xã hội cơ sở Nghĩa Lộ".
    name: Mapped[str] = mapped_column(String(200))
    #: "province" or "local".
    kind: Mapped[str] = mapped_column(String(10))
    #: Province the office belongs to.
    province_id: Mapped[int] = mapped_column(ForeignKey("provinces.id"), index=True)
    #: The province office a local office reports to.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"), index=True)
    #: Postal address.
    address: Mapped[str | None] = mapped_column(String(300))
    #: Office phone.
    phone: Mapped[str | None] = mapped_column(String(20))
    #: Vietnamese sort key of the name.
    sort_key: Mapped[str] = mapped_column(String(800))

    province: Mapped[Province] = relationship(lazy="raise_on_sql")
    parent: Mapped[Office | None] = relationship(remote_side=[id], lazy="raise_on_sql")
    communes: Mapped[list[Commune]] = relationship(
        primaryjoin="Office.id == Commune.office_id", foreign_keys="Commune.office_id", lazy="raise_on_sql",
        viewonly=True,
    )

    @property
    def is_province_office(self) -> bool:
        return self.kind == "province"

    @classmethod
    def scope_clause(cls, scope):
        """Offices whose territory a scope covers."""
        return scope.offices(cls.id)


class AgentOrganisation(Named, InOffice, db.Model):
    """An organisation collection agents work for: a post-office branch, a commune committee, an association."""

    __tablename__ = "agent_organisations"

    #: Surrogate key.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Name, e.g. "Bưu điện xã Mù Cang Chải" or "Hội Phụ nữ xã Tú Lệ".
    name: Mapped[str] = mapped_column(String(200))
    #: One of :data:`ORGANISATION_KINDS`.
    kind: Mapped[str] = mapped_column(String(20))
    #: The office that works with the organisation (its territory decides who sees it).
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    #: Contact phone.
    phone: Mapped[str | None] = mapped_column(String(20))
    #: Postal address.
    address: Mapped[str | None] = mapped_column(String(300))
    #: Vietnamese sort key of the name.
    sort_key: Mapped[str] = mapped_column(String(800))

    office: Mapped[Office] = relationship(lazy="raise_on_sql")


class Agent(PersonNamed, db.Model):
    """A collection agent (đại lý thu), mostly post-office staff, who visits households and signs people up."""

    __tablename__ = "agents"

    #: Surrogate key.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Agent code given by BHXH (unique).
    code: Mapped[str] = mapped_column(String(32), unique=True)
    #: Full name (NFC).
    full_name: Mapped[str] = mapped_column(String(120))
    #: Phone (personal data).
    phone: Mapped[str | None] = mapped_column(String(20))
    #: Organisation the agent works for.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("agent_organisations.id"), index=True)
    #: The BHXH cơ sở office that manages the agent.
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    #: Date of the agent's last training (tập huấn), if any.
    trained_on: Mapped[date | None] = mapped_column(Date)
    #: Inactive agents keep their history but get no new work.
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Sort key by given name.
    sort_key: Mapped[str] = mapped_column(String(400), index=True)
    #: Name without diacritics, for search.
    search_name: Mapped[str] = mapped_column(String(120), index=True)

    organisation: Mapped[AgentOrganisation | None] = relationship(lazy="raise_on_sql")
    office: Mapped[Office] = relationship(lazy="raise_on_sql")
    communes: Mapped[list[Commune]] = relationship(secondary=agent_communes, lazy="raise_on_sql")
    hamlets: Mapped[list[Hamlet]] = relationship(secondary=agent_hamlets, lazy="raise_on_sql")

    @classmethod
    def scope_clause(cls, scope):
        """Agents managed by an office in the scope; an agent sees only themselves."""
        if scope.kind == "agent":
            return cls.id == scope.agent_id
        return scope.offices(cls.office_id)

