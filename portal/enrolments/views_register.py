"""The receipt register (sổ biên lai): rows typed or pasted, or an XLSX in the template's layout; a report row by
row before anything is written; then every row recorded at once, or none."""

from __future__ import annotations

from flask import Response, request
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from ..auth.roles import OFFICERS, roles_required
from ..core import imports
from ..core.rendering import render_page, see_other
from ..core.xlsx import workbook
from ..extensions import db
from ..results import services as signup_services
from ..results.signup_form import refusal_message
from . import queries, register
from .blueprint import bp
from .forms import RegisterForm

UPLOAD_KIND = "receipt-register"


def _form() -> RegisterForm:
    form = RegisterForm()
    form.agent_id.choices = [SelectChoice(0, "—")] + [SelectChoice(a.id, a.full_name) for a in queries.agents()]
    return form


def _write(report: register.Report, form: RegisterForm):
    """Record a clean report; a refusal of any row writes nothing and says which row."""
    try:
        written = register.write(report, user=current_user, channel=form.channel.data,
                                 agent_id=form.agent_id.data or None,
                                 collection_point=form.collection_point.data)
    except signup_services.ResultsError as exc:
        db.session.rollback()
        report.problems.append(register.Problem(exc.params.get("row", 0), None, None, refusal_message(exc)))
        return None
    db.session.commit()
    return see_other("enrolments.batches", _("%(n)d receipts recorded (%(amount)s). Confirm them on the page of receipts to confirm.",
                                 n=len(written), amount=f"{report.total:,}".replace(",", ".") + " đồng"),
                     agent=form.agent_id.data or None)


@bp.route("/register", methods=["GET", "POST"])
@roles_required(OFFICERS)
def register_page():
    """Type or upload a receipt register: check it (nothing written), then record it."""
    form = _form()
    report, status = None, 200
    if request.method == "POST" and form.validate_on_submit():
        typed = (form.lines.data or "").strip()
        if request.form.get("confirm") == "typed" and typed:
            report = register.analyse_lines(typed)
            if report.ok:
                answer = _write(report, form)
                if answer is not None:
                    return answer
        elif request.form.get("confirm") == "file":
            kept = imports.take(UPLOAD_KIND)
            if kept is None:
                return see_other("enrolments.register_page", _("The uploaded file has expired; upload it again."),
                                 "warning")
            report = register.analyse_file(*kept)
            if report.ok:
                answer = _write(report, form)
                if answer is not None:
                    return answer
        elif form.file.data and getattr(form.file.data, "filename", ""):
            imports.discard(UPLOAD_KIND)
            data = form.file.data.read()
            report = register.analyse_file(data, form.file.data.filename)
            if report.ok:
                imports.keep(UPLOAD_KIND, data, form.file.data.filename)
        elif typed:
            report = register.analyse_lines(typed)
        else:
            form.lines.errors = [_("Type the rows of the register, or choose an XLSX file.")]
        status = 200 if report is not None and report.ok else 422
    elif request.method == "POST":
        status = 422
    return render_page("enrolments/register.html", {
        "form": form, "report": report, "headers": register.HEADERS,
        }, status=status)


@bp.get("/register/template.xlsx")
@roles_required(OFFICERS)
def register_template():
    """An XLSX with the register's headers and one example row."""
    body = workbook("Sổ biên lai", register.HEADERS, [register.EXAMPLE],
                    text_columns=range(len(register.HEADERS)))
    return Response(body, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": "attachment; filename=so-bien-lai.xlsx"})
