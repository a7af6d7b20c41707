"""Campaigns, the May campaign wizard, and the targets grid with its spreadsheet export."""

from __future__ import annotations

from datetime import date

from flask import Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from ..audit import services as audit
from ..auth.roles import ADMIN, LOCAL_OFFICER, PROVINCE_OFFICER, VIEWER, roles_required
from ..auth.scope import current_scope, get_or_404, scoped
from ..core import nav
from ..core.rendering import render_page
from ..core.xlsx import workbook
from ..database import begin_write
from ..extensions import db
from ..geo.models import Province
from ..i18n.formatting import local_today
from ..org.models import Office
from . import bp, queries, services
from .forms import BASIS_LABELS, KIND_LABELS, METRIC_LABELS, STATUS_LABELS, CampaignForm, WizardForm
from .models import METRICS, Campaign

PLANNERS = (ADMIN, PROVINCE_OFFICER)
READERS = (ADMIN, PROVINCE_OFFICER, LOCAL_OFFICER, VIEWER)
nav.register("campaigns.index", _l("Campaigns"), set(READERS), order=25)


@bp.get("/")
@roles_required(*READERS)
def index():
    """Campaigns of the user's province, newest first."""
    rows = db.session.scalars(scoped(Campaign).order_by(Campaign.starts_on.desc())).all()
    return render_page("campaigns/index.html", {"campaigns": rows, "kind_labels": KIND_LABELS,
                                                "status_labels": STATUS_LABELS,
                                                "can_plan": current_user.role in PLANNERS})


def _provinces():
    return db.session.scalars(scoped(Province).order_by(Province.name)).all()


@bp.route("/may-wizard", methods=["GET", "POST"])
@roles_required(*PLANNERS)
def may_wizard():
    """Create the May campaign month of a year, with targets for every commune, in one step."""
    form = WizardForm()
    form.province_id.choices = [SelectChoice(p.id, p.full_name) for p in _provinces()]
    if request.method == "GET":
        today = local_today()
        form.year.data = today.year + 1 if today.month > 5 else today.year
        scope = current_scope()
        if scope.province_id:
            form.province_id.data = scope.province_id
    status = 200
    if form.validate_on_submit():
        if not any(c.value == form.province_id.data for c in form.province_id.choices):
            abort(404)
        exists = db.session.scalar(select(Campaign.id).where(
            Campaign.province_id == form.province_id.data, Campaign.kind == "may_month",
            Campaign.starts_on == date(form.year.data, 5, 1)))
        if exists:
            form.year.errors.append(_("This province already has a May campaign for that year."))
            status = 422
        else:
            numbers = {m: getattr(form, f"m_{m}").data or 0 for m in METRICS}
            campaign = services.may_campaign(province_id=form.province_id.data, year=form.year.data,
                                             basis=form.basis.data, totals=numbers, per_commune=numbers,
                                             user=current_user)
            db.session.commit()
            flash(_("The May campaign was created with targets for every commune; adjust them below."), "success")
            return redirect(url_for("campaigns.targets", campaign_id=campaign.id, level="office"), code=303)
    elif form.is_submitted():
        status = 422
    return render_page("campaigns/wizard.html", {"form": form, "metrics": METRICS, "basis_labels": BASIS_LABELS},
                       status=status)


def _save(row: Campaign | None):
    form = CampaignForm(obj=row)
    offices = db.session.scalars(scoped(Office).where(Office.kind == "province").order_by(Office.sort_key)).all()
    form.office_id.choices = [SelectChoice(o.id, o.name) for o in offices]
    status = 200
    if form.validate_on_submit():
        office = next((o for o in offices if o.id == form.office_id.data), None)
        if office is None:
            abort(404)
        if form.ends_on.data < form.starts_on.data:
            form.ends_on.errors.append(_("The campaign must end after it starts."))
            status = 422
        else:
            creating = row is None
            row = row or Campaign(status="draft", created_by_id=current_user.id)
            old = (row.starts_on, row.ends_on)
            row.name = form.name.data.strip()
            row.kind = form.kind.data
            row.starts_on, row.ends_on = form.starts_on.data, form.ends_on.data
            row.office_id, row.province_id = office.id, office.province_id
            row.notes = (form.notes.data or "").strip() or None
            db.session.add(row)
            db.session.flush()
            audit.record("campaign.create" if creating else "campaign.update", obj=row, object_type="campaign")
            if not creating and old != (row.starts_on, row.ends_on):
                audit.record("campaign.reschedule", obj=row, object_type="campaign",
                             details={"from": [str(d) for d in old], "to": [str(row.starts_on), str(row.ends_on)]})
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("campaigns.detail", campaign_id=row.id), code=303)
    elif form.is_submitted():
        status = 422
    return render_page("campaigns/form.html", {"form": form, "campaign": row}, status=status)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*PLANNERS)
