"""The targets grid: rows of offices, communes or agents, one column per metric, totals, warnings.

Each cell saves on its own through htmx (the answer updates the row total, the totals and the warnings
out of band, never the inputs the user may be typing in); without JavaScript the grid is one form. Rows
pasted from Excel are previewed before they are applied.
"""

from __future__ import annotations

from flask import abort, flash, request
from flask_babel import gettext as _

from ..auth.roles import READERS, roles_required
from ..auth.scope import get_or_404
from ..core.rendering import partial_request, render_page, see_other
from ..extensions import db
from . import queries, services
from .access import Place, grid_args, may_edit, place, require_edit
from .blueprint import bp
from .counts import BadCount, parse_count
from .forms import PasteForm
from .labels import LEVEL_LABELS, METRIC_LABELS, METRIC_SHORT, SUBJECT_LABELS
from .models import LEVEL_METRICS, TARGET_LEVELS, Campaign
from .paste import parse as parse_paste


def grid_context(campaign: Campaign, where: Place, *, errors=None, raw=None, paste_form=None, **extra) -> dict:
    """Everything the grid page and each of its blocks use."""
    rows = queries.grid(campaign, where)
    mismatches = queries.mismatches(campaign, where)
    office_values = queries.parent_targets(campaign, where)
    totals = queries.totals(rows)
    metrics = LEVEL_METRICS[where.level]
    context = {
        "campaign": campaign, "level": where.level, "office": where.office, "office_id": where.office_id,
        "offices": where.offices, "rows": rows, "totals": totals, "office_values": office_values,
        "mismatches": mismatches, "warn_offices": {m.office_id for m in mismatches},
        "metrics": metrics, "metric_labels": METRIC_LABELS, "metric_short": METRIC_SHORT,
        "subject_label": SUBJECT_LABELS[where.level], "grid_args": grid_args(where), "commune": where.commune,
        "communes": queries.communes_of(where.office_id) if where.level == "hamlet" else [],
        "levels": TARGET_LEVELS, "level_labels": LEVEL_LABELS, "can_edit": may_edit(campaign, where.level),
        "errors": errors or {}, "raw": raw or {}, "oob": False,
        "paste_form": paste_form or PasteForm(formdata=None),
        "cell_key": None, "cell_error": None, "cell_row": None, "signed": queries.signed,
        "column_names": ", ".join(str(METRIC_SHORT[m]) for m in metrics),
    }
    context.update(extra)
    return context


def _editable(campaign_id: int) -> tuple[Campaign, Place]:
    """The campaign (404 outside the province) and the grid asked for, which the user must be able to edit (403)."""
    campaign = get_or_404(Campaign, campaign_id)
    where = place(campaign)
    require_edit(campaign, where.level)
    return campaign, where


def _back(campaign: Campaign, where: Place):
    return see_other("campaigns.targets", campaign_id=campaign.id, **grid_args(where))


@bp.get("/<int:campaign_id>/targets")
@roles_required(READERS)
def targets(campaign_id: int):
    """The targets grid at office, commune or agent level."""
    campaign = get_or_404(Campaign, campaign_id)
    return render_page("campaigns/targets.html", grid_context(campaign, place(campaign)))


@bp.post("/<int:campaign_id>/targets/cell")
@roles_required(READERS)  # lookup first (404 outside the province), then the edit check (403)
def target_cell(campaign_id: int):
    """Save one cell (htmx): the row total, totals and warnings come back out of band; 422 with the reason."""
    campaign, where = _editable(campaign_id)
    subject_id = request.form.get("subject", type=int)
    metric = request.form.get("metric")
    rows = queries.grid(campaign, where)
    row = next((r for r in rows if r.subject_id == subject_id), None)
    if metric not in LEVEL_METRICS[where.level] or row is None:
        abort(404)
    key = f"{subject_id}-{metric}"
    raw = request.form.get("value", request.form.get(f"v-{key}"))
    if raw is None:
        abort(400)
    try:
        value = parse_count(raw)
    except BadCount as exc:
        context = grid_context(campaign, where, errors={key: str(exc)}, raw={key: raw}, cell_key=key,
                               cell_error=str(exc), cell_row=row)
        return render_page("campaigns/targets.html", context, status=422, fragment="cell_result")
    if value != row.values[metric]:
        services.save_targets(campaign, where.level, [(subject_id, metric, value)], source="cell",
                              office_id=where.office_id)
        db.session.commit()
    if not partial_request():
        return _back(campaign, where)
    context = grid_context(campaign, where, cell_key=key, oob=True)
    context["cell_row"] = next(r for r in context["rows"] if r.subject_id == subject_id)
    return render_page("campaigns/targets.html", context, fragment="cell_result")


@bp.post("/<int:campaign_id>/targets")
@roles_required(READERS)  # lookup first (404 outside the province), then the edit check (403)
def save_targets(campaign_id: int):
    """Save the whole grid at once (the form used without JavaScript)."""
    campaign, where = _editable(campaign_id)
    rows = queries.grid(campaign, where)
    errors, raw, changes = {}, {}, []
    for row in rows:
        for metric in LEVEL_METRICS[where.level]:
            key = f"{row.subject_id}-{metric}"
            text = request.form.get(f"v-{key}")
            if text is None:
                continue
            raw[key] = text
            try:
                value = parse_count(text)
            except BadCount as exc:
                errors[key] = str(exc)
                continue
            if value != row.values[metric]:
                changes.append((row.subject_id, metric, value))
    if errors:
        flash(_("Nothing was saved: %(n)d cells need a whole number, 0 or more.", n=len(errors)), "error")
        return render_page("campaigns/targets.html", grid_context(campaign, where, errors=errors, raw=raw),
                           status=422)
    services.save_targets(campaign, where.level, changes, source="grid", office_id=where.office_id)
    db.session.commit()
    flash(_("%(n)d targets were saved.", n=len(changes)), "success")
    return _back(campaign, where)


@bp.post("/<int:campaign_id>/targets/paste")
@roles_required(READERS)  # lookup first (404 outside the province), then the edit check (403)
def paste_targets(campaign_id: int):
    """Rows pasted from Excel: a preview with every problem by line and column, then applied all at once."""
    campaign, where = _editable(campaign_id)
    form = PasteForm()
    if not form.validate_on_submit():
        return render_page("campaigns/targets.html", grid_context(campaign, where, paste_form=form), status=422)
    rows = queries.grid(campaign, where)
    preview = parse_paste(form.text.data, rows, METRIC_LABELS, LEVEL_METRICS[where.level])
    if form.apply.data and not preview.errors:
        count = services.save_targets(campaign, where.level, preview.changes, source="paste",
                                      office_id=where.office_id)
        db.session.commit()
        flash(_("%(n)d targets were saved.", n=count), "success")
        return _back(campaign, where)
    return render_page("campaigns/paste.html", {
        "campaign": campaign, "level": where.level, "office": where.office, "office_id": where.office_id,
        "form": form, "preview": preview, "metrics": LEVEL_METRICS[where.level], "metric_labels": METRIC_LABELS,
        "metric_short": METRIC_SHORT, "level_labels": LEVEL_LABELS, "grid_args": grid_args(where),
        "subject_label": SUBJECT_LABELS[where.level], "commune": where.commune}, status=422 if preview.errors else 200)
