"""Campaign writes: the campaign itself, its status, its targets; each with an audit entry (the caller commits).

The May campaign wizard lives in :mod:`portal.campaigns.wizard`.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..audit import services as audit
from ..extensions import db
from ..i18n.formatting import format_date
from ..org.models import Office
from .forms import NEXT_STATUS
from .models import TARGET_CHANNELS, Campaign, Target
from .queries import may_campaign_of


class CampaignError(ValueError):
    """A change that cannot be made; the message is for the user (translated)."""


# --- targets ---------------------------------------------------------------------------------------------------

def _target_row(campaign: Campaign, level: str, subject_id: int, metric: str, value: int,
                office_id: int | None) -> dict:
    row = {"campaign_id": campaign.id, "level": level, "office_id": None, "commune_id": None, "agent_id": None,
           "organisation_id": None, "hamlet_id": None, "channel": None, "metric": metric, "value": int(value)}
    if level == "channel":
        if office_id is None or not 1 <= subject_id <= len(TARGET_CHANNELS):
            raise CampaignError("channel")
        row.update(office_id=office_id, channel=TARGET_CHANNELS[subject_id - 1],
                   subject_key=Target.key_for(level, office_id, TARGET_CHANNELS[subject_id - 1]))
    else:
        row[f"{level}_id"] = subject_id
        row["subject_key"] = Target.key_for(level, subject_id)
    return row


#: The upsert of targets, one statement per dialect (building its ``excluded`` columns is costly: done once).
_UPSERTS: dict[str, object] = {}


def _upsert_targets():
    dialect = db.session.get_bind().dialect.name
    if dialect not in _UPSERTS:
        stmt = (pg_insert if dialect == "postgresql" else sqlite_insert)(Target.__table__)
        _UPSERTS[dialect] = stmt.on_conflict_do_update(index_elements=["campaign_id", "metric", "subject_key"],
                                                       set_={"value": stmt.excluded.value})
    return _UPSERTS[dialect]


def set_targets(campaign: Campaign, level: str, changes: list[tuple[int, str, int]], *,
                office_id: int | None = None) -> None:
    """Create or change targets ``(subject id, metric, value)`` in one statement (safe when two people save the
    same cell).

    A channel target belongs to ``office_id``; its subject is the channel's number (1 = the first of
    :data:`TARGET_CHANNELS`)."""
    rows = {}  # one row per cell, the last value given (one statement may not change a row twice)
    for subject_id, metric, value in changes:
        row = _target_row(campaign, level, subject_id, metric, value, office_id)
        rows[row["subject_key"], metric] = row
    if rows:
        db.session.execute(_upsert_targets(), list(rows.values()))


def set_target(campaign: Campaign, level: str, subject_id: int, metric: str, value: int, *,
               office_id: int | None = None) -> None:
    """Create or change one target (see :func:`set_targets`)."""
    set_targets(campaign, level, [(subject_id, metric, value)], office_id=office_id)


def save_targets(campaign: Campaign, level: str, changes: list[tuple[int, str, int]], *, source: str,
                 office_id: int | None = None) -> int:
    """Write changed targets ``(subject id, metric, value)`` and one audit entry; returns how many."""
    set_targets(campaign, level, changes, office_id=office_id)
    if changes:
        details: dict = {"level": level, "source": source, "changes": len(changes)}
        if office_id and level != "office":
            details["office"] = office_id
        if len(changes) == 1:
            subject_id, metric, value = changes[0]
            details.update(subject=TARGET_CHANNELS[subject_id - 1] if level == "channel" else subject_id,
                           metric=metric, value=value)
        audit.record("campaign.targets", obj=campaign, object_type="campaign", details=details)
    return len(changes)


# --- the campaign ----------------------------------------------------------------------------------------------

def save_campaign(campaign: Campaign | None, *, name: str, kind: str, starts_on: date, ends_on: date,
                  office: Office, notes: str | None, user) -> Campaign:
    """Create a campaign, or change one; a changed period is also recorded as a rescheduling."""
    if ends_on < starts_on:
        raise CampaignError("ends_on")
    if kind == "may_month":
        other = may_campaign_of(office.province_id, starts_on.year)
        if other is not None and (campaign is None or other.id != campaign.id):
            raise CampaignError("may_month")
    creating = campaign is None
    if creating:
        campaign = Campaign(status="draft", created_by_id=user.id)
        db.session.add(campaign)
    before = {"name": campaign.name, "kind": campaign.kind, "office": campaign.office_id, "notes": campaign.notes}
    period = (campaign.starts_on, campaign.ends_on)
    campaign.name = name.strip()
    campaign.kind = kind
    campaign.starts_on, campaign.ends_on = starts_on, ends_on
    campaign.office_id, campaign.province_id = office.id, office.province_id
    campaign.notes = (notes or "").strip() or None
    db.session.flush()
    if creating:
        audit.record("campaign.create", obj=campaign, object_type="campaign",
                     details={"kind": kind, "from": format_date(starts_on), "to": format_date(ends_on), "targets": 0})
        return campaign
    after = {"name": campaign.name, "kind": campaign.kind, "office": campaign.office_id, "notes": campaign.notes}
    changed = sorted(k for k in after if after[k] != before[k])
    if changed:
        audit.record("campaign.update", obj=campaign, object_type="campaign", details={"fields": changed})
    if period != (starts_on, ends_on):
        audit.record("campaign.reschedule", obj=campaign, object_type="campaign",
                     details={"from": [format_date(d) for d in period],
                              "to": [format_date(starts_on), format_date(ends_on)]})
    return campaign


def change_status(campaign: Campaign, new_status: str) -> None:
    """Move a campaign on: draft -> active -> closed."""
    if new_status not in NEXT_STATUS.get(campaign.status, ()):
        raise CampaignError(new_status)
    audit.record("campaign.status", obj=campaign, object_type="campaign",
                 details={"from": campaign.status, "to": new_status})
    campaign.status = new_status


def cancel(campaign: Campaign) -> None:
    """Cancel a draft campaign: it and its targets are removed; events that named it keep no campaign."""
    if campaign.status != "draft":
        raise CampaignError("status")
    count = db.session.scalar(select(func.count()).select_from(Target).where(Target.campaign_id == campaign.id))
    audit.record("campaign.cancel", obj=campaign, object_type="campaign",
                 details={"name": campaign.name, "kind": campaign.kind, "from": format_date(campaign.starts_on),
                          "to": format_date(campaign.ends_on), "targets": count})
    db.session.execute(delete(Target).where(Target.campaign_id == campaign.id))
    db.session.execute(delete(Campaign).where(Campaign.id == campaign.id))
    db.session.expunge(campaign)