def new():
    """Create a campaign (a wave of field days, or another push)."""
    return _save(None)


@bp.route("/<int:campaign_id>/edit", methods=["GET", "POST"])
@roles_required(*PLANNERS)
def edit(campaign_id: int):
    """Change a campaign."""
    return _save(get_or_404(Campaign, campaign_id))


@bp.get("/<int:campaign_id>")
@roles_required(*READERS)
def detail(campaign_id: int):
    """A campaign with its targets summed per metric and office."""
    campaign = get_or_404(Campaign, campaign_id)
    offices = queries.grid(campaign, "office", None, _visible_offices(campaign))
    return render_page("campaigns/detail.html", {
        "campaign": campaign, "offices": offices, "totals": queries.totals(offices), "metrics": METRICS,
        "metric_labels": METRIC_LABELS, "kind_labels": KIND_LABELS, "status_labels": STATUS_LABELS,
        "can_plan": current_user.role in PLANNERS})


@bp.post("/<int:campaign_id>/status")
@roles_required(*PLANNERS)
def status(campaign_id: int):
    """Activate or close a campaign."""
    from flask_wtf.csrf import validate_csrf

    validate_csrf(request.form.get("csrf_token"))
    campaign = get_or_404(Campaign, campaign_id)
    new_status = request.form.get("status")
    allowed = {"draft": ("active",), "active": ("closed",), "closed": ()}
    if new_status in allowed[campaign.status]:
        audit.record("campaign.status", obj=campaign, object_type="campaign",
                     details={"from": campaign.status, "to": new_status})
        campaign.status = new_status
        db.session.commit()
        flash(_("Saved."), "success")
    return redirect(url_for("campaigns.detail", campaign_id=campaign.id), code=303)


def _visible_offices(campaign: Campaign) -> list[int]:
    return list(db.session.scalars(scoped(Office, select(Office.id)).where(
        Office.province_id == campaign.province_id, Office.kind == "local")))


def _grid_args(campaign: Campaign):
    level = request.values.get("level") if request.values.get("level") in ("office", "commune", "agent") else "office"
    offices = _visible_offices(campaign)
    office_id = request.values.get("office", type=int) or (offices[0] if offices else None)
    if level != "office" and office_id not in offices:
        abort(404)
    return level, office_id, offices


def _may_edit(level: str) -> bool:
    if current_user.role in PLANNERS:
        return True
    return current_user.role == LOCAL_OFFICER and level in ("commune", "agent")


def _grid_context(campaign, level, office_id, offices, **extra) -> dict:
    rows = queries.grid(campaign, level, office_id, offices)
    context = {"campaign": campaign, "level": level, "office_id": office_id, "rows": rows,
               "totals": queries.totals(rows), "metrics": METRICS, "metric_labels": METRIC_LABELS,
               "offices": db.session.scalars(select(Office).where(Office.id.in_(offices)).order_by(
                   Office.sort_key)).all(),
               "mismatch": queries.mismatches(campaign, office_id, level, rows) if level != "office" else {},
               "can_edit": _may_edit(level), "errors": {}}
    context.update(extra)
    return context


@bp.get("/<int:campaign_id>/targets")
@roles_required(*READERS)
def targets(campaign_id: int):
    """The targets grid at office, commune or agent level, with totals and mismatch warnings."""
    campaign = get_or_404(Campaign, campaign_id)
    level, office_id, offices = _grid_args(campaign)
    return render_page("campaigns/targets.html", _grid_context(campaign, level, office_id, offices))


