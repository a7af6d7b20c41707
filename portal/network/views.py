"""Network pages: collection points and the coverage of the hamlets, collaborators, training records."""

from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from ..auth.roles import OFFICERS, PLANNERS, READERS, roles_required
from ..auth.scope import get_or_404
from ..core import checks
from ..core.pagination import paginate
from ..core.rendering import render_page, see_other
from ..events.models import Event
from ..extensions import db
from ..geo.models import Commune
from ..i18n import normalise
from ..i18n.collation import fold_diacritics
from . import queries, services
from .blueprint import bp
from .forms import CollaboratorForm, PointForm, RuleForm, TrainingForm
from .labels import ROLE_LABELS
from .models import COLLABORATOR_ROLES, Collaborator, CollectionPoint


@bp.get("/points")
@roles_required(READERS)
def points():
    """Collection points of the user's area, by commune."""
    q = request.args.get("q", "")
    commune_id = request.args.get("commune", type=int)
    page = paginate(queries.points(commune_id=commune_id, q=fold_diacritics(q)), scalars=False)
    return render_page("network/points.html", {"page": page, "q": q, "commune_id": commune_id,
                                               "communes": queries.visible_communes(),
                                               "can_edit": current_user.role in OFFICERS}, fragment="results")


def _point_choices(form: PointForm, commune: Commune | None) -> dict:
    links = queries.point_choices(commune)
    form.hamlet_id.choices = [SelectChoice(0, "—")] + [SelectChoice(h.id, h.name) for h in links["hamlets"]]
    form.organisation_id.choices = [SelectChoice(0, "—")] + [SelectChoice(o.id, o.name)
                                                              for o in links["organisations"]]
    form.agents.choices = [SelectChoice(a.id, f"{a.full_name} ({a.code})") for a in links["agents"]]
    return links


def _save_point(point: CollectionPoint | None):
    form = PointForm()
    communes = queries.visible_communes()
    form.commune_id.choices = [SelectChoice(c.id, c.name) for c in communes]
    if request.method == "GET" and point is not None:
        form.process(data={"name": point.name, "commune_id": point.commune_id, "hamlet_id": point.hamlet_id or 0,
                           "organisation_id": point.organisation_id or 0, "address": point.address,
                           "days": point.days, "hours": point.hours, "active": point.active,
                           "agents": queries.point_agent_ids(point.id)})
    elif request.method == "GET" and request.args.get("commune", type=int):
        form.commune_id.data = request.args.get("commune", type=int)
    commune = next((c for c in communes if c.id == form.commune_id.data), communes[0] if communes else None)
    if commune is not None:
        form.commune_id.data = commune.id
    links = _point_choices(form, commune)
    action = url_for("network.point_edit", point_id=point.id) if point else url_for("network.point_new")
    context = {"form": form, "point": point, "action": action}
    if checks.checking() == "point-links":
        return render_page("network/point_form.html", context, fragment={"point-links": "point_links"})
    status = 200
    if form.validate_on_submit():
        if commune is None:
            abort(404)
        hamlet_id = form.hamlet_id.data or None
        if hamlet_id and hamlet_id not in {h.id for h in links["hamlets"]}:
            form.hamlet_id.errors.append(_("Choose a hamlet of this commune."))
        organisation_id = form.organisation_id.data or None
        if organisation_id and organisation_id not in {o.id for o in links["organisations"]}:
            form.organisation_id.errors.append(_("Choose an organisation of the office that serves this commune."))
        if any(f.errors for f in form):
            status = 422
        else:
            allowed = {a.id for a in links["agents"]}
            point = services.save_point(
                point, name=normalise.text(form.name.data), commune_id=commune.id, hamlet_id=hamlet_id,
                organisation_id=organisation_id, address=normalise.text(form.address.data) or None,
                days=form.days.data or [], hours=normalise.text(form.hours.data) or None,
                active=form.active.data, agent_ids=[a for a in form.agents.data or [] if a in allowed])
            db.session.commit()
            return see_other("network.points", _("Saved."), commune=point.commune_id)
    elif form.is_submitted():
        status = 422
    return render_page("network/point_form.html", context, status=status)


