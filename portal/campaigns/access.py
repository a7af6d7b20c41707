"""Who may do what with a campaign, and which part of its targets a request addresses."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, request
from flask_login import current_user

from ..auth.roles import ADMIN, LOCAL_OFFICER, PROVINCE_OFFICER, VIEWER
from ..org.models import Office
from . import queries
from .models import TARGET_LEVELS, Campaign

#: Create, change, open and close campaigns; set every target of their province.
PLANNERS = (ADMIN, PROVINCE_OFFICER)
#: See campaigns and their targets (agents do not).
READERS = (ADMIN, PROVINCE_OFFICER, LOCAL_OFFICER, VIEWER)
#: Change targets: planners all of them, local officers their own office's communes and agents.
EDITORS = (ADMIN, PROVINCE_OFFICER, LOCAL_OFFICER)


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


@dataclass
class Place:
    """The part of a campaign's targets a request addresses: a level, and the office for communes and agents."""

    level: str
    office: Office | None
    offices: list[Office]

    @property
    def office_id(self) -> int | None:
        return self.office.id if self.office else None

    @property
    def office_ids(self) -> list[int]:
        return [o.id for o in self.offices]


def place(campaign: Campaign) -> Place:
    """``?level=`` and ``?office=`` of the request, limited to the offices the user sees (404 for others)."""
    level = request.args.get("level") or request.form.get("level") or "office"
    if level not in TARGET_LEVELS:
        abort(404)
    offices = queries.visible_offices(campaign)
    wanted = request.args.get("office", type=int) or request.form.get("office", type=int)
    office = next((o for o in offices if o.id == wanted), None) if wanted else (offices[0] if offices else None)
    if wanted and office is None:
        abort(404)
    if level != "office" and office is None:
        abort(404)
    return Place(level, office, offices)


def require_edit(campaign: Campaign, level: str) -> None:
    """403 unless the user may change targets at this level."""
    if not may_edit(campaign, level):
        abort(403)