def _subject_allowed(campaign, level, subject_id, office_id, offices) -> bool:
    rows = queries.grid(campaign, level, office_id, offices)
    return any(r.subject_id == subject_id for r in rows)


@bp.post("/<int:campaign_id>/targets/cell")
@roles_required(*READERS)
def target_cell(campaign_id: int):
    """Save one cell of the grid (htmx); answers the grid with fresh totals, or 422 with the error."""
    from flask_wtf.csrf import validate_csrf

    validate_csrf(request.form.get("csrf_token") or request.headers.get("X-CSRFToken"))
    campaign = get_or_404(Campaign, campaign_id)
    level, office_id, offices = _grid_args(campaign)
    if not _may_edit(level):
        abort(403)
    subject_id = request.form.get("subject", type=int)
    metric = request.form.get("metric")
    raw = (request.form.get("value") or request.form.get(f"v-{subject_id}-{metric}") or "").strip().replace(".", "")
    if metric not in METRICS or not _subject_allowed(campaign, level, subject_id, office_id, offices):
        abort(404)
    if not raw.isdigit() or int(raw) > 10**7:
        context = _grid_context(campaign, level, office_id, offices,
                                errors={(subject_id, metric): _("Enter a whole number, 0 or more.")})
        return render_page("campaigns/targets.html", context, status=422, block="grid")
    services.set_target(campaign, level, subject_id, metric, int(raw))
    audit.record("campaign.target", obj=campaign, object_type="campaign",
                 details={"level": level, "subject": subject_id, "metric": metric, "value": int(raw)})
    db.session.commit()
    return render_page("campaigns/targets.html", _grid_context(campaign, level, office_id, offices), block="grid")


@bp.post("/<int:campaign_id>/targets")
@roles_required(*READERS)
def save_targets(campaign_id: int):
    """Save the whole grid at once (the form without JavaScript)."""
    campaign = get_or_404(Campaign, campaign_id)
    level, office_id, offices = _grid_args(campaign)
    if not _may_edit(level):
        abort(403)
    from flask_wtf.csrf import validate_csrf

    validate_csrf(request.form.get("csrf_token"))
    rows = queries.grid(campaign, level, office_id, offices)
    errors = {}
    changes = []
    for row in rows:
        for metric in METRICS:
            raw = (request.form.get(f"v-{row.subject_id}-{metric}") or "").strip().replace(".", "")
            if raw == "":
                continue
            if not raw.isdigit() or int(raw) > 10**7:
                errors[(row.subject_id, metric)] = _("Enter a whole number, 0 or more.")
            elif int(raw) != row.values[metric]:
                changes.append((row.subject_id, metric, int(raw)))
    if errors:
        return render_page("campaigns/targets.html", _grid_context(campaign, level, office_id, offices,
                                                                   errors=errors), status=422)
    for subject_id, metric, value in changes:
        services.set_target(campaign, level, subject_id, metric, value)
    audit.record("campaign.targets", obj=campaign, object_type="campaign", details={"level": level,
                                                                                   "changes": len(changes)})
    db.session.commit()
    flash(_("%(n)d targets were saved.", n=len(changes)), "success")
    return redirect(url_for("campaigns.targets", campaign_id=campaign.id, level=level, office=office_id), code=303)