@bp.route("/points/new", methods=["GET", "POST"])
@roles_required(OFFICERS)
def point_new():
    """Add a collection point."""
    return _save_point(None)


@bp.route("/points/<int:point_id>/edit", methods=["GET", "POST"])
@roles_required(OFFICERS)
def point_edit(point_id: int):
    """Change a collection point, its opening days and its agents, or close it."""
    return _save_point(get_or_404(CollectionPoint, point_id))


@bp.get("/coverage")
@roles_required(READERS)
def coverage():
    """Collection points and active agents per hamlet against the province's rule, gaps highlighted."""
    office_id = request.args.get("office", type=int)
    campaign_id = request.args.get("campaign", type=int)
    campaigns = queries.campaigns()
    if campaign_id and campaign_id not in {c.id for c in campaigns}:
        abort(404)
    table = queries.coverage(office_id=office_id, campaign_id=campaign_id)
    provinces = queries.provinces()
    rule_form = RuleForm()
    rule_form.province_id.choices = [SelectChoice(p.id, p.full_name) for p in provinces]
    rules = {p.id: queries.rule_for(p.id) for p in provinces}
    if provinces:
        rule_form.points.data, rule_form.agents.data = rules[provinces[0].id]
    hamlets = sum(len(c.hamlets) for c in table)
    gaps = sum(c.gaps for c in table)
    return render_page("network/coverage.html", {
        "table": table, "offices": queries.offices(), "campaigns": campaigns, "office_id": office_id,
        "campaign_id": campaign_id, "rules": rules, "provinces": provinces, "rule_form": rule_form,
        "hamlets": hamlets, "gaps": gaps, "can_set_rule": current_user.role in PLANNERS}, fragment="results")


@bp.post("/coverage/rule")
@roles_required(PLANNERS)
def coverage_rule():
    """Set a province's rule: collection points and active agents each hamlet should have."""
    form = RuleForm()
    provinces = {p.id for p in queries.provinces()}
    form.province_id.choices = [SelectChoice(p, p) for p in provinces]
    if not form.validate_on_submit():
        flash(" ".join(e for f in form for e in f.errors) or _("Enter whole numbers between 0 and 20."), "warning")
    elif form.province_id.data not in provinces:
        abort(404)
    else:
        services.set_rule(form.province_id.data, points=form.points.data, agents=form.agents.data,
                          user=current_user)
        db.session.commit()
        flash(_("Saved."), "success")
    return see_other("network.coverage")


@bp.get("/collaborators")
@roles_required(READERS)
def collaborators():
    """Collaborators of the user's area (hamlet heads, association leaders, commune officials…)."""
    q = request.args.get("q", "")
    role = request.args.get("role") if request.args.get("role") in COLLABORATOR_ROLES else None
    commune_id = request.args.get("commune", type=int)
    page = paginate(queries.collaborators(q=fold_diacritics(q), commune_id=commune_id, role=role), scalars=False)
    return render_page("network/collaborators.html", {
        "page": page, "q": q, "role": role or "", "commune_id": commune_id, "communes": queries.visible_communes(),
        "can_edit": current_user.role in OFFICERS}, fragment="results")


@bp.get("/collaborators/<int:collaborator_id>")
@roles_required(READERS)
def collaborator(collaborator_id: int):
    """A collaborator and the trainings they attended."""
    row = get_or_404(Collaborator, collaborator_id)
    return render_page("network/collaborator.html", {
        "c": row, "commune": db.session.get(Commune, row.commune_id),
        "trainings": queries.trainings_of(collaborator_id=row.id), "can_edit": current_user.role in OFFICERS})


