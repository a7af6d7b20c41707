"""Helpers of the campaign page tests: page text as the user reads it, targets and audit entries read back."""

from __future__ import annotations

from datetime import date

from flask_babel import force_locale, gettext
from markupsafe import escape
from sqlalchemy import func, select

from portal.audit.models import AuditEntry
from portal.campaigns.models import Campaign, Target
from portal.extensions import db

HTMX_GRID = {"HX-Request": "true", "HX-Target": "grid"}


def vi(message: str, **values) -> str:
    """A message as the Vietnamese page prints it (HTML-escaped), whatever the compiled catalogue holds."""
    with force_locale("vi"):
        return str(escape(gettext(message, **values)))


def campaign(province_office, name: str, starts: date, ends: date, *, kind: str = "wave",
             status: str = "draft") -> Campaign:
    """A committed campaign of the province office's province with any period."""
    made = Campaign(name=name, kind=kind, starts_on=starts, ends_on=ends, province_id=province_office.province_id,
                    office_id=province_office.id, status=status)
    db.session.add(made)
    db.session.commit()
    return made


def values(campaign_id: int, level: str = "commune") -> dict[tuple[int, str], int]:
    """The targets of a campaign at one level: (subject id, metric) -> value."""
    column = getattr(Target, f"{level}_id")
    return {(s, m): v for s, m, v in db.session.execute(select(column, Target.metric, Target.value).where(
        Target.campaign_id == campaign_id, Target.level == level))}


def target_count(campaign_id: int | None = None) -> int:
    """How many targets there are (of one campaign, or in all)."""
    stmt = select(func.count()).select_from(Target)
    if campaign_id is not None:
        stmt = stmt.where(Target.campaign_id == campaign_id)
    return db.session.scalar(stmt)


def audit(action: str, campaign_id: int | None = None) -> list[AuditEntry]:
    """The audit entries of an action (about one campaign), oldest first."""
    stmt = select(AuditEntry).where(AuditEntry.action == action)
    if campaign_id is not None:
        stmt = stmt.where(AuditEntry.object_type == "campaign", AuditEntry.object_id == campaign_id)
    return list(db.session.scalars(stmt.order_by(AuditEntry.id)))


def row_cells(*numbers: str) -> str:
    """The number cells of a read-only table row, as the templates print them."""
    return "".join(f'<td class="num">{n}</td>' for n in numbers)
