"""The household import pages: upload, report (with the columns and hamlets to choose), confirm; the template."""

from __future__ import annotations

from flask import Response, flash, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..auth.roles import OFFICERS, roles_required
from ..auth.scope import scoped
from ..core import imports
from ..core.params import chosen
from ..core.rendering import client_redirect, render_page
from ..core.xlsx import workbook
from ..extensions import db
from ..geo.forms import ImportForm
from ..geo.models import Commune
from . import import_jobs, import_writer, importer
from .blueprint import bp

TEMPLATE_HEADERS = ["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Mã số BHXH", "Số điện thoại", "Thôn/Tổ",
                    "Địa chỉ", "Quan hệ với chủ hộ", "Diện hộ", "Dân tộc", "Nghề nghiệp", "Nhóm đối tượng",
                    "Tình trạng BHXH TN", "Đóng đến ngày", "Hạn thẻ BHYT"]


def _analyse(commune):
    """The importer with the choices the form carries (column mapping, creating missing hamlets)."""
    mapping = importer.mapping_from(request.form)
    create = request.form.get("create_hamlets") == "1"
    return lambda data, name: importer.analyse(commune, data, name, mapping=mapping, create_hamlets=create)


@bp.route("/import", methods=["GET", "POST"])
@roles_required(OFFICERS)
def import_file():
    """Upload a list of people for a commune: see the report (a big file is checked by a job while the page
    waits); map columns; confirm to write all of it."""
    communes = db.session.scalars(scoped(Commune).where(Commune.office_id.is_not(None))
                                  .order_by(Commune.sort_key)).all()
    commune = chosen(communes, "commune")
    form = ImportForm()
    page = url_for("households.import_file", commune=commune.id)
    step = imports.step(f"households-{commune.id}", form, _analyse(commune), lambda report: report.readable,
                        url=page, job=imports.Job(import_jobs.NAME, import_jobs.params(commune, request.form)))
    if step.expired:
        return client_redirect(page)
    if step.written:
        flash(step.written, "success")
        return client_redirect(url_for("households.search", commune=commune.id))
    if step.confirmed:
        try:
            written = import_writer.save(commune, step.report, step.filename)
        except IntegrityError:
            db.session.rollback()
            flash(_("Someone changed the registry of this commune while you checked the file; nothing was "
                    "written. Upload it again to see the current report."), "error")
            return redirect(page, code=303)
        db.session.commit()
        flash(_("%(n)d people were saved.", n=written), "success")
        return redirect(url_for("households.search", commune=commune.id), code=303)
    report = step.report
    db.session.commit()  # the check writes nothing but the audit entries of numbers held elsewhere
    return render_page("households/import.html", {
        "form": form, "report": report, "filename": step.filename, "step": step, "communes": communes,
        "commune": commune, "fields": importer.FIELDS, "required": importer.REQUIRED,
        "labels_of": lambda names: ", ".join(str(importer.FIELDS[n][0]) for n in names),
        "mapping": {i: name for name, i in report.columns.items()} if report and report.readable else {}},
        fragment="import_status", status=step.status)


@bp.get("/import/template.xlsx")
@roles_required(OFFICERS)
def import_template():
    """An XLSX with the expected headers and one example row."""
    example = ["Nguyễn Văn Ví Dụ", "05/03/1980", "Nam", "", "", "", "Thôn Khe Cam", "Nhà 12", "Chủ hộ", "",
               "Kinh", "Làm nông", "Hộ kinh doanh", "Chưa tham gia", "", ""]
    body = workbook("Danh sách", TEMPLATE_HEADERS, [example], text_columns=range(len(TEMPLATE_HEADERS)),
                    widths=[26, 12, 9, 15, 13, 13, 18, 18, 16, 12, 10, 16, 18, 16, 13, 13])
    return Response(body, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": 'attachment; filename="mau-ho-gia-dinh.xlsx"'})