@bp.get("/<int:campaign_id>/targets.xlsx")
@roles_required(*READERS)
def targets_xlsx(campaign_id: int):
    """The grid as XLSX (audited)."""
    campaign = get_or_404(Campaign, campaign_id)
    level, office_id, offices = _grid_args(campaign)
    rows = queries.grid(campaign, level, office_id, offices)
    headers = ["Mã", "Tên", "Tham gia BHXH TN mới", "Tham gia BHYT HGĐ mới", "Tái tục", "Số hội nghị", "Số người dự"]
    data = [[r.code, r.name, *[r.values[m] for m in METRICS]] for r in rows]
    begin_write()
    audit.record("campaign.targets_export", obj=campaign, object_type="campaign", details={"level": level,
                                                                                           "rows": len(rows)})
    db.session.commit()
    body = workbook("Chỉ tiêu", headers, data, widths=[12, 36, 14, 14, 10, 10, 10], money_columns=[2, 3, 4, 5, 6],
                    text_columns=[0])
    return Response(body, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="chi-tieu-{campaign.id}-{level}.xlsx"'})


@bp.route("/<int:campaign_id>/targets/import", methods=["GET", "POST"])
@roles_required(*READERS)
def targets_import(campaign_id: int):
    """Targets from an XLSX laid out like the export: a report first, then all of it or nothing."""
    from ..core import uploads
    from ..core.tabular import Formula, TableError, cell_text, read_table
    from ..geo.forms import ImportForm

    campaign = get_or_404(Campaign, campaign_id)
    level, office_id, offices = _grid_args(campaign)
    if not _may_edit(level):
        abort(403)
    rows = {r.code.upper(): r for r in queries.grid(campaign, level, office_id, offices)}
    aliases = {"code": ["Mã"], "name": ["Tên"], **{m: [str(METRIC_LABELS[m]), header] for m, header in zip(
        METRICS, ["Tham gia BHXH TN mới", "Tham gia BHYT HGĐ mới", "Tái tục", "Số hội nghị", "Số người dự"],
        strict=True)}}
    form = ImportForm()
    report = None
    status = 200
    kind = f"targets-{campaign.id}-{level}-{office_id}"

    def analyse(data: bytes, filename: str) -> dict:
        result = {"changes": [], "rejected": [], "error": None, "filename": filename}
        try:
            table = read_table(data, filename, aliases, required=["code"])
        except TableError as exc:
            result["error"] = str(exc)
            return result
        for number, values in table.rows:
            code = cell_text(values[table.columns["code"]] if table.columns["code"] < len(values) else None).upper()
            subject = rows.get(code)
            if subject is None:
                result["rejected"].append((number, table.column_letter(table.columns["code"]),
                                           _("Unknown code “%(code)s” at this level.", code=code)))
                continue
            for metric in METRICS:
                index = table.columns.get(metric)
                if index is None or index >= len(values) or values[index] in (None, ""):
                    continue
                value = values[index]
                letter = table.column_letter(index)
                if isinstance(value, Formula):
                    result["rejected"].append((number, letter, _("Formulas are not accepted.")))
                elif isinstance(value, float) and value.is_integer():
                    value = int(value)
                if isinstance(value, str) and value.replace(".", "").strip().isdigit():
                    value = int(value.replace(".", "").strip())
                if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                    if not isinstance(value, Formula):
                        result["rejected"].append((number, letter, _("Enter a whole number, 0 or more.")))
                    continue
                if value != subject.values[metric]:
                    result["changes"].append((subject.subject_id, subject.name, metric, value))
        return result

    if request.method == "POST" and request.form.get("confirm"):
        kept = uploads.take(kind, remove=True)
        if kept is None:
            flash(_("The uploaded file has expired; upload it again."), "warning")
            return redirect(url_for("campaigns.targets_import", campaign_id=campaign.id, level=level,
                                    office=office_id), code=303)
        report = analyse(*kept)
        if not report["error"] and not report["rejected"]:
            for subject_id, _name, metric, value in report["changes"]:
                services.set_target(campaign, level, subject_id, metric, value)
            audit.record("campaign.targets_import", obj=campaign, object_type="campaign",
                         details={"level": level, "changes": len(report["changes"])})
            db.session.commit()
            flash(_("%(n)d targets were saved.", n=len(report["changes"])), "success")
            return redirect(url_for("campaigns.targets", campaign_id=campaign.id, level=level, office=office_id),
                            code=303)
        status = 422
    elif form.validate_on_submit():
        data = form.file.data.read()
        report = analyse(data, form.file.data.filename or "file")
        if not report["error"] and not report["rejected"] and report["changes"]:
            uploads.keep(kind, data, report["filename"])
        status = 422 if report["error"] or report["rejected"] else 200
    elif form.is_submitted():
        status = 422
    return render_page("campaigns/import.html", {"campaign": campaign, "form": form, "report": report,
                                                 "level": level, "office_id": office_id,
                                                 "metric_labels": METRIC_LABELS}, status=status)
