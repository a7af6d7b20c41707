"""Background jobs: big print runs (an event's invitations, a campaign's leaflets) done outside the request."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, Text, or_, select
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..types import UTCDateTime, by_user, timestamp, value_checks

#: What a job does: every invitation letter of an event, the leaflets of every event of a campaign, the report
#: of an uploaded file (portal.core.imports), or the writing of a confirmed one.
JOB_KINDS = ("invitations", "campaign_leaflets", "import_analysis", "import_apply")
#: queued -> running -> done, or failed (with a reason in ``message``).
JOB_STATUSES = ("queued", "running", "done", "failed")
#: Where the job runs: the embedded local process pool or an RQ worker.
JOB_BACKENDS = ("local", "rq")


class Job(db.Model):
    """One background job, its progress and the file it produced."""

    __tablename__ = "jobs"
    __table_args__ = (
        *value_checks(kind=JOB_KINDS, status=JOB_STATUSES, backend=JOB_BACKENDS),
        CheckConstraint("progress_done >= 0 AND progress_total >= 0", name="progress"),
        Index("ix_jobs_requested_created", "requested_by_id", "created_at"),
    )

    #: Surrogate key.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: One of JOB_KINDS.
    kind: Mapped[str] = mapped_column(String(24))
    #: One of JOB_STATUSES.
    status: Mapped[str] = mapped_column(String(8), default="queued")
    #: One of JOB_BACKENDS.
    backend: Mapped[str] = mapped_column(String(8), default="local")
    #: The inputs the job was asked with (no personal data), e.g. {"audience": "town"}.
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    #: Event the job is for (invitations), if any.
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    #: Campaign the job is for (leaflets of all its events), if any.
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    #: Who asked for it.
    requested_by_id: Mapped[int | None] = by_user()
    #: Units done so far and in all (pages, letters or events).
    progress_done: Mapped[int] = mapped_column(Integer, default=0)
    progress_total: Mapped[int] = mapped_column(Integer, default=0)
    #: What the job is doing, or why it failed (Vietnamese, shown to the user).
    message: Mapped[str | None] = mapped_column(Text)
    #: Queued, started and finished (UTC).
    created_at: Mapped[datetime] = timestamp()
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The result's key in the file store (portal.storage), e.g. "jobs/3f9c…e1.pdf" (random name).
    result_path: Mapped[str | None] = mapped_column(String(200))
    #: File name offered for download, e.g. "giay-moi-hoi-nghi-12.pdf".
    result_name: Mapped[str | None] = mapped_column(String(200))
    #: Size in bytes and SHA-256 (hex) of the result.
    result_size: Mapped[int | None] = mapped_column(Integer)
    result_sha256: Mapped[str | None] = mapped_column(String(64))

    @classmethod
    def scope_clause(cls, scope):
        """Jobs for an event or a campaign the scope covers (the asker's own jobs are added by the views)."""
        from ..campaigns.models import Campaign
        from ..events.models import Event

        return or_(
            cls.event_id.in_(select(Event.id).where(Event.scope_clause(scope))),
            cls.campaign_id.in_(select(Campaign.id).where(Campaign.scope_clause(scope))),
        )

    @property
    def finished(self) -> bool:
        """Whether the job has stopped (done or failed)."""
        return self.status in ("done", "failed")

    @property
    def percent(self) -> int:
        """Progress in whole per cent."""
        if self.status == "done":
            return 100
        if not self.progress_total:
            return 0
        return min(100, self.progress_done * 100 // self.progress_total)

    def __str__(self) -> str:
        return f"{self.kind} #{self.id}"
