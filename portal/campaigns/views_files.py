"""Targets to and from XLSX: the export (audited) and the import with its report before anything is written."""

from __future__ import annotations

from flask import Response, url_for
from flask_babel import gettext as _

from ..audit import services as audit
from ..auth.roles import READERS, roles_required
from ..auth.scope import get_or_404
from ..core import imports
from ..database import begin_write
from ..extensions import db
from ..geo.forms import ImportForm
from . import queries, services, xlsx
from .access import Place, grid_args, place, require_edit
from .blueprint import bp
from .labels import LEVEL_LABELS, METRIC_LABELS
from .models import LEVEL_METRICS, Campaign


def _file_stem(campaign: Campaign, where: Place) -> str:
    return (f"chi-tieu-{campaign.id}-{where.level}" + (f"-{where.office.code}" if where.level != "office" else "")
            + (f"-{where.commune[0]}" if where.level == "hamlet" and where.commune else ""))


@bp.get("/<int:campaign_id>/targets.xlsx")
@roles_required(READERS)
def targets_xlsx(campaign_id: int):
    """The grid as an XLSX file (the export is audited)."""
    campaign = get_or_404(Campaign, campaign_id)
    where = place(campaign)
    rows = queries.grid(campaign, where)
    body = xlsx.export(rows, LEVEL_METRICS[where.level])
    begin_write()
    audit.record("campaign.targets_export", obj=campaign, object_type="campaign",
                 details={"level": where.level, "office": where.office_id if where.level != "office" else None,
                          "rows": len(rows)})
    db.session.commit()
    stem = "".join(c if c.isalnum() or c in "-_" else "-" for c in _file_stem(campaign, where))
    return Response(body, mimetype=xlsx.MIME,
                    headers={"Content-Disposition": f'attachment; filename="{stem}.xlsx"',
                             "Cache-Control": "no-store"})


@bp.route("/<int:campaign_id>/targets/import", methods=["GET", "POST"])
@roles_required(READERS)
def targets_import(campaign_id: int):
    """Targets from an XLSX laid out like the export: a report first, then all of it or nothing."""
    campaign = get_or_404(Campaign, campaign_id)
    where = place(campaign)
    require_edit(campaign, where.level)
    form = ImportForm()
    rows = queries.grid(campaign, where)
    page = url_for("campaigns.targets_import", campaign_id=campaign.id, **grid_args(where))
    key = f"targets-{campaign.id}-{where.level}-{where.office_id}" + (
        f"-{where.commune[0]}" if where.level == "hamlet" and where.commune else "")
    step = imports.step(key, form,
                        lambda data, name: xlsx.analyse(data, name, rows, LEVEL_METRICS[where.level]),
                        lambda report: report.ok and report.changes, url=page)
    def write(report, _filename):
        count = services.save_targets(campaign, where.level, [(s, m, new) for s, _n, m, _o, new in report.changes],
                                      source="import", office_id=where.office_id)
        return _("%(n)d targets were saved.", n=count)

    return step.answer(page=page, write=write, done=url_for("campaigns.targets", campaign_id=campaign.id,
                                                             **grid_args(where)),
                       template="campaigns/import.html", context={
                           "campaign": campaign, "form": form, "level": where.level, "office": where.office,
                           "office_id": where.office_id, "metric_labels": METRIC_LABELS,
                           "level_labels": LEVEL_LABELS, "grid_args": grid_args(where), "commune": where.commune})
