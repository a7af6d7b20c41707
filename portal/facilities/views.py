"""The facilities register: the list everyone with an office reads, and what admins and province officers
change (add, edit, close, import)."""

from __future__ import annotations

from flask import Response, abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import validate_csrf
from wtforms import SelectChoice

from ..auth.roles import PLANNERS, READERS, roles_required
from ..auth.scope import get_or_404
from ..core import checks, imports
from ..core.pagination import paginate
from ..core.rendering import render_page, see_other
from ..core.xlsx import workbook
from ..extensions import db
from ..geo.forms import ImportForm
from ..i18n import normalise
from ..i18n.collation import fold_diacritics
from . import importer, queries, services
from .blueprint import bp
from .forms import FacilityForm
from .labels import LEVEL_LABELS
from .models import HEALTH_STATION, LEVELS, Facility

#: The areas of the facility form that the server re-renders (the communes follow the province).
FORM_AREAS = {"field-commune_id": "facility_commune"}


@bp.get("/")
@roles_required(READERS)
def index():
    """Facilities of the user's provinces, searchable by name without diacritics or by code."""
    q = request.args.get("q", "")
    level = request.args.get("level") if request.args.get("level") in LEVELS else None
    inactive = request.args.get("inactive") == "1"
    provinces = queries.provinces_in_scope()
    province_id = request.args.get("province", type=int)
    page = paginate(queries.facilities(q=fold_diacritics(q).strip(), province_id=province_id, level=level,
                                       include_inactive=inactive), scalars=False)
    return render_page("facilities/index.html", {
        "page": page, "q": q, "level": level or "", "inactive": inactive, "provinces": provinces,
        "province_id": province_id, "can_edit": current_user.role in PLANNERS,
    }, fragment="results")


def _save(row: Facility | None):
    form = FacilityForm()
    if request.method == "GET" and row is not None:
        form.process(data={"province_id": row.province_id, "code": row.code, "name": row.name, "level": row.level,
                           "commune_id": row.commune_id or 0})
    provinces = queries.provinces_in_scope()
    form.province_id.choices = [SelectChoice(p.id, f"{p.code} · {p.full_name}") for p in provinces]
    province_id = form.province_id.data or (row.province_id if row else (provinces[0].id if provinces else None))
    if province_id not in {p.id for p in provinces}:
        abort(404)
    form.commune_id.choices = [SelectChoice(0, "—")] + [
        SelectChoice(c.id, c.name) for c in queries.communes_of_province(province_id)]
    status = 200
    checking = checks.checking()
    if request.method == "POST":
        valid = form.validate()
        code = (form.code.data or "").strip().upper()
        if form.level.data == HEALTH_STATION and not form.commune_id.data:
            form.commune_id.errors.append(_("Choose the commune of the health station."))
            valid = False
        if valid and queries.code_taken(province_id, code, row):
            form.code.errors.append(_("This province already has a facility with this code."))
            valid = False
        if checking:
            if checking != "commune-choices":
                abort(400)
            form.commune_id.errors = []
        elif valid:
            row = services.save_facility(row, province_id=province_id, code=code,
                                         name=normalise.text(form.name.data), level=form.level.data,
                                         commune_id=form.commune_id.data or None)
            db.session.commit()
            return see_other("facilities.index", _("Saved."), q=row.code, province=row.province_id)
        else:
            status = 422
    action = url_for("facilities.edit", facility_id=row.id) if row else url_for("facilities.new")
    return render_page("facilities/form.html", {"form": form, "facility": row, "action": action},
                       fragment=FORM_AREAS, status=status)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(PLANNERS)
def new():
    """Add a facility to the register."""
    return _save(None)


@bp.route("/<int:facility_id>/edit", methods=["GET", "POST"])
@roles_required(PLANNERS)
def edit(facility_id: int):
    """Change a facility's code, name, level or commune."""
    return _save(get_or_404(Facility, facility_id))


def _set_active(facility_id: int, active: bool):
    validate_csrf(request.form.get("csrf_token"))
    facility = get_or_404(Facility, facility_id)
    services.set_active(facility, active)
    db.session.commit()
    if active:
        flash(_("%(name)s can be chosen again.", name=facility.name), "success")
    else:
        flash(_("%(name)s is closed: it is no longer offered on sign-ups.", name=facility.name), "success")
    return see_other("facilities.index")


@bp.post("/<int:facility_id>/deactivate")
@roles_required(PLANNERS)
def deactivate(facility_id: int):
    """Close a facility: no longer offered on sign-ups; the sign-ups that name it keep it."""
    return _set_active(facility_id, False)


@bp.post("/<int:facility_id>/activate")
@roles_required(PLANNERS)
def activate(facility_id: int):
    """Offer a closed facility again."""
    return _set_active(facility_id, True)


@bp.route("/import", methods=["GET", "POST"])
@roles_required(PLANNERS)
def import_file():
    """Upload the facilities list: see the report row by row first; confirm to write all of it."""
    form = ImportForm()
    province_ids = {p.id for p in queries.provinces_in_scope()}
    page = url_for("facilities.import_file")
    step = imports.step("facilities", form, lambda data, name: importer.analyse(data, name, province_ids=province_ids),
                        lambda report: report.ok and (report.new or report.updated), url=page)
    return step.answer(page=page, write=lambda report, filename: _("%(n)d facilities were saved.",
                                                                   n=services.import_facilities(report,
                                                                                                filename=filename)),
                       done=url_for("facilities.index"), template="facilities/import.html",
                       context={"form": form, "level_labels": LEVEL_LABELS})


@bp.get("/template.xlsx")
@roles_required(PLANNERS)
def template():
    """An XLSX with the expected headers and one example row."""
    data = workbook("Cơ sở KCB", ["Mã tỉnh", "Mã cơ sở KCB", "Tên cơ sở KCB", "Tuyến", "Mã xã", "Đang hoạt động"],
                    [["15", "15123", "Trạm Y tế xã Khao Mang (ví dụ)", "Xã", "04000", "Có"]],
                    widths=[10, 14, 44, 12, 10, 16])
    return Response(data, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": 'attachment; filename="mau-co-so-kcb.xlsx"'})
