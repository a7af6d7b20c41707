"""Offices, agent organisations and agents."""

from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from ..auth.roles import EVERYONE, OFFICERS, PLANNERS, READERS, roles_required
from ..auth.scope import current_scope, get_or_404
from ..core import imports
from ..core.pagination import paginate
from ..core.params import chosen
from ..core.rendering import partial_request, render_page, see_other
from ..extensions import db
from ..geo.forms import ImportForm
from ..i18n import normalise
from . import importer, queries, services
from .blueprint import bp
from .forms import AgentForm, OfficeForm, OrganisationForm
from .models import Agent, AgentOrganisation, Office


@bp.get("/offices")
@roles_required(READERS)
def offices():
    """BHXH offices in the user's area with how many communes and agents each has."""
    return render_page("org/offices.html", {"rows": queries.offices_with_counts(),
                                            "can_edit": current_user.role in PLANNERS})


@bp.get("/offices/<int:office_id>")
@roles_required(READERS)
def office(office_id: int):
    """An office: the communes it serves, its agents and organisations."""
    row = get_or_404(Office, office_id)
    return render_page("org/office.html", {"office": row, **queries.office_page(row),
                                           "can_edit": current_user.role in PLANNERS})


def _save_office(row: Office | None):
    scope = current_scope()
    form = OfficeForm()
    if request.method == "GET" and row is not None:
        form.process(data={"code": row.code, "name": row.name, "kind": row.kind, "province_id": row.province_id,
                           "address": row.address, "phone": row.phone})
    provinces = queries.provinces_in_scope()
    form.province_id.choices = [SelectChoice(p.id, p.full_name) for p in provinces]
    province_id = form.province_id.data or (row.province_id if row else scope.province_id) or (
        provinces[0].id if provinces else None)
    communes = queries.communes_of_province(province_id)
    form.communes.choices = [SelectChoice(c.id, c.name) for c in communes]
    if request.method == "GET" and row is not None:
        form.communes.data = [c.id for c in communes if c.office_id == row.id]
    status = 200
    if form.validate_on_submit():
        if not any(p.id == form.province_id.data for p in provinces):
            abort(404)
        if queries.office_code_taken(form.code.data.strip(), row):
            form.code.errors.append(_("This code is taken."))
            status = 422
        else:
            row, moved = services.save_office(
                row, code=form.code.data.strip(), name=normalise.text(form.name.data), kind=form.kind.data,
                province_id=form.province_id.data, address=normalise.text(form.address.data) or None,
                phone=normalise.text(form.phone.data) or None, communes=form.communes.data or [])
            db.session.commit()
            flash(_("Saved."), "success")
            if moved:
                flash(_("Moved from another office: %(names)s", names=", ".join(moved)), "warning")
            return see_other("org.office", office_id=row.id)
    elif form.is_submitted():
        status = 422
    return render_page("org/office_form.html", {"form": form, "office": row}, status=status)


@bp.route("/offices/new", methods=["GET", "POST"])
@roles_required(PLANNERS)
def office_new():
    """Create an office."""
    return _save_office(None)


@bp.route("/offices/<int:office_id>/edit", methods=["GET", "POST"])
@roles_required(PLANNERS)
def office_edit(office_id: int):
    """Change an office and the communes it serves."""
    return _save_office(get_or_404(Office, office_id))


@bp.get("/organisations")
@roles_required(READERS)
def organisations():
    """Organisations agents work for (post offices, committees, associations)."""
    return render_page("org/organisations.html", {"rows": queries.organisations_with_office(),
                                                  "can_edit": current_user.role in OFFICERS})


def _save_org(row: AgentOrganisation | None):
    form = OrganisationForm(obj=row)
    form.office_id.choices = [SelectChoice(o.id, o.name) for o in queries.offices_in_scope()]
    status = 200
    if form.validate_on_submit():
        services.save_organisation(row, name=normalise.text(form.name.data), kind=form.kind.data,
                                   office_id=form.office_id.data, phone=normalise.text(form.phone.data) or None,
                                   address=normalise.text(form.address.data) or None)
        db.session.commit()
        return see_other("org.organisations", _("Saved."))
    elif form.is_submitted():
        status = 422
    return render_page("org/organisation_form.html", {"form": form, "organisation": row}, status=status)


@bp.route("/organisations/new", methods=["GET", "POST"])
@roles_required(OFFICERS)
def organisation_new():
    """Add an organisation."""
    return _save_org(None)


@bp.route("/organisations/<int:org_id>/edit", methods=["GET", "POST"])
@roles_required(OFFICERS)
def organisation_edit(org_id: int):
    """Change an organisation."""
    return _save_org(get_or_404(AgentOrganisation, org_id))


@bp.get("/agents")
@roles_required(READERS)
def agents():
    """Agents in the user's area, searchable by name or code, sorted by given name."""
    q = (request.args.get("q") or "").strip()
    page = paginate(queries.agents(q=q, office_id=request.args.get("office", type=int),
                                   active={"1": True, "0": False}.get(request.args.get("active")),
                                   untrained=request.args.get("trained") == "0"), scalars=False)
    return render_page("org/agents.html", {"page": page, "q": q, "offices": queries.local_offices_in_scope(),
                                           "args": request.args.to_dict(),
                                           "can_edit": current_user.role in OFFICERS}, fragment="results")


