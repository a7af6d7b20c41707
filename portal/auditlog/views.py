"""The audit log page (read-only: nothing here edits or deletes entries)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import request
from sqlalchemy import select

from ..audit.models import OUTCOMES, AuditEntry
from ..auth.roles import ADMINS, roles_required
from ..core.pagination import paginate
from ..core.rendering import render_page
from ..extensions import db
from ..i18n.formatting import parse_date
from .blueprint import bp

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _day_start(text: str | None) -> datetime | None:
    try:
        day = parse_date(text or "")
    except ValueError:
        return None
    return datetime.combine(day, datetime.min.time(), tzinfo=VN).astimezone(UTC)


@bp.get("/")
@roles_required(ADMINS)
def index():
    """Entries newest first, filtered by user, action, outcome, period and object."""
    args = request.args
    stmt = select(AuditEntry)
    if args.get("user"):
        stmt = stmt.where(AuditEntry.username.like(f"%{args['user'].strip().lower()}%"))
    if args.get("action"):
        stmt = stmt.where(AuditEntry.action == args["action"])
    if args.get("outcome") in OUTCOMES:
        stmt = stmt.where(AuditEntry.outcome == args["outcome"])
    start, end = _day_start(args.get("from")), _day_start(args.get("to"))
    if start:
        stmt = stmt.where(AuditEntry.at >= start)
    if end:
        stmt = stmt.where(AuditEntry.at < end + timedelta(days=1))
    if args.get("object_type"):
        stmt = stmt.where(AuditEntry.object_type == args["object_type"])
        if args.get("object_id", "").isdigit():
            stmt = stmt.where(AuditEntry.object_id == int(args["object_id"]))
    page = paginate(stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()), per_page=50)
    actions = db.session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)).all()
    return render_page("audit/index.html", {"page": page, "actions": actions, "outcomes": OUTCOMES,
                                            "args": args.to_dict()}, fragment="results")
