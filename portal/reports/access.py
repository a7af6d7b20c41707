"""Which part of a campaign's province a report request shows: the offices the user sees, and the level asked for."""

from __future__ import annotations

from flask import request
from flask_login import current_user
from sqlalchemy import select

from ..auth.scope import Place, get_or_404, local_offices
from ..campaigns.models import Campaign
from ..extensions import db
from ..geo.models import Commune, Province
from ..org.models import Office
from . import exports, queries


def place(campaign, levels: tuple[str, ...] = ("commune", "agent")) -> Place:
    """``?level=``, ``?office=`` and ``?commune=`` of the request, within the local offices of the campaign's
    province the user sees; an office the user does not see, or a commune outside the office, falls back to the
    offices level; one office only starts at its communes."""
    result = Place("office", local_offices(campaign.province_id))
    level = request.args.get("level")
    level = level if level in levels else "office"
    office = result.office_with(request.args.get("office", type=int))
    if level not in ("office", "organisation") and office is None:
        level = "office"  # organisations are ranked across every office the user sees, or within one
    if level == "office" and result.single_office:
        level, office = "commune", result.offices[0]
    if level == "organisation" and result.single_office:
        office = result.offices[0]
    result.level, result.office = level, office
    commune_id = request.args.get("commune", type=int)
    if level in ("event", "hamlet") and commune_id:
        found = db.session.execute(select(Commune.id, Commune.name).where(
            Commune.id == commune_id, Commune.office_id == office.id)).first()
        result.commune = tuple(found) if found else None
    if level == "hamlet" and result.commune is None:
        result.level = "commune"  # the hamlets of which commune? Its office's communes, then.
    return result


def issuer(campaign) -> dict:
    """The issuing body of a printed report: the user's office (and the office above it), and the place."""
    office = db.session.get(Office, current_user.office_id) if current_user.office_id else None
    office = office or db.session.get(Office, campaign.office_id)
    parent = db.session.get(Office, office.parent_id) if office.parent_id else None
    province = db.session.get(Province, campaign.province_id)
    superior = parent.name if parent else (queries.national_office() if office.kind == "province" else "")
    return {"issuer_name": office.name, "issuer_superior": superior,
            "place": province.name if province else ""}


def campaign_export(campaign_id: int, report_of, kind: str):
    """A campaign's report (``report_of(campaign)``) as XLSX or printed as PDF, audited either way."""
    row = get_or_404(Campaign, campaign_id)
    report = report_of(row)
    if kind == "xlsx":
        return exports.xlsx_response(report, obj=row, object_type="campaign")
    return exports.pdf_response(report, obj=row, object_type="campaign", **issuer(row))
