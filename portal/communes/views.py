"""Communes and their hamlets: list, detail, hamlets by hand or from a file."""

from __future__ import annotations

from flask import Response, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.roles import EVERYONE, OFFICERS, PLANNERS, READERS, roles_required
from ..auth.scope import get_or_404
from ..core import imports
from ..core.pagination import paginate
from ..core.rendering import render_page, see_other
from ..core.xlsx import workbook
from ..extensions import db
from ..geo import facts, former, importer
from ..geo.forms import FactForm, HamletForm, ImportForm, LegacyDistrictForm
from ..geo.models import Commune, Hamlet
from ..i18n import normalise
from ..i18n.collation import fold_diacritics
from ..i18n.formatting import local_today
from . import queries, services
from .blueprint import bp


@bp.get("/communes")
@roles_required(EVERYONE)
def communes():
    """Communes in the user's area, searchable without diacritics, with their hamlet counts."""
    q = fold_diacritics(request.args.get("q", ""))
    office_id = request.args.get("office", type=int)
    kind = request.args.get("type") if request.args.get("type") in ("xã", "phường", "đặc khu") else None
    page = paginate(queries.communes(q=q, office_id=office_id, kind=kind), scalars=False)
    return render_page("geo/communes.html", {"page": page, "q": request.args.get("q", ""),
                                             "offices": queries.local_offices(), "office_id": office_id,
                                             "type": kind or ""}, fragment="results")


@bp.get("/communes/<int:commune_id>")
@roles_required(EVERYONE)
def commune(commune_id: int):
    """A commune: its facts, hamlets and the agents who cover it."""
    row = get_or_404(Commune, commune_id)
    return _commune_page(row, FactForm(formdata=None))


def _commune_page(row: Commune, fact_form: FactForm, status: int = 200):
    today = local_today()
    context = {"commune": row, **queries.commune_page(row), "legacy_form": LegacyDistrictForm(obj=row),
               "can_edit": current_user.role in OFFICERS,
               "can_set_island": current_user.role in PLANNERS, "fact_form": fact_form,
               "facts_now": facts.current([row.id], today)[row.id] | ({"island"} if facts.island_on(row.id, today)
                                                                       else set()),
               "fact_history": facts.history(row.id),
               "former_names": former.former_names([row.id]).get(row.id, []),
               "can_see_points": current_user.role in READERS}
    return render_page("geo/commune.html", context, status=status)


@bp.post("/communes/<int:commune_id>/facts")
@roles_required(PLANNERS)
def commune_fact(commune_id: int):
    """Record a commune fact from a date on (island commune, escaped poverty, new-rural standard)."""
    row = get_or_404(Commune, commune_id)
    form = FactForm()
    if not form.validate_on_submit():
        return _commune_page(row, form, status=422)
    facts.record(row, fact=form.fact.data, value=form.value.data == "1", effective_from=form.effective_from.data,
                 source=normalise.text(form.source.data) or None, user=current_user)
    db.session.commit()
    return see_other("geo.commune", _("Saved."), commune_id=row.id)


@bp.post("/communes/<int:commune_id>/legacy-district")
@roles_required(OFFICERS)
def legacy_district(commune_id: int):
    """Record the district the commune belonged to before July 2025."""
    row = get_or_404(Commune, commune_id)
    form = LegacyDistrictForm()
    if not form.validate_on_submit():
        flash(_("The former district name is at most 100 characters."), "warning")
    else:
        services.set_legacy_district(row, (form.legacy_district.data or "").strip() or None)
        db.session.commit()
        flash(_("Saved."), "success")
    return see_other("geo.commune", commune_id=row.id)


def _save_hamlet(commune: Commune, hamlet: Hamlet | None):
    form = HamletForm(obj=hamlet)
    status = 200
    if form.validate_on_submit():
        name = normalise.text(form.name.data)
        if queries.hamlet_name_taken(commune.id, name, hamlet):
            form.name.errors.append(_("This commune already has a hamlet with this name."))
            status = 422
        else:
            services.save_hamlet(commune, hamlet, name=name, kind=form.kind.data)
            db.session.commit()
            return see_other("geo.commune", _("Saved."), commune_id=commune.id)
    elif form.is_submitted():
        status = 422
    return render_page("geo/hamlet_form.html", {"form": form, "commune": commune, "hamlet": hamlet}, status=status)


@bp.route("/communes/<int:commune_id>/hamlets/new", methods=["GET", "POST"])
@roles_required(OFFICERS)
def hamlet_new(commune_id: int):
    """Add a hamlet (thôn, bản, ấp, tổ dân phố…) to a commune."""
    return _save_hamlet(get_or_404(Commune, commune_id), None)


@bp.route("/hamlets/<int:hamlet_id>/edit", methods=["GET", "POST"])
@roles_required(OFFICERS)
def hamlet_edit(hamlet_id: int):
    """Rename a hamlet or change its kind."""
    hamlet = get_or_404(Hamlet, hamlet_id)
    return _save_hamlet(db.session.get(Commune, hamlet.commune_id), hamlet)


@bp.post("/hamlets/<int:hamlet_id>/delete")
@roles_required(OFFICERS)
def hamlet_delete(hamlet_id: int):
    """Delete a hamlet nothing refers to yet."""
    from flask_wtf.csrf import validate_csrf

    validate_csrf(request.form.get("csrf_token"))
    hamlet = get_or_404(Hamlet, hamlet_id)
    commune_id = hamlet.commune_id
    if queries.hamlet_inhabited(hamlet.id):
        flash(_("Households live in this hamlet: it cannot be deleted."), "warning")
    else:
        services.delete_hamlet(hamlet)
        db.session.commit()
        flash(_("The hamlet was deleted."), "success")
    return see_other("geo.commune", commune_id=commune_id)


@bp.route("/communes/<int:commune_id>/hamlets/import", methods=["GET", "POST"])
@roles_required(OFFICERS)
def hamlet_import(commune_id: int):
    """Upload a list of hamlets: see the report first; confirm to write all of it."""
    commune = get_or_404(Commune, commune_id)
    form = ImportForm()
    page = url_for("geo.hamlet_import", commune_id=commune.id)
    step = imports.step(f"hamlets-{commune.id}", form, lambda data, name: importer.analyse(commune, data, name),
                        lambda report: report.ok and report.new, url=page)
    return step.answer(page=page, write=lambda report, filename: _("%(n)d hamlets were added.", n=services.import_hamlets(
        commune, report, filename=filename)), done=url_for("geo.commune", commune_id=commune.id),
        template="geo/import.html", context={"commune": commune, "form": form})


@bp.get("/hamlets/template.xlsx")
@roles_required(OFFICERS)
def hamlet_template():
    """An XLSX with the expected headers and one example row."""
    data = workbook("Thôn, tổ", ["Tên thôn/tổ dân phố", "Loại"], [["Thôn Khe Cam (ví dụ)", "thôn"]], widths=[36, 16])
    return Response(data, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": 'attachment; filename="mau-thon-to.xlsx"'})


