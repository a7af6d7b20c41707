"""Offices, agent organisations and agents."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import delete, func, insert, or_, select
from wtforms import SelectChoice

from ..audit import services as audit
from ..auth.models import User
from ..auth.roles import ADMIN, AGENT, LOCAL_OFFICER, PROVINCE_OFFICER, VIEWER, roles_required
from ..auth.scope import current_scope, get_or_404, scoped
from ..core import nav
from ..core.pagination import paginate
from ..core.rendering import render_page
from ..extensions import db
from ..geo.models import Commune, Hamlet, Province
from ..households import normalise
from ..i18n.collation import fold_diacritics
from . import bp
from .forms import OFFICE_KIND_LABELS, ORGANISATION_LABELS, AgentForm, OfficeForm, OrganisationForm
from .models import Agent, AgentOrganisation, Office, agent_communes, agent_hamlets

OFFICERS = (ADMIN, PROVINCE_OFFICER, LOCAL_OFFICER)
nav.register("org.offices", _l("Offices"), {ADMIN, PROVINCE_OFFICER}, order=30)
nav.register("org.agents", _l("Agents"), {*OFFICERS, VIEWER}, order=40)


@bp.get("/offices")
@roles_required(*OFFICERS, VIEWER)
def offices():
    """BHXH offices in the user's area with how many communes and agents each has."""
    communes = select(Commune.office_id, func.count().label("n")).group_by(Commune.office_id).subquery()
    agents = select(Agent.office_id, func.count().label("n")).group_by(Agent.office_id).subquery()
    rows = db.session.execute(scoped(Office, select(Office, func.coalesce(communes.c.n, 0),
                                                    func.coalesce(agents.c.n, 0)))
                              .outerjoin(communes, communes.c.office_id == Office.id)
                              .outerjoin(agents, agents.c.office_id == Office.id)
                              .order_by(Office.kind.desc(), Office.sort_key)).all()
    return render_page("org/offices.html", {"rows": rows, "kind_labels": OFFICE_KIND_LABELS,
                                            "can_edit": current_user.role in (ADMIN, PROVINCE_OFFICER)})


@bp.get("/offices/<int:office_id>")
@roles_required(*OFFICERS, VIEWER)
def office(office_id: int):
    """An office: the communes it serves, its agents and organisations."""
    row = get_or_404(Office, office_id)
    communes = db.session.scalars(select(Commune).where(Commune.office_id == row.id).order_by(Commune.sort_key)).all()
    agents = db.session.scalars(select(Agent).where(Agent.office_id == row.id).order_by(Agent.sort_key)).all()
    orgs = db.session.scalars(select(AgentOrganisation).where(AgentOrganisation.office_id == row.id)
                              .order_by(AgentOrganisation.sort_key)).all()
    return render_page("org/office.html", {"office": row, "communes": communes, "agents": agents,
                                           "organisations": orgs, "kind_labels": OFFICE_KIND_LABELS,
                                           "org_labels": ORGANISATION_LABELS,
                                           "can_edit": current_user.role in (ADMIN, PROVINCE_OFFICER)})


