"""Who may do what with a campaign, and which part of its targets a request addresses."""

from __future__ import annotations

from flask import abort, request
from flask_login import current_user

from ..auth.roles import LOCAL_OFFICER, OFFICERS, PLANNERS
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
    return current_user.role == LOCAL_OFFICER and level != "office"


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
    if level == "hamlet":
        where.commune = _commune_of(where.office.id)
    return where


def grid_args(where: Place) -> dict:
    """The query arguments that bring a grid back (level, office, and the commune of a hamlets grid)."""
    args = {"level": where.level}
    if where.level != "office":
        args["office"] = where.office_id
    if where.level == "hamlet" and where.commune:
        args["commune"] = where.commune[0]
    return args


def _commune_of(office_id: int) -> tuple[int, str] | None:
    """``?commune=`` of the request among the office's communes (404 for another), or the office's first commune."""
    from sqlalchemy import select

    from ..extensions import db
    from ..geo.models import Commune

    wanted = request.args.get("commune", type=int) or request.form.get("commune", type=int)
    stmt = select(Commune.id, Commune.name).where(Commune.office_id == office_id)
    stmt = stmt.where(Commune.id == wanted) if wanted else stmt.order_by(Commune.sort_key).limit(1)
    found = db.session.execute(stmt).first()
    if wanted and found is None:
        abort(404)
    return tuple(found) if found else None


def require_edit(campaign: Campaign, level: str) -> None:
    """403 unless the user may change targets at this level."""
    if not may_edit(campaign, level):
        abort(403)


def province_id() -> int | None:
    """The province a year's pages show: the user's own; for an administrator, ``?province=`` among the
    provinces with local offices (the first of them by default)."""
    from sqlalchemy import select

    from ..auth.scope import current_scope
    from ..extensions import db
    from ..org.models import Office

    scope = current_scope()
    if scope.province_id is not None or not scope.is_all:
        return scope.province_id
    found = list(db.session.scalars(select(Office.province_id).where(Office.kind == "local").distinct()
                                    .order_by(Office.province_id)))
    wanted = request.values.get("province", type=int)
    return wanted if wanted in found else (found[0] if found else None)


def year() -> int:
    """``?year=`` of the request (2000-2100), or this year."""
    from ..i18n.formatting import local_today

    wanted = request.values.get("year", type=int)
    return wanted if wanted and 2000 <= wanted <= 2100 else local_today().year


def year_place(province: int) -> Place:
    """The province's local offices the user sees, with ``?office=`` (404 for an office out of sight) or the
    only one."""
    where = Place("office", local_offices(province))
    wanted = request.values.get("office", type=int)
    where.office = where.office_with(wanted) if wanted else (where.offices[0] if where.single_office else None)
    if wanted and where.office is None:
        abort(404)
    if where.office is not None:
        where.level = "commune"
    return where


def may_enter_figures() -> bool:
    """Whether the user enters labour force and population figures (of the communes in their scope)."""
    return current_user.role in OFFICERS
