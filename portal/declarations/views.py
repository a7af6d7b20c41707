"""The declaration lists page: choose sign-ups, see what blocks the export, download XLSX or PDF."""

from __future__ import annotations

from flask import Response, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from ..auth.roles import AGENT, OFFICERS_AND_AGENTS, roles_required
from ..auth.scope import current_scope, scoped
from ..core.rendering import render_page
from ..core.xlsx import workbook
from ..extensions import db
from ..geo.models import Commune
from ..i18n.formatting import local_today, parse_date
from ..org.models import Agent, Office
from . import services
from .blueprint import bp
from .models import DeclarationBatch

FORMS = {"d05": _l("D05-TS: voluntary social insurance"), "d03": _l("D03-TS: household health insurance")}


def _filters(args) -> services.Filters:
    def day(name):
        try:
            return parse_date(args.get(name, "")) if args.get(name) else None
        except ValueError:
            return None

    scope = current_scope()
    return services.Filters(
        form=args.get("form") if args.get("form") in FORMS else "d05", event_id=args.get("event", type=int),
        agent_id=scope.agent_id or args.get("agent", type=int), commune_id=args.get("commune", type=int),
        start=day("from"), end=day("to"), include_exported=args.get("all") == "1")


def _context(f: services.Filters, result: services.Listing) -> dict:
    communes = db.session.scalars(scoped(Commune).where(Commune.office_id.is_not(None)).order_by(Commune.sort_key))
    agents = db.session.scalars(scoped(Agent).order_by(Agent.sort_key))
    batches = db.session.scalars(select(DeclarationBatch).where(DeclarationBatch.created_by_id == current_user.id)
                                 .order_by(DeclarationBatch.created_at.desc()).limit(10)).all()
    return {"filters": f, "result": result, "forms": FORMS, "communes": list(communes), "agents": list(agents),
            "batches": batches, "headers": services.D05_HEADERS if f.form == "d05" else services.D03_HEADERS,
            "is_agent": current_user.role == AGENT}


@bp.get("/")
@roles_required(OFFICERS_AND_AGENTS)
def index():
    """Confirmed sign-ups ready for a D05-TS or D03-TS list, with anything that blocks the export."""
    f = _filters(request.args)
    result = services.listing(f)
    response = render_page("declarations/index.html", _context(f, result))
    if result.rows or result.missing:
        from ..households.services import record_list_view

        record_list_view("view.declarations_preview", filters=f.as_json(), rows=len(result.rows),
                         blocked=len(result.missing))
    return response


def _issuer() -> tuple[str, str, str]:
    from ..geo.models import Province

    scope = current_scope()
    office = db.session.get(Office, scope.office_id) if scope.office_id else None
    parent = db.session.get(Office, office.parent_id) if office and office.parent_id else None
    province = db.session.get(Province, office.province_id) if office else None
    return (parent.name if parent else ""), (office.name if office else "Bảo hiểm xã hội"), (
        province.name if province else "")


@bp.post("/export")
@roles_required(OFFICERS_AND_AGENTS)
def export():
    """Download the list (XLSX or PDF); the sign-ups it carries are marked with a new batch."""
    from flask_wtf.csrf import validate_csrf

    validate_csrf(request.form.get("csrf_token"))
    f = _filters(request.form)
    result = services.listing(f)
    file_format = "pdf" if request.form.get("format") == "pdf" else "xlsx"
    if result.missing or not result.rows:
        return render_page("declarations/index.html", _context(f, result), status=422)
    batch = services.record_batch(f, result, current_user, file_format)
    db.session.commit()
    name = f"{f.form}-ts-lo-{batch.id}"
    if file_format == "xlsx":
        headers = services.D05_HEADERS if f.form == "d05" else services.D03_HEADERS
        money = [5, 8, 9, 11, 13] if f.form == "d05" else [8, 10]
        body = workbook(f"{f.form.upper()}-TS", headers, result.rows, money_columns=money, text_columns=[2, 3, 16, 17]
                        if f.form == "d05" else [3, 4, 13, 14])
        return Response(body, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'})
    from ..printing import renderer

    superior, issuer, place = _issuer()
    if f.form == "d05":
        columns = [("STT", 10, "center"), ("Họ và tên", 42, None), ("Mã số BHXH / CCCD", 30, None),
                   ("Mức thu nhập tháng làm căn cứ đóng", 26, "num"), ("Từ tháng", 16, "center"),
                   ("Số tháng", 13, "center"),
                   ("Tổng tiền", 24, "num"), ("NSNN hỗ trợ", 22, "num"), ("Người đóng", 24, "num"),
                   ("Phương án", 18, None), ("Địa chỉ", 38, None)]
        rows = [[r[0], r[1], r[2] or r[3], f"{r[5]:,}".replace(",", "."), r[6], r[7], f"{r[8]:,}".replace(",", "."),
                 f"{r[11] + r[13]:,}".replace(",", "."), f"{r[9]:,}".replace(",", "."), r[15], r[18]]
                for r in result.rows]
        title = "Danh sách người tham gia BHXH tự nguyện (Mẫu D05-TS)"
    else:
        columns = [("STT", 10, "center"), ("Chủ hộ", 36, None), ("Họ và tên", 40, None),
                   ("Mã số BHXH / CCCD", 30, None), ("Người thứ", 14, "center"), ("Số tháng", 13, "center"),
                   ("Số tiền", 26, "num"), ("Thẻ từ ngày", 22, "center"), ("Phương án", 18, None),
                   ("Địa chỉ", 50, None)]
        rows = [[r[0], r[1], r[2], r[3] or r[4], r[6], r[9], f"{r[10]:,}".replace(",", "."),
                 r[11].strftime("%d/%m/%Y"), r[12], r[15]] for r in result.rows]
        title = "Danh sách người tham gia BHYT hộ gia đình (Mẫu D03-TS)"
    context = {
        "title": title, "subtitle": f"Đợt kê khai số {batch.id}", "issuer_superior": superior, "issuer_name": issuer,
        "place": place, "date": local_today(),
        "facts": [["Tổng số người", str(len(rows))], ["Tổng số tiền người tham gia đóng",
                                                       f"{result.total_net:,} đồng".replace(",", ".")]],
        "columns": [{"label": c[0], "width": c[1], "align": c[2]} for c in columns],
        "rows": [[str(v) for v in row] for row in rows], "blank_rows": 0,
        "signatures": ["Đại lý thu", "Cơ quan BHXH tiếp nhận"],
        "note": "Người tham gia tra cứu quá trình đóng của mình trên ứng dụng VssID của BHXH Việt Nam.",
        "landscape": True,
    }
    pdf = renderer().render_pdf("sheet.html", context)
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'})