def _save_office(row: Office | None):
    scope = current_scope()
    form = OfficeForm()
    if request.method == "GET" and row is not None:
        form.process(data={"code": row.code, "name": row.name, "kind": row.kind, "province_id": row.province_id,
                           "address": row.address, "phone": row.phone})
    provinces = db.session.scalars(scoped(Province).order_by(Province.name)).all()
    form.province_id.choices = [SelectChoice(p.id, p.full_name) for p in provinces]
    province_id = form.province_id.data or (row.province_id if row else scope.province_id) or (
        provinces[0].id if provinces else None)
    communes = db.session.scalars(select(Commune).where(Commune.province_id == province_id)
                                  .order_by(Commune.sort_key)).all()
    form.communes.choices = [SelectChoice(c.id, c.name) for c in communes]
    if request.method == "GET" and row is not None:
        form.communes.data = [c.id for c in communes if c.office_id == row.id]
    status = 200
    if form.validate_on_submit():
        if not any(p.id == form.province_id.data for p in provinces):
            abort(404)
        clash = db.session.scalar(select(Office.id).where(Office.code == form.code.data.strip(),
                                                          Office.id != (row.id if row else 0)))
        if clash:
            form.code.errors.append(_("This code is taken."))
            status = 422
        else:
            creating = row is None
            row = row or Office()
            row.code = form.code.data.strip()
            row.set_name(normalise.text(form.name.data))
            row.kind = form.kind.data
            row.province_id = form.province_id.data
            row.address = normalise.text(form.address.data) or None
            row.phone = normalise.text(form.phone.data) or None
            if row.kind == "local":
                row.parent_id = db.session.scalar(select(Office.id).where(
                    Office.province_id == row.province_id, Office.kind == "province"))
            db.session.add(row)
            db.session.flush()
            wanted = set(form.communes.data or []) if row.kind == "local" else set()
            current = set(db.session.scalars(select(Commune.id).where(Commune.office_id == row.id)))
            added, removed = wanted - current, current - wanted
            moved = db.session.scalars(select(Commune.name).where(Commune.id.in_(added),
                                                                  Commune.office_id.is_not(None))).all()
            if added:
                db.session.execute(Commune.__table__.update().where(Commune.__table__.c.id.in_(added))
                                   .values(office_id=row.id))
            if removed:
                db.session.execute(Commune.__table__.update().where(Commune.__table__.c.id.in_(removed))
                                   .values(office_id=None))
            audit.record("office.create" if creating else "office.update", obj=row, object_type="office",
                         details={"communes_added": sorted(added), "communes_removed": sorted(removed)})
            db.session.commit()
            flash(_("Saved."), "success")
            if moved:
                flash(_("Moved from another office: %(names)s", names=", ".join(moved)), "warning")
            return redirect(url_for("org.office", office_id=row.id), code=303)
    elif form.is_submitted():
        status = 422
    return render_page("org/office_form.html", {"form": form, "office": row}, status=status)


@bp.route("/offices/new", methods=["GET", "POST"])
@roles_required(ADMIN, PROVINCE_OFFICER)
def office_new():
    """Create an office."""
    return _save_office(None)


@bp.route("/offices/<int:office_id>/edit", methods=["GET", "POST"])
@roles_required(ADMIN, PROVINCE_OFFICER)
def office_edit(office_id: int):
    """Change an office and the communes it serves."""
    return _save_office(get_or_404(Office, office_id))


@bp.get("/organisations")
@roles_required(*OFFICERS, VIEWER)
def organisations():
    """Organisations agents work for (post offices, committees, associations)."""
    rows = db.session.execute(scoped(AgentOrganisation, select(AgentOrganisation, Office.name)).join(
        Office, Office.id == AgentOrganisation.office_id).order_by(AgentOrganisation.sort_key)).all()
    return render_page("org/organisations.html", {"rows": rows, "labels": ORGANISATION_LABELS,
                                                  "can_edit": current_user.role in OFFICERS})


def _save_org(row: AgentOrganisation | None):
    form = OrganisationForm(obj=row)
    form.office_id.choices = [SelectChoice(o.id, o.name) for o in db.session.scalars(
        scoped(Office).order_by(Office.sort_key))]
    status = 200
    if form.validate_on_submit():
        creating = row is None
        row = row or AgentOrganisation()
        row.set_name(normalise.text(form.name.data))
        row.kind = form.kind.data
        row.office_id = form.office_id.data
        row.phone = normalise.text(form.phone.data) or None
        row.address = normalise.text(form.address.data) or None
        db.session.add(row)
        db.session.flush()
        audit.record("organisation.create" if creating else "organisation.update", obj=row,
                     object_type="organisation")
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("org.organisations"), code=303)
    elif form.is_submitted():
        status = 422
    return render_page("org/organisation_form.html", {"form": form, "organisation": row}, status=status)


@bp.route("/organisations/new", methods=["GET", "POST"])
@roles_required(*OFFICERS)
def organisation_new():
    """Add an organisation."""
    return _save_org(None)


@bp.route("/organisations/<int:org_id>/edit", methods=["GET", "POST"])
@roles_required(*OFFICERS)
def organisation_edit(org_id: int):
    """Change an organisation."""
    return _save_org(get_or_404(AgentOrganisation, org_id))


