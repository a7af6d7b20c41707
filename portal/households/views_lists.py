"""Due-payment and lapse lists (per hamlet or per agent, on screen and as XLSX) and the export of a search."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..auth.roles import EVERYONE, OFFICERS_AND_AGENTS, roles_required
from ..auth.scope import AGENT, current_scope, scoped
from ..core.rendering import render_page
from ..database import begin_write
from ..extensions import db
from ..geo.models import Commune, Hamlet
from ..i18n.formatting import local_today
from ..org.models import Agent
from . import exports, queries, services
from .blueprint import bp
from .due_args import due_filter
from .labels import DUE_KIND_LABELS


def _due_places(f: queries.DueFilter) -> dict:
    """Communes, hamlets and agents the narrowing selects offer (only inside the user's area)."""
    scope = current_scope()
    communes = [] if scope.kind == AGENT else db.session.execute(
        scoped(Commune, select(Commune.id, Commune.name)).where(Commune.office_id.is_not(None))
        .order_by(Commune.sort_key)).all()
    hamlets = db.session.execute(scoped(Hamlet, select(Hamlet.id, Hamlet.name)).where(
        Hamlet.commune_id == f.commune_id).order_by(Hamlet.sort_key)).all() if f.commune_id else []
    if scope.kind == AGENT:
        hamlets = db.session.execute(scoped(Hamlet, select(Hamlet.id, Hamlet.name)).order_by(Hamlet.sort_key)).all()
    agents = []
    if scope.kind != AGENT:
        stmt = scoped(Agent, select(Agent.id, Agent.full_name)).where(Agent.active.is_(True))
        if f.commune_id:
            stmt = stmt.where(Agent.communes.any(Commune.id == f.commune_id))
        agents = db.session.execute(stmt.order_by(Agent.sort_key).limit(1000)).all()
    return {"communes": communes, "hamlets": hamlets, "agents": agents, "is_agent": scope.kind == AGENT}


@bp.get("/due")
@roles_required(EVERYONE)
def due():
    """Who to remind: payments falling due, people who stopped paying, health insurance cards expiring or
    expired; per hamlet or per agent, with counts (an agent sees their own hamlets)."""
    f, problems = due_filter()
    today = local_today()
    result = queries.due_list(f, today=today, detail_max=queries.DUE_DETAIL_MAX)
    context = {"filters": f, "due": result, "problems": problems, "kinds": DUE_KIND_LABELS,
               "today": today,
               "export_url": url_for("households.due_xlsx", **f.query_args()),
               "group_url": lambda key: url_for("households.due", **f.query_args(
                   **({"agent": key} if f.group == "agent" else {"hamlet": key}))),
               "detail_max": queries.DUE_DETAIL_MAX, **_due_places(f),
               "can_sign_up": current_user.role in OFFICERS_AND_AGENTS,
               "here": url_for("households.due", **f.query_args()),
               "days_shown": "" if f.days == 0 else (f.days or queries.DUE_DEFAULT_DAYS[f.kind])}
    response = render_page("households/due.html", context, fragment="due_page", status=422 if problems else 200)
    if not problems and result.listed:
        services.record_list_view("view.due_list", filters=f.described(today),
                                  rows=sum(len(g.rows) for g in result.groups))
    return response


@bp.get("/due.xlsx")
@roles_required(EVERYONE)
def due_xlsx():
    """The due list as XLSX, every person (audited with the filter and the row count)."""
    f, problems = due_filter()
    if problems:
        flash(" ".join(problems), "error")
        return redirect(url_for("households.due", **f.query_args()), code=303)
    today = local_today()
    result = queries.due_list(f, today=today, detail_max=queries.EXPORT_MAX)  # every person, or too many
    if not result.listed:
        flash(_("The list has more than %(n)s people; narrow it to a commune, hamlet or agent.",
                n=f"{queries.EXPORT_MAX:,}".replace(",", ".")), "warning")
        return redirect(url_for("households.due", **f.query_args()), code=303)
    agents_of = queries.agents_of_hamlets({row[3] for group in result.groups for row in group.rows})
    data = exports.due_workbook(result.groups, per_agent=f.group == "agent", agents_of=agents_of)
    begin_write()
    services.record_export("export.due_list", filters=f.described(today),
                           rows=sum(len(g.rows) for g in result.groups))
    db.session.commit()
    return exports.attachment(data, f"den-han-dong-{today.isoformat()}.xlsx")


@bp.get("/export.xlsx")
@roles_required(EVERYONE)
def export_xlsx():
    """The people a name search and its filters find, as XLSX (no numbers in the URL; audited)."""
    f = queries.PeopleFilter.from_args(request.args)
    rows = queries.export_people(f, today=local_today(), limit=queries.EXPORT_MAX)
    if rows is None:
        flash(_("More than %(n)s people match; narrow the search before exporting.",
                n=f"{queries.EXPORT_MAX:,}".replace(",", ".")), "warning")
        return redirect(url_for("households.search", **f.query_args()), code=303)
    data = exports.people_workbook(rows)
    begin_write()
    services.record_export("export.households", filters=f.described(), rows=len(rows))
    db.session.commit()
    return exports.attachment(data, f"danh-sach-nguoi-{local_today().isoformat()}.xlsx")