@bp.get("/agents/<int:agent_id>")
@roles_required(EVERYONE)
def agent(agent_id: int):
    """An agent: where they work, their training, their account."""
    row = get_or_404(Agent, agent_id)
    return render_page("org/agent.html", {"agent": row, **queries.agent_page(row),
                                          "can_edit": current_user.role in OFFICERS})


def _cleaned(field, parse):
    """A field's value through a normaliser; when it cannot be accepted, None with the reason under that field."""
    try:
        return parse(field.data)
    except normalise.Invalid as exc:
        field.errors.append(str(exc))
        return None


def _save_agent(row: Agent | None):
    form = AgentForm()
    if request.method == "GET" and row is not None:
        form.process(data={"code": row.code, "full_name": row.full_name, "phone": row.phone,
                           "office_id": row.office_id, "trained_on": row.trained_on, "active": row.active})
    offices = queries.local_offices_in_scope()
    form.office_id.choices = [SelectChoice(o.id, o.name) for o in offices]
    office_id = form.office_id.data or (row.office_id if row else (offices[0].id if offices else None))
    form.organisation_id.choices = [SelectChoice(0, "—")] + [SelectChoice(o.id, o.name)
                                                              for o in queries.organisations_of(office_id)]
    form.communes.choices = [SelectChoice(c.id, c.name) for c in queries.communes_served(office_id)]
    hamlets = queries.hamlets_served(office_id)
    form.hamlets.choices = [SelectChoice(h, f"{name} ({commune})") for h, name, commune in hamlets]
    if request.method == "GET" and row is not None:
        form.communes.data, form.hamlets.data = queries.coverage(row.id)
        form.organisation_id.data = row.organisation_id or 0
    status = 200
    if form.validate_on_submit():
        if not any(o.id == form.office_id.data for o in offices):
            abort(404)
        phone = _cleaned(form.phone, normalise.phone)
        name = _cleaned(form.full_name, normalise.person_name)
        code = form.code.data.strip().upper()
        if queries.agent_code_taken(code, row):
            form.code.errors.append(_("This agent code is taken."))
        if any(f.errors for f in form):
            status = 422
        else:
            row = services.save_agent(
                row, code=code, full_name=name, phone=phone, office_id=form.office_id.data,
                organisation_id=form.organisation_id.data or None, trained_on=form.trained_on.data,
                active=form.active.data, communes=form.communes.data or [],
                hamlets=set(form.hamlets.data or []) & {h for h, _n, _c in hamlets})
            db.session.commit()
            return see_other("org.agent", _("Saved."), agent_id=row.id)
    elif form.is_submitted():
        status = 422
    return render_page("org/agent_form.html", {"form": form, "agent": row}, status=status)


@bp.route("/agents/new", methods=["GET", "POST"])
@roles_required(OFFICERS)
def agent_new():
    """Add an agent."""
    return _save_agent(None)


@bp.route("/agents/<int:agent_id>/edit", methods=["GET", "POST"])
@roles_required(OFFICERS)
def agent_edit(agent_id: int):
    """Change an agent, their training date and the communes and hamlets they cover."""
    return _save_agent(get_or_404(Agent, agent_id))


@bp.route("/agents/import", methods=["GET", "POST"])
@roles_required(OFFICERS)
def agents_import():
    """Upload the agents of an office: see the report first; confirm to write all of it."""
    offices = queries.local_offices_in_scope()
    office = chosen(offices, "office")
    form = ImportForm()
    page = url_for("org.agents_import", office=office.id)
    step = imports.step(f"agents-{office.id}", form, lambda data, name: importer.analyse(office, data, name),
                        lambda report: report.ok and (report.new or report.updated), url=page)
    return step.answer(page=page, write=lambda report, filename: _("%(n)d agents were saved.", n=services.import_agents(
        office, report, filename=filename)), done=url_for("org.agents", office=office.id),
        template="org/agents_import.html", context={"form": form, "offices": offices, "office": office})


def _inline_value(field: str, raw: str):
    """The value typed into one cell of the agents list (400 for a field that cannot be changed there).

    Raises ``normalise.Invalid`` or ``ValueError`` when it cannot be accepted.
    """
    from datetime import date

    from ..i18n.formatting import parse_date

    if field == "phone":
        return normalise.phone(raw)
    if field == "trained_on":
        trained_on = parse_date(raw) if raw else None
        if trained_on and trained_on > date.today():  # noqa: DTZ011 - a calendar date
            raise ValueError(raw)
        return trained_on
    if field == "active":
        return raw in ("1", "true", "on")
    abort(400)


@bp.post("/agents/<int:agent_id>/inline")
@roles_required(OFFICERS)
def agent_inline(agent_id: int):
    """Change one field of an agent from the list (phone, training date, active); answers the row."""
    agent = get_or_404(Agent, agent_id)
    field = request.form.get("field")
    error = None
    try:
        value = _inline_value(field, (request.form.get("value") or "").strip())
    except normalise.Invalid as exc:
        error = str(exc)
    except ValueError:
        error = _("Enter a past date as dd/mm/yyyy.")
    if error is None:
        services.set_agent_field(agent, field, value)
        db.session.commit()
    if not partial_request():  # the row's form sent without JavaScript: back to the list, with the outcome
        return see_other("org.agents", error or _("Saved."), "error" if error else "success")
    return render_page("org/agents.html", {"a": agent, "org": queries.organisation(agent.organisation_id),
                                           "can_edit": True, "error": error, "error_field": field},
                       fragment="agent_row", status=422 if error else 200)
