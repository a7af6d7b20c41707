"""The year's work (January to December, every campaign one period of it) and the periodic results report the
office sends to the communes' People's Committees and to the province office."""

from __future__ import annotations

from datetime import date

from flask import abort, request, url_for
from flask_login import current_user

from ..auth.roles import ADMIN, READERS, roles_required
from ..campaigns.access import province_id, year, year_place
from ..core.rendering import render_page
from ..extensions import db
from ..geo.models import Province
from ..i18n.formatting import local_today
from . import exports, periodic, queries
from . import year as year_report
from .blueprint import bp


def where_asked():
    """The province and the place of a year's request (404 when the user sees no province)."""
    province = province_id()
    if province is None:
        abort(404)
    return province, year_place(province)


def base_args(province: int, where, **more) -> dict:
    """Query arguments that bring back the province (administrators) and office asked for."""
    args = {"office": where.office_id, "province": province if current_user.role == ADMIN else None, **more}
    return {k: v for k, v in args.items() if v is not None}


@bp.get("/year")
@roles_required(READERS)
def year_page():
    """Every counted sign-up of the year whatever its channel, month by month, each campaign as one period and
    the work outside any campaign; by office or commune with coverage against labour force and population."""
    province, where = where_asked()
    the_year = year()
    context = year_report.summary(province, the_year, where, local_today())
    context.update({"place": where, "province": db.session.get(Province, province),
                    "years": list(range(local_today().year - 3, local_today().year + 2)),
                    "args": base_args(province, where, year=the_year),
                    "office_url": lambda office_id: url_for("reports.year_page", **base_args(
                        province, where, year=the_year, office=office_id))})
    return render_page("reports/year.html", context)


def _periodic():
    """The report asked for: the period and day, and the addressee (the province office, or one commune's People's
    Committee, the commune within the offices the user sees: 404 otherwise)."""
    province, where = where_asked()
    period = request.args.get("period")
    period = period if period in periodic.PERIODS else "month"
    try:
        day = date.fromisoformat(request.args.get("on") or "")
    except ValueError:
        day = local_today()
    commune, addressee = None, None
    commune_id = request.args.get("commune", type=int)
    if commune_id:
        commune = queries.commune_of(commune_id, where)
        if commune is None:
            abort(404)
        addressee = periodic.committee_of(commune[1])
    else:
        addressee = queries.province_office_name(province)
    data = periodic.build(province, where, period, day, local_today(), commune=commune, addressee=addressee)
    return province, where, period, day, commune, data


def issuer_of(province: int) -> dict:
    """The issuing body of an office's report: the user's office and the office above it."""
    return queries.issuer(province, current_user.office_id)


@bp.get("/periodic")
@roles_required(READERS)
def periodic_page():
    """The weekly or monthly results report for a commune's People's Committee or the province office: its
    figures on the page, with the official document (PDF) and the workbook to download."""
    province, where, period, day, commune, data = _periodic()
    communes = queries.communes_of(where)
    args = base_args(province, where, period=period, on=day.isoformat(), commune=commune[0] if commune else None)
    report = periodic.report(data)
    return render_page("reports/periodic.html", {
        "data": data, "report": report, "place": where, "period": period, "day": day, "commune": commune,
        "communes": communes, "args": args,
        "tables": exports.print_context(report, **issuer_of(province))["tables"]})


def _periodic_report():
    province, where, period, day, commune, data = _periodic()
    return province, data, periodic.report(data)


@bp.get("/periodic.xlsx")
@roles_required(READERS)
def periodic_xlsx():
    """The periodic results report as XLSX (audited)."""
    province, _data, report = _periodic_report()
    return exports.xlsx_response(report, obj=None, object_type="province", action="export.periodic_report")


@bp.get("/periodic.pdf")
@roles_required(READERS)
def periodic_pdf():
    """The periodic results report as an official document (audited)."""
    province, data, report = _periodic_report()
    issuer = issuer_of(province)
    extra = periodic.letter(data)
    return exports.pdf_response(report, obj=None, object_type="province", action="print.periodic_report",
                                template="periodic_report.html", extra=extra, **issuer)
