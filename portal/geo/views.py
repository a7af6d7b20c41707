"""Communes and their hamlets: list, detail, hamlets by hand or from a file."""

from __future__ import annotations

from flask import Response, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from ..audit import services as audit
from ..auth.roles import ADMIN, AGENT, LOCAL_OFFICER, PROVINCE_OFFICER, VIEWER, roles_required
from ..auth.scope import get_or_404, scoped
from ..core import nav, uploads
from ..core.pagination import paginate
from ..core.rendering import render_page
from ..core.xlsx import workbook
from ..extensions import db
from ..i18n.collation import fold_diacritics
from ..org.models import Agent, Office, agent_communes
from . import bp, importer
from .forms import HamletForm, ImportForm, LegacyDistrictForm
from .models import Commune, Hamlet

EDITORS = (ADMIN, PROVINCE_OFFICER, LOCAL_OFFICER)
nav.register("geo.communes", _l("Communes"), {*EDITORS, VIEWER}, order=20)


@bp.get("/communes")
@roles_required(*EDITORS, VIEWER, AGENT)
def communes():
    """Communes in the user's area, searchable without diacritics, with their hamlet counts."""
    q = fold_diacritics(request.args.get("q", ""))
    office_id = request.args.get("office", type=int)
    kind = request.args.get("type") if request.args.get("type") in ("xã", "phường", "đặc khu") else None
    counts = select(Hamlet.commune_id, func.count().label("n")).group_by(Hamlet.commune_id).subquery()
    stmt = scoped(Commune, select(Commune, Office.name, func.coalesce(counts.c.n, 0))).outerjoin(
        Office, Office.id == Commune.office_id).outerjoin(counts, counts.c.commune_id == Commune.id)
    if q:
        stmt = stmt.where(Commune.search_name.like(f"%{q}%"))
    if office_id:
        stmt = stmt.where(Commune.office_id == office_id)
    if kind:
        stmt = stmt.where(Commune.division_type == kind)
    page = paginate(stmt.order_by(Commune.sort_key), scalars=False)
    offices = db.session.scalars(scoped(Office).where(Office.kind == "local").order_by(Office.sort_key)).all()
    return render_page("geo/communes.html", {"page": page, "q": request.args.get("q", ""), "offices": offices,
                                             "office_id": office_id, "type": kind or ""})


@bp.get("/communes/<int:commune_id>")
@roles_required(*EDITORS, VIEWER, AGENT)
def commune(commune_id: int):
    """A commune: its facts, hamlets and the agents who cover it."""
    row = get_or_404(Commune, commune_id)
    hamlets = db.session.scalars(scoped(Hamlet).where(Hamlet.commune_id == row.id).order_by(Hamlet.sort_key)).all()
    agents = db.session.scalars(scoped(Agent).where(Agent.id.in_(select(agent_communes.c.agent_id).where(
        agent_communes.c.commune_id == row.id))).order_by(Agent.sort_key)).all()
    context = {"commune": row, "hamlets": hamlets, "agents": agents,
               "office": db.session.get(Office, row.office_id) if row.office_id else None,
               "legacy_form": LegacyDistrictForm(obj=row), "can_edit": current_user.role in EDITORS}
    return render_page("geo/commune.html", context)


@bp.post("/communes/<int:commune_id>/legacy-district")
@roles_required(*EDITORS)
def legacy_district(commune_id: int):
    """Record the district the commune belonged to before July 2025."""
    row = get_or_404(Commune, commune_id)
    form = LegacyDistrictForm()
    if not form.validate_on_submit():
        flash(_("The former district name is at most 100 characters."), "warning")
    else:
        row.legacy_district = (form.legacy_district.data or "").strip() or None
        audit.record("commune.update", obj=row, object_type="commune", details={"legacy_district": row.legacy_district})
        db.session.commit()
        flash(_("Saved."), "success")
    return redirect(url_for("geo.commune", commune_id=row.id), code=303)