@bp.get("/agents")
@roles_required(*OFFICERS, VIEWER)
def agents():
    """Agents in the user's area, searchable by name or code, sorted by given name."""
    q = (request.args.get("q") or "").strip()
    stmt = scoped(Agent, select(Agent, AgentOrganisation.name)).outerjoin(
        AgentOrganisation, AgentOrganisation.id == Agent.organisation_id)
    if q:
        stmt = stmt.where(or_(Agent.search_name.like(f"%{fold_diacritics(q)}%"), Agent.code.like(f"%{q.upper()}%")))
    if request.args.get("office", type=int):
        stmt = stmt.where(Agent.office_id == request.args.get("office", type=int))
    if request.args.get("active") in ("1", "0"):
        stmt = stmt.where(Agent.active.is_(request.args["active"] == "1"))
    if request.args.get("trained") == "0":
        stmt = stmt.where(Agent.trained_on.is_(None))
    page = paginate(stmt.order_by(Agent.sort_key), scalars=False)
    offices = db.session.scalars(scoped(Office).where(Office.kind == "local").order_by(Office.sort_key)).all()
    return render_page("org/agents.html", {"page": page, "q": q, "offices": offices, "args": request.args.to_dict(),
                                           "can_edit": current_user.role in OFFICERS})


@bp.get("/agents/<int:agent_id>")
@roles_required(*OFFICERS, VIEWER, AGENT)
def agent(agent_id: int):
    """An agent: where they work, their training, their account."""
    row = get_or_404(Agent, agent_id)
    communes = db.session.scalars(select(Commune).join(agent_communes, agent_communes.c.commune_id == Commune.id)
                                  .where(agent_communes.c.agent_id == row.id).order_by(Commune.sort_key)).all()
    hamlets = db.session.scalars(select(Hamlet).join(agent_hamlets, agent_hamlets.c.hamlet_id == Hamlet.id)
                                 .where(agent_hamlets.c.agent_id == row.id).order_by(Hamlet.sort_key)).all()
    context = {"agent": row, "communes": communes, "hamlets": hamlets,
               "organisation": db.session.get(AgentOrganisation, row.organisation_id) if row.organisation_id else None,
               "office": db.session.get(Office, row.office_id),
               "account": db.session.scalar(select(User).where(User.agent_id == row.id)),
               "can_edit": current_user.role in OFFICERS}
    return render_page("org/agent.html", context)


def _save_agent(row: Agent | None):
    form = AgentForm()
    if request.method == "GET" and row is not None:
        form.process(data={"code": row.code, "full_name": row.full_name, "phone": row.phone,
                           "office_id": row.office_id, "trained_on": row.trained_on, "active": row.active})
    offices = db.session.scalars(scoped(Office).where(Office.kind == "local").order_by(Office.sort_key)).all()
    form.office_id.choices = [SelectChoice(o.id, o.name) for o in offices]
    office_id = form.office_id.data or (row.office_id if row else (offices[0].id if offices else None))
    form.organisation_id.choices = [SelectChoice(0, "—")] + [SelectChoice(o.id, o.name) for o in db.session.scalars(
        select(AgentOrganisation).where(AgentOrganisation.office_id == office_id).order_by(AgentOrganisation.sort_key))]
    communes = db.session.scalars(select(Commune).where(Commune.office_id == office_id).order_by(Commune.sort_key)).all()
    form.communes.choices = [SelectChoice(c.id, c.name) for c in communes]
    hamlets = db.session.execute(select(Hamlet.id, Hamlet.name, Commune.name).join(Commune).where(
        Commune.office_id == office_id).order_by(Commune.sort_key, Hamlet.sort_key)).all()
    form.hamlets.choices = [SelectChoice(h, f"{name} ({commune})") for h, name, commune in hamlets]
    if request.method == "GET" and row is not None:
        form.communes.data = list(db.session.scalars(select(agent_communes.c.commune_id).where(
            agent_communes.c.agent_id == row.id)))
        form.hamlets.data = list(db.session.scalars(select(agent_hamlets.c.hamlet_id).where(
            agent_hamlets.c.agent_id == row.id)))
        form.organisation_id.data = row.organisation_id or 0
    status = 200
    if form.validate_on_submit():
        if not any(o.id == form.office_id.data for o in offices):
            abort(404)
        try:
            phone = normalise.phone(form.phone.data)
            name = normalise.person_name(form.full_name.data)
        except normalise.Invalid as exc:
            form.phone.errors.append(str(exc))
            status = 422
        else:
            code = form.code.data.strip().upper()
            clash = db.session.scalar(select(Agent.id).where(Agent.code == code, Agent.id != (row.id if row else 0)))
            if clash:
                form.code.errors.append(_("This agent code is taken."))
                status = 422
            else:
                creating = row is None
                row = row or Agent()
                row.code = code
                row.set_name(name)
                row.phone = phone
                row.office_id = form.office_id.data
                row.organisation_id = form.organisation_id.data or None
                row.trained_on = form.trained_on.data
                row.active = form.active.data
                db.session.add(row)
                db.session.flush()
                valid_hamlets = {h for h, _n, _c in hamlets}
                for table, column, values in ((agent_communes, "commune_id", set(form.communes.data or [])),
                                              (agent_hamlets, "hamlet_id", set(form.hamlets.data or []) & valid_hamlets)):
                    db.session.execute(delete(table).where(table.c.agent_id == row.id))
                    if values:
                        db.session.execute(insert(table), [{"agent_id": row.id, column: v} for v in values])
                audit.record("agent.create" if creating else "agent.update", obj=row, object_type="agent")
                db.session.commit()
                flash(_("Saved."), "success")
                return redirect(url_for("org.agent", agent_id=row.id), code=303)
    elif form.is_submitted():
        status = 422
    return render_page("org/agent_form.html", {"form": form, "agent": row}, status=status)


