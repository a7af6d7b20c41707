"""The declaration lists page: choose sign-ups, see what blocks the export, download XLSX or PDF."""

from __future__ import annotations

from flask import Response, request
from flask_babel import force_locale, pgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from ..auth.roles import AGENT, OFFICERS, OFFICERS_AND_AGENTS, roles_required
from ..auth.scope import current_scope, scoped
from ..core.rendering import render_page
from ..extensions import db
from ..geo.models import Commune
from ..i18n.formatting import local_today, parse_date
from ..org.models import Agent
from . import services
from .blueprint import bp
from .codes import FORM_NAMES, ISSUED_BY, LEGENDS, TITLES
from .models import DeclarationBatch
from .xlsx import workbook

FORMS = {"d05": _l("D05-TS: voluntary social insurance"), "d03": _l("D03-TS: health insurance")}


def _filters(args) -> services.Filters:
    def day(name):
        try:
            return parse_date(args.get(name, "")) if args.get(name) else None
        except ValueError:
            return None

    scope = current_scope()
    return services.Filters(
        form=args.get("form") if args.get("form") in FORMS else "d05", event_id=args.get("event", type=int),
        agent_id=scope.agent_id or args.get("agent", type=int), commune_id=args.get("commune", type=int),
        start=day("from"), end=day("to"), include_exported=args.get("all") == "1")


def _headers(columns) -> list[str]:
    return [f"{c.group}: {c.label}" if c.group else c.label for c in columns]


def _legend(form: str) -> list[str]:
    return [f"{name}: " + "; ".join(f"{k} = {v}" for k, v in codes.items()) for name, codes in LEGENDS[form]]


def _context(f: services.Filters, result: services.Listing) -> dict:
    communes = db.session.scalars(scoped(Commune).where(Commune.office_id.is_not(None)).order_by(Commune.sort_key))
    agents = db.session.scalars(scoped(Agent).order_by(Agent.sort_key))
    batches = db.session.scalars(select(DeclarationBatch).where(DeclarationBatch.created_by_id == current_user.id)
                                 .order_by(DeclarationBatch.created_at.desc()).limit(10)).all()
    return {"filters": f, "result": result, "forms": FORMS, "communes": list(communes), "agents": list(agents),
            "batches": batches, "headers": _headers(result.columns), "cells": services.display_rows(result),
            "legend": _legend(f.form), "is_agent": current_user.role == AGENT,
            "can_edit_people": current_user.role in OFFICERS}


@bp.get("/")
@roles_required(OFFICERS_AND_AGENTS)
def index():
    """Confirmed sign-ups ready for a D05-TS or D03-TS list, with anything that blocks the export."""
    f = _filters(request.args)
    result = services.listing(f)
    response = render_page("declarations/index.html", _context(f, result))
    if result.rows or result.missing:
        from ..households.services import record_list_view

        record_list_view("view.declarations_preview", filters=f.as_json(), rows=len(result.rows),
                         blocked=len(result.missing))
    return response


def _pdf_context(result: services.Listing, batch_id: int, place: str) -> dict:
    columns = result.columns
    header_top, header_sub, index = [], [], 0
    while index < len(columns):
        column = columns[index]
        if column.group:
            span = 1
            while index + span < len(columns) and columns[index + span].group == column.group:
                span += 1
            header_top.append({"label": column.group, "colspan": span, "rowspan": 1})
            header_sub.extend(c.label for c in columns[index:index + span])
            index += span
        else:
            header_top.append({"label": column.label, "colspan": 1, "rowspan": 2})
            index += 1
    total_mm = sum(c.mm for c in columns)
    aligns = ["right" if c.kind in ("money", "percent") else "left" if c.kind == "text" or c.key in
              ("bhxh_code", "cccd") else "center" for c in columns]
    heading = result.heading
    with force_locale("vi"):  # the list is in Vietnamese whatever the interface language
        words = {"agency": _("Social Security"),
                 "signatures": [pgettext("document", "Prepared by"), pgettext("document", "Head of the office")]}
    return {
        "title": TITLES[result.form], "form_name": FORM_NAMES[result.form], "issued_by": ISSUED_BY,
        "agency_superior": heading.agency_superior, "agency": heading.agency or words["agency"],
        "organisation": heading.organisation, "agent": heading.agent, "period": heading.period, "batch": batch_id,
        "header_top": header_top, "header_sub": header_sub,
        "widths": [round(c.mm * 100 / total_mm, 3) for c in columns], "aligns": aligns,
        "date_columns": [i for i, c in enumerate(columns) if c.kind in ("date", "birth")],
        "rows": services.display_rows(result), "count": len(result.rows),
        "totals": [services.cell_text(c.kind, result.totals.get(c.key)) if c.summed else ""
                   for c in columns[3:]],
        "legend": _legend(result.form), "place": place or "……", "date": local_today(),
        "signatures": words["signatures"],
    }


@bp.post("/export")
@roles_required(OFFICERS_AND_AGENTS)
def export():
    """Download the list (XLSX or PDF); the sign-ups it carries are marked with a new batch."""
    from flask_wtf.csrf import validate_csrf

    validate_csrf(request.form.get("csrf_token"))
    f = _filters(request.form)
    result = services.listing(f)
    file_format = "pdf" if request.form.get("format") == "pdf" else "xlsx"
    if result.missing or not result.rows:
        return render_page("declarations/index.html", _context(f, result), status=422)
    batch = services.record_batch(f, result, current_user, file_format)
    db.session.commit()
    from ..printing.offices import office_seat

    place = office_seat(result.heading.agency) if result.heading.agency else ""
    name = f"{f.form}-ts-lo-{batch.id}"
    if file_format == "xlsx":
        body = workbook(result, batch_id=batch.id, place=place, day=local_today())
        return Response(body, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'})
    from ..printing import renderer

    pdf = renderer().render_pdf("declaration.html", _pdf_context(result, batch.id, place))
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'})