def _save_hamlet(commune: Commune, hamlet: Hamlet | None):
    form = HamletForm(obj=hamlet)
    status = 200
    if form.validate_on_submit():
        from ..households import normalise

        name = normalise.text(form.name.data)
        clash = db.session.scalar(select(Hamlet.id).where(Hamlet.commune_id == commune.id, Hamlet.name == name,
                                                          Hamlet.id != (hamlet.id if hamlet else 0)))
        if clash:
            form.name.errors.append(_("This commune already has a hamlet with this name."))
            status = 422
        else:
            creating = hamlet is None
            hamlet = hamlet or Hamlet(commune_id=commune.id)
            hamlet.set_name(name)
            hamlet.kind = form.kind.data
            db.session.add(hamlet)
            db.session.flush()
            audit.record("hamlet.create" if creating else "hamlet.update", obj=hamlet, object_type="hamlet")
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("geo.commune", commune_id=commune.id), code=303)
    elif form.is_submitted():
        status = 422
    return render_page("geo/hamlet_form.html", {"form": form, "commune": commune, "hamlet": hamlet}, status=status)


@bp.route("/communes/<int:commune_id>/hamlets/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def hamlet_new(commune_id: int):
    """Add a hamlet (thôn, bản, ấp, tổ dân phố…) to a commune."""
    return _save_hamlet(get_or_404(Commune, commune_id), None)


@bp.route("/hamlets/<int:hamlet_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def hamlet_edit(hamlet_id: int):
    """Rename a hamlet or change its kind."""
    hamlet = get_or_404(Hamlet, hamlet_id)
    return _save_hamlet(db.session.get(Commune, hamlet.commune_id), hamlet)


@bp.post("/hamlets/<int:hamlet_id>/delete")
@roles_required(*EDITORS)
def hamlet_delete(hamlet_id: int):
    """Delete a hamlet nothing refers to yet."""
    from flask_wtf.csrf import validate_csrf

    from ..households.models import Household

    validate_csrf(request.form.get("csrf_token"))
    hamlet = get_or_404(Hamlet, hamlet_id)
    commune_id = hamlet.commune_id
    if db.session.scalar(select(Household.id).where(Household.hamlet_id == hamlet.id).limit(1)):
        flash(_("Households live in this hamlet: it cannot be deleted."), "warning")
    else:
        from ..org.models import agent_hamlets

        db.session.execute(agent_hamlets.delete().where(agent_hamlets.c.hamlet_id == hamlet.id))
        audit.record("hamlet.delete", obj=hamlet, object_type="hamlet", details={"name": hamlet.name})
        db.session.delete(hamlet)
        db.session.commit()
        flash(_("The hamlet was deleted."), "success")
    return redirect(url_for("geo.commune", commune_id=commune_id), code=303)


@bp.route("/communes/<int:commune_id>/hamlets/import", methods=["GET", "POST"])
@roles_required(*EDITORS)
def hamlet_import(commune_id: int):
    """Upload a list of hamlets: see the report first; confirm to write all of it."""
    commune = get_or_404(Commune, commune_id)
    form = ImportForm()
    step = uploads.preview_or_confirm(f"hamlets-{commune.id}", form,
                                      lambda data, name: importer.analyse(commune, data, name),
                                      lambda report: report.ok and report.new)
    if step.expired:
        return redirect(url_for("geo.hamlet_import", commune_id=commune.id), code=303)
    if step.confirmed:
        report = step.report
        added = importer.apply(commune, report)
        audit.record("hamlet.import", obj=commune, object_type="commune",
                     details={"file": step.filename, "added": added, "unchanged": report.unchanged})
        db.session.commit()
        flash(_("%(n)d hamlets were added.", n=added), "success")
        return redirect(url_for("geo.commune", commune_id=commune.id), code=303)
    return render_page("geo/import.html", {"commune": commune, "form": form, "report": step.report,
                                           "filename": step.filename}, status=step.status)


@bp.get("/hamlets/template.xlsx")
@roles_required(*EDITORS)
def hamlet_template():
    """An XLSX with the expected headers and one example row."""
    data = workbook("Thôn, tổ", ["Tên thôn/tổ dân phố", "Loại"], [["Thôn Khe Cam (ví dụ)", "thôn"]], widths=[36, 16])
    return Response(data, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": 'attachment; filename="mau-thon-to.xlsx"'})


