"""Who may do what with a campaign, and which part of its targets a request addresses."""

from __future__ import annotations

from flask import abort, request
from flask_login import current_user

from ..auth.roles import LOCAL_OFFICER, PLANNERS
from ..auth.scope import Place, local_offices
from .models import TARGET_LEVELS, Campaign


def can_plan() -> bool:
    """Whether the user creates and steers campaigns."""
    return current_user.role in PLANNERS


def may_edit(campaign: Campaign, level: str) -> bool:
    """Whether the user may change targets at this level (a closed campaign's targets are final)."""
    if campaign.status == "closed":
        return False
    if current_user.role in PLANNERS:
        return True
    return current_user.role == LOCAL_OFFICER and level in ("commune", "agent")


def place(campaign: Campaign) -> Place:
    """``?level=`` and ``?office=`` of the request (the first office when none is asked for), limited to the local
    offices of the campaign's province the user sees (404 for others)."""
    level = request.args.get("level") or request.form.get("level") or "office"
    if level not in TARGET_LEVELS:
        abort(404)
    where = Place(level, local_offices(campaign.province_id))
    wanted = request.args.get("office", type=int) or request.form.get("office", type=int)
    where.office = where.office_with(wanted) if wanted else (where.offices[0] if where.offices else None)
    if wanted and where.office is None:
        abort(404)
    if level != "office" and where.office is None:
        abort(404)
    return where


def require_edit(campaign: Campaign, level: str) -> None:
    """403 unless the user may change targets at this level."""
    if not may_edit(campaign, level):
        abort(403)