@bp.route("/agents/new", methods=["GET", "POST"])
@roles_required(*OFFICERS)
def agent_new():
    """Add an agent."""
    return _save_agent(None)


@bp.route("/agents/<int:agent_id>/edit", methods=["GET", "POST"])
@roles_required(*OFFICERS)
def agent_edit(agent_id: int):
    """Change an agent, their training date and the communes and hamlets they cover."""
    return _save_agent(get_or_404(Agent, agent_id))


@bp.route("/agents/import", methods=["GET", "POST"])
@roles_required(*OFFICERS)
def agents_import():
    """Upload the agents of an office: see the report first; confirm to write all of it."""
    from ..core import uploads
    from ..geo.forms import ImportForm
    from . import importer

    offices = db.session.scalars(scoped(Office).where(Office.kind == "local").order_by(Office.sort_key)).all()
    office_id = request.values.get("office", type=int) or (offices[0].id if offices else None)
    office = next((o for o in offices if o.id == office_id), None)
    if office is None:
        abort(404)
    form = ImportForm()
    step = uploads.preview_or_confirm(f"agents-{office.id}", form,
                                      lambda data, name: importer.analyse(office, data, name),
                                      lambda report: report.ok and (report.new or report.updated))
    if step.expired:
        return redirect(url_for("org.agents_import", office=office.id), code=303)
    if step.confirmed:
        report = step.report
        written = importer.apply(office, report)
        audit.record("agent.import", obj=office, object_type="office",
                     details={"file": step.filename, "new": len(report.new), "updated": len(report.updated)})
        db.session.commit()
        flash(_("%(n)d agents were saved.", n=written), "success")
        return redirect(url_for("org.agents", office=office.id), code=303)
    return render_page("org/agents_import.html", {"form": form, "report": step.report, "filename": step.filename,
                                                  "offices": offices, "office": office}, status=step.status)


@bp.post("/agents/<int:agent_id>/inline")
@roles_required(*OFFICERS)
def agent_inline(agent_id: int):
    """Change one field of an agent from the list (phone, training date, active); answers the row."""
    from datetime import date

    from ..i18n.formatting import parse_date

    agent = get_or_404(Agent, agent_id)
    field = request.form.get("field")
    raw = (request.form.get("value") or "").strip()
    error = None
    try:
        if field == "phone":
            agent.phone = normalise.phone(raw)
        elif field == "trained_on":
            agent.trained_on = parse_date(raw) if raw else None
            if agent.trained_on and agent.trained_on > date.today():  # noqa: DTZ011 - a calendar date
                raise ValueError(raw)
        elif field == "active":
            agent.active = raw in ("1", "true", "on")
        else:
            abort(400)
    except normalise.Invalid as exc:
        error = str(exc)
    except ValueError:
        error = _("Enter a past date as dd/mm/yyyy.")
    status = 200
    if error:
        db.session.rollback()
        agent = get_or_404(Agent, agent_id)
        status = 422
    else:
        audit.record("agent.update", obj=agent, object_type="agent", details={"field": field})
        db.session.commit()
    org = db.session.get(AgentOrganisation, agent.organisation_id) if agent.organisation_id else None
    return render_page("org/_agent_row.html", {"a": agent, "org": org, "can_edit": True, "error": error,
                                               "error_field": field}, status=status)