def _save_collaborator(row: Collaborator | None):
    form = CollaboratorForm()
    communes = queries.visible_communes()
    form.commune_id.choices = [SelectChoice(c.id, c.name) for c in communes]
    if request.method == "GET" and row is not None:
        form.process(data={"full_name": row.full_name, "role": row.role, "position": row.position,
                           "commune_id": row.commune_id, "hamlet_id": row.hamlet_id or 0, "phone": row.phone,
                           "active": row.active})
    commune = next((c for c in communes if c.id == form.commune_id.data), communes[0] if communes else None)
    hamlets = queries.hamlets_of(commune.id if commune else None)
    form.hamlet_id.choices = [SelectChoice(0, "—")] + [SelectChoice(h.id, h.name) for h in hamlets]
    action = url_for("network.collaborator_edit", collaborator_id=row.id) if row else url_for(
        "network.collaborator_new")
    context = {"form": form, "c": row, "action": action}
    if checks.checking() == "collaborator-hamlets":
        return render_page("network/collaborator_form.html", context,
                           fragment={"collaborator-hamlets": "collaborator_hamlets"})
    status = 200
    if form.validate_on_submit():
        if commune is None:
            abort(404)
        name = phone = None
        try:
            name = normalise.person_name(form.full_name.data)
        except normalise.Invalid as exc:
            form.full_name.errors.append(str(exc))
        try:
            phone = normalise.phone(form.phone.data)
        except normalise.Invalid as exc:
            form.phone.errors.append(str(exc))
        hamlet_id = form.hamlet_id.data or None
        if hamlet_id and hamlet_id not in {h.id for h in hamlets}:
            form.hamlet_id.errors.append(_("Choose a hamlet of this commune."))
        if any(f.errors for f in form):
            status = 422
        else:
            row = services.save_collaborator(
                row, full_name=name, role=form.role.data, position=normalise.text(form.position.data) or None,
                commune_id=commune.id, hamlet_id=hamlet_id, phone=phone, active=form.active.data)
            db.session.commit()
            return see_other("network.collaborator", _("Saved."), collaborator_id=row.id)
    elif form.is_submitted():
        status = 422
    return render_page("network/collaborator_form.html", context, status=status)


@bp.route("/collaborators/new", methods=["GET", "POST"])
@roles_required(OFFICERS)
def collaborator_new():
    """Add a collaborator."""
    return _save_collaborator(None)


@bp.route("/collaborators/<int:collaborator_id>/edit", methods=["GET", "POST"])
@roles_required(OFFICERS)
def collaborator_edit(collaborator_id: int):
    """Change a collaborator."""
    return _save_collaborator(get_or_404(Collaborator, collaborator_id))


@bp.route("/trainings/<int:event_id>", methods=["GET", "POST"])
@roles_required(OFFICERS)
def training(event_id: int):
    """Who attended a training event: their training dates follow."""
    event = get_or_404(Event, event_id)
    if event.kind != "training":
        abort(404)
    people = queries.training_people(event)
    form = TrainingForm()
    form.agents.choices = [SelectChoice(a.id, f"{a.full_name} ({a.code})") for a in people["agents"]]
    form.collaborators.choices = [SelectChoice(c.id, f"{c.full_name} · {ROLE_LABELS[c.role]}")
                                  for c in people["collaborators"]]
    if request.method == "GET":
        form.agents.data = sorted(people["agent_ids"])
        form.collaborators.data = sorted(people["collaborator_ids"])
    status = 200
    if form.validate_on_submit():
        try:
            added, removed = services.record_training(
                event, agent_ids=set(form.agents.data or []), collaborator_ids=set(form.collaborators.data or []),
                user=current_user)
        except services.NetworkError as exc:
            db.session.rollback()
            form.agents.errors.append(_("The training has not taken place yet: record who attended after it.")
                                      if exc.code == "not_yet" else _("This is not a training."))
            status = 422
        else:
            db.session.commit()
            return see_other("network.training", _("Attendance saved: %(added)d added, %(removed)d taken off; their training dates follow.",
                                                 added=added, removed=removed),
                             event_id=event.id)
    elif form.is_submitted():
        status = 422
    return render_page("network/training.html", {"form": form, "event": event,
                                                 "day": services.training_day(event)}, status=status)
