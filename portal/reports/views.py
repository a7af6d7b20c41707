"""The campaign dashboard (office → commune → agent), daily progress, rankings, and the commune report."""

from __future__ import annotations

from datetime import date

from flask import Response, request
from sqlalchemy import select

from ..audit import services as audit
from ..auth.roles import ADMIN, LOCAL_OFFICER, PROVINCE_OFFICER, VIEWER, roles_required
from ..auth.scope import get_or_404, scoped
from ..campaigns.forms import METRIC_LABELS
from ..campaigns.models import METRICS, Campaign
from ..core.rendering import render_page
from ..core.xlsx import workbook
from ..database import begin_write
from ..extensions import db
from ..i18n.formatting import local_today
from ..org.models import Office
from . import bp, queries

READERS = (ADMIN, PROVINCE_OFFICER, LOCAL_OFFICER, VIEWER)


def _offices(campaign) -> list[int]:
    return list(db.session.scalars(scoped(Office, select(Office.id)).where(
        Office.province_id == campaign.province_id, Office.kind == "local")))


def _chart(points: list[tuple[date, int]], goal: int) -> dict:
    """An SVG line of the cumulative figure against a straight-line plan, as plain coordinates."""
    width, height = 600, 200
    top = max([goal, *[v for _d, v in points], 1])
    n = max(len(points) - 1, 1)
    today = local_today()
    actual = [(i * width / n, height - v * height / top) for i, (d, v) in enumerate(points) if d <= today]
    plan = [(0, height), (width, height - goal * height / top)]
    return {"width": width, "height": height, "top": top,
            "actual": " ".join(f"{x:.1f},{y:.1f}" for x, y in actual),
            "plan": " ".join(f"{x:.1f},{y:.1f}" for x, y in plan),
            "last": points[-1][1] if points else 0, "goal": goal}


@bp.get("/campaigns/<int:campaign_id>")
@roles_required(*READERS)
def campaign(campaign_id: int):
    """Achieved against target and % of plan, by office with drill-down to communes and agents."""
    row = get_or_404(Campaign, campaign_id)
    offices = _offices(row)
    level = request.args.get("level") if request.args.get("level") in ("commune", "agent") else "office"
    office_id = request.args.get("office", type=int)
    if level != "office" and office_id not in offices:
        level, office_id = "office", None
    if level == "office" and len(offices) == 1:
        level, office_id = "commune", offices[0]
    rows = queries.lines(row, level, office_id, offices)
    total = queries.total(rows)
    ranking = sorted([r for r in rows if r.target.get("new_bhxh_tn")],
                     key=lambda r: -(r.percent("new_bhxh_tn") or 0))
    context = {"campaign": row, "level": level, "office": db.session.get(Office, office_id) if office_id else None,
               "rows": rows, "total": total, "metrics": METRICS, "metric_labels": METRIC_LABELS,
               "ranking": ranking[:10],
               "chart": _chart(queries.daily(row, [office_id] if office_id else offices),
                               queries.total(queries.lines(row, "office", None, offices)).target.get(
                                   "new_bhxh_tn", 0) if not office_id else total.target.get("new_bhxh_tn", 0))}
    return render_page("reports/campaign.html", context)


def _commune_report(row):
    offices = _offices(row)
    lines = []
    for office_id in offices:
        lines.extend(queries.lines(row, "commune", office_id, offices))
    return lines


@bp.get("/campaigns/<int:campaign_id>/communes.xlsx")
@roles_required(*READERS)
def communes_xlsx(campaign_id: int):
    """The results of the campaign by commune, as XLSX (audited)."""
    row = get_or_404(Campaign, campaign_id)
    lines = _commune_report(row)
    headers = ["STT", "Xã, phường"]
    for metric in METRICS:
        label = str(METRIC_LABELS[metric])
        headers += [f"{label}: chỉ tiêu", f"{label}: thực hiện", f"{label}: % kế hoạch"]
    data = []
    for n, line in enumerate(lines, start=1):
        cells = [n, line.name]
        for metric in METRICS:
            pct = line.percent(metric)
            cells += [line.target.get(metric, 0), line.achieved.get(metric, 0), round(pct, 1) if pct is not None else None]
        data.append(cells)
    begin_write()
    audit.record("export.campaign_report", obj=row, object_type="campaign", details={"rows": len(data)})
    db.session.commit()
    body = workbook("Kết quả theo xã", headers, data, widths=[6, 28] + [12] * (3 * len(METRICS)))
    return Response(body, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="ket-qua-{row.id}.xlsx"'})


@bp.get("/campaigns/<int:campaign_id>/communes.pdf")
@roles_required(*READERS)
def communes_pdf(campaign_id: int):
    """The results of the campaign by commune, printed."""
    from ..i18n.formatting import format_number
    from ..printing import renderer

    row = get_or_404(Campaign, campaign_id)
    lines = _commune_report(row)
    office = db.session.get(Office, row.office_id)

    def pct(line, metric):
        value = line.percent(metric)
        return f"{format_number(value, 1)}%" if value is not None else "—"

    columns = [{"label": "STT", "width": 10, "align": "center"}, {"label": "Xã, phường", "width": 44}]
    short = {"new_bhxh_tn": "BHXH TN mới", "new_bhyt_hgd": "BHYT HGĐ mới", "renewals": "Tái tục",
             "conferences": "Hội nghị", "attendees": "Người dự"}
    for metric in METRICS:
        columns.append({"label": f"{short[metric]} (TH/KH)", "width": 30, "align": "center"})
        columns.append({"label": "%", "width": 14, "align": "center"})
    rows = [[str(n), line.name] + [v for m in METRICS for v in (
        f"{line.achieved.get(m, 0)}/{line.target.get(m, 0)}", pct(line, m))] for n, line in enumerate(lines, 1)]
    begin_write()
    audit.record("print.campaign_report", obj=row, object_type="campaign", details={"rows": len(rows)})
    db.session.commit()
    context = {"title": f"Kết quả {row.name} theo xã, phường", "subtitle": f"Từ {row.starts_on:%d/%m/%Y} đến "
               f"{row.ends_on:%d/%m/%Y}", "issuer_superior": "", "issuer_name": office.name,
               "place": "", "date": local_today(), "facts": [], "columns": columns, "rows": rows,
               "blank_rows": 0, "signatures": ["Người lập biểu", "Thủ trưởng đơn vị"], "note": None,
               "landscape": True}
    from ..geo.models import Province

    context["place"] = db.session.get(Province, row.province_id).name
    pdf = renderer().render_pdf("sheet.html", context)
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="ket-qua-{row.id}.pdf"'})
