"""Campaigns (the May campaign month, "ra quân" waves) and their targets (chỉ tiêu)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..types import InCommune, InProvince, by_user, one_of, timestamp, value_checks

CAMPAIGN_KINDS = ("may_month", "wave", "other")
CAMPAIGN_STATUSES = ("draft", "active", "closed")
#: Who a target is for: an office, a commune, an agent; an office's split by channel; an agent organisation (the
#: post office of a commune); a hamlet of a commune.
TARGET_LEVELS = ("office", "commune", "agent", "channel", "organisation", "hamlet")
#: What targets count.
METRICS = ("new_bhxh_tn", "new_bhyt_hgd", "renewals", "conferences", "attendees")
#: What sign-ups count (the metrics a channel or a hamlet is given).
SIGNUP_METRICS = ("new_bhxh_tn", "new_bhyt_hgd", "renewals")
#: The metrics of each level's grid.
LEVEL_METRICS = {"office": METRICS, "commune": METRICS, "agent": METRICS, "channel": SIGNUP_METRICS,
                 "organisation": (*SIGNUP_METRICS, "conferences"), "hamlet": SIGNUP_METRICS}
#: Where a sign-up was made (``results.models.CHANNELS``, repeated here: campaigns sit below results).
TARGET_CHANNELS = ("event", "door", "counter", "online", "other")


class Campaign(InProvince, db.Model):
    """A campaign of a province: the May campaign month, a wave of field days, or another push."""

    __tablename__ = "campaigns"
    __table_args__ = (
        *value_checks(kind=CAMPAIGN_KINDS, status=CAMPAIGN_STATUSES),
        CheckConstraint("ends_on >= starts_on", name="period"),
    )

    #: Surrogate key.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Name, e.g. "Tháng vận động BHXH toàn dân 2027".
    name: Mapped[str] = mapped_column(String(200))
    #: "may_month", "wave" or "other".
    kind: Mapped[str] = mapped_column(String(12))
    #: First and last day of the campaign.
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    #: Province the campaign runs in.
    province_id: Mapped[int] = mapped_column(ForeignKey("provinces.id"), index=True)
    #: Office that owns (created and steers) the campaign.
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    #: "draft", "active" or "closed".
    status: Mapped[str] = mapped_column(String(8), default="draft")
    #: Notes.
    notes: Mapped[str | None] = mapped_column(Text)
    #: Who created it and when (UTC).
    created_by_id: Mapped[int | None] = by_user()
    created_at: Mapped[datetime] = timestamp()

    targets: Mapped[list[Target]] = relationship(back_populates="campaign", lazy="raise_on_sql",
                                                 cascade="all, delete-orphan")

    def __str__(self) -> str:
        return self.name


class Target(db.Model):
    """A target (chỉ tiêu) of a campaign for one metric: of an office, a commune or an agent; of one channel of an
    office (so many door to door, at counters, online); of an agent organisation; of a hamlet."""

    __tablename__ = "targets"
    __table_args__ = (
        UniqueConstraint("campaign_id", "metric", "subject_key", name="uq_targets_campaign_metric_subject"),
        *value_checks(level=TARGET_LEVELS, metric=METRICS),
        one_of("channel", TARGET_CHANNELS, name="channel", or_null=True),
        CheckConstraint("value >= 0", name="value"),
        Index("ix_targets_campaign_level", "campaign_id", "level"),
    )

    #: Surrogate key.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Campaign the target belongs to.
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    #: One of :data:`TARGET_LEVELS`.
    level: Mapped[str] = mapped_column(String(12))
    #: The subject, exactly one of these according to the level (a channel target: the office, and the channel).
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"), index=True)
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id"), index=True)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("agent_organisations.id", ondelete="CASCADE"),
                                                        index=True)
    hamlet_id: Mapped[int | None] = mapped_column(ForeignKey("hamlets.id", ondelete="CASCADE"), index=True)
    #: A channel target: one of :data:`TARGET_CHANNELS` (None for every other level).
    channel: Mapped[str | None] = mapped_column(String(10))
    #: "office:12", "commune:345", "agent:7", "channel:12:door", "organisation:4" or "hamlet:88": unique per
    #: campaign and metric.
    subject_key: Mapped[str] = mapped_column(String(24))
    #: One of METRICS.
    metric: Mapped[str] = mapped_column(String(16))
    #: The number to reach.
    value: Mapped[int] = mapped_column(Integer, default=0)

    campaign: Mapped[Campaign] = relationship(back_populates="targets", lazy="raise_on_sql")

    @staticmethod
    def key_for(level: str, subject_id: int, channel: str | None = None) -> str:
        """The subject key of a target (a channel target: of the office ``subject_id``)."""
        return f"{level}:{subject_id}:{channel}" if channel else f"{level}:{subject_id}"


#: Coverage shares are kept in hundredths of a percent (1250 = 12,50 %).
SHARE_SCALE = 100


class CommuneFigures(InCommune, db.Model):
    """A commune's labour force and population in a year: what coverage rates are measured against."""

    __tablename__ = "commune_figures"
    __table_args__ = (
        UniqueConstraint("commune_id", "year", name="uq_commune_figures_commune_year"),
        CheckConstraint("year BETWEEN 2000 AND 2100", name="year"),
        CheckConstraint("labour_force >= 0 AND population >= 0", name="counts"),
        Index("ix_commune_figures_year_commune", "year", "commune_id", "labour_force", "population"),
    )

    #: Surrogate key.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The commune and the year the figures are for.
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    #: People in the labour force (the base of the BHXH TN coverage rate); None while unknown.
    labour_force: Mapped[int | None] = mapped_column(Integer)
    #: Population (the base of the BHYT coverage rate); None while unknown.
    population: Mapped[int | None] = mapped_column(Integer)
    #: Who last changed them and when (UTC).
    updated_by_id: Mapped[int | None] = by_user()
    updated_at: Mapped[datetime] = timestamp(on_update=True)


class CoverageTarget(InProvince, db.Model):
    """A province's yearly coverage target: the share of the labour force in BHXH TN and of the population
    holding BHYT."""

    __tablename__ = "coverage_targets"
    __table_args__ = (
        UniqueConstraint("province_id", "year", name="uq_coverage_targets_province_year"),
        CheckConstraint("year BETWEEN 2000 AND 2100", name="year"),
        CheckConstraint("bhxh_tn_share BETWEEN 0 AND 10000 AND bhyt_share BETWEEN 0 AND 10000", name="shares"),
    )

    #: Surrogate key.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The province and the year.
    province_id: Mapped[int] = mapped_column(ForeignKey("provinces.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    #: Target share of the labour force in voluntary social insurance, in hundredths of a percent; None: unset.
    bhxh_tn_share: Mapped[int | None] = mapped_column(Integer)
    #: Target share of the population holding health insurance, in hundredths of a percent; None: unset.
    bhyt_share: Mapped[int | None] = mapped_column(Integer)
    #: Who last changed it and when (UTC).
    updated_by_id: Mapped[int | None] = by_user()
    updated_at: Mapped[datetime] = timestamp(on_update=True)

