"""Coverage figures of a year: each commune's labour force and population (typed in the grid or imported from
XLSX, with a template to download) and the province's coverage target."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.roles import READERS, roles_required
from ..core import imports
from ..core.rendering import render_page
from ..extensions import db
from ..geo.forms import ImportForm
from ..geo.models import Province
from . import coverage
from .access import can_plan, may_enter_figures, province_id, year, year_place
from .blueprint import bp
from .counts import BadCount
from .labels import FIGURE_LABELS
from .xlsx import MIME


def _where():
    province = province_id()
    if province is None:
        abort(404)
    return province, year_place(province)


def _args(province: int, the_year: int, where) -> dict:
    args = {"year": the_year, "office": where.office_id}
    if current_user.role == "admin":
        args["province"] = province
    return {k: v for k, v in args.items() if v is not None}


def _context(province: int, the_year: int, where, **extra) -> dict:
    goal = coverage.goal_of(province, the_year)
    context = {
        "year": the_year, "years": list(range(the_year - 2, the_year + 2)), "place": where,
        "province": db.session.get(Province, province), "rows": coverage.grid(where.covered_office_ids, the_year),
        "args": _args(province, the_year, where), "can_enter": may_enter_figures(), "can_plan": can_plan(),
        "goal": {"bhxh_tn_share": coverage.share_text(goal.bhxh_tn_share if goal else None),
                 "bhyt_share": coverage.share_text(goal.bhyt_share if goal else None)},
        "errors": {}, "raw": {}, "goal_errors": {}, "figures": coverage.FIGURES,
    }
    context.update(extra)
    return context


@bp.route("/coverage", methods=["GET", "POST"])
@roles_required(READERS)
def coverage_figures():
    """The year's labour force and population per commune, and the province's coverage target."""
    province, where = _where()
    the_year = year()
    if request.method == "GET":
        return render_page("campaigns/coverage.html", _context(province, the_year, where))
    if request.form.get("goal"):
        return _save_goal(province, the_year, where)
    if not may_enter_figures():
        abort(403)
    rows = coverage.grid(where.covered_office_ids, the_year)
    errors, raw, changes = {}, {}, []
    for row in rows:
        for figure in coverage.FIGURES:
            key = f"{figure}-{row.commune_id}"
            if key not in request.form:
                continue
            raw[key] = request.form[key]
            try:
                value = coverage.parse_figure(request.form[key])
            except BadCount as exc:
                errors[key] = str(exc)
                continue
            if value != row.value(figure):
                changes.append((row.commune_id, figure, value))
    if errors:
        flash(_("Nothing was saved: %(n)d figures need correcting.", n=len(errors)), "error")
        return render_page("campaigns/coverage.html", _context(province, the_year, where, errors=errors, raw=raw),
                           status=422)
    count = coverage.save_figures(the_year, changes, user_id=current_user.id, source="form")
    db.session.commit()
    flash(_("%(n)d figures were saved.", n=count) if count else _("Nothing changed."), "success")
    return redirect(url_for("campaigns.coverage_figures", **_args(province, the_year, where)), code=303)


def _save_goal(province: int, the_year: int, where):
    if not can_plan():
        abort(403)
    values, errors = {}, {}
    for name in ("bhxh_tn_share", "bhyt_share"):
        try:
            values[name] = coverage.parse_share(request.form.get(name))
        except BadCount as exc:
            errors[name] = str(exc)
    if errors:
        goal = {name: request.form.get(name, "") for name in ("bhxh_tn_share", "bhyt_share")}
        return render_page("campaigns/coverage.html", _context(province, the_year, where, goal=goal,
                                                               goal_errors=errors), status=422)
    coverage.save_goal(province, the_year, values["bhxh_tn_share"], values["bhyt_share"], user_id=current_user.id)
    db.session.commit()
    flash(_("The coverage target of %(year)d was saved.", year=the_year), "success")
    return redirect(url_for("campaigns.coverage_figures", **_args(province, the_year, where)), code=303)


@bp.get("/coverage.xlsx")
@roles_required(READERS)
def coverage_xlsx():
    """The year's figures as an XLSX template to fill in and import back."""
    province, where = _where()
    the_year = year()
    body = coverage.template(coverage.grid(where.covered_office_ids, the_year), the_year)
    return Response(body, mimetype=MIME, headers={
        "Content-Disposition": f'attachment; filename="lao-dong-dan-so-{the_year}.xlsx"', "Cache-Control": "no-store"})


@bp.route("/coverage/import", methods=["GET", "POST"])
@roles_required(READERS)
def coverage_import():
    """Figures from an XLSX laid out like the template: a report by row and column first, then all of it or
    nothing."""
    province, where = _where()
    if not may_enter_figures():
        abort(403)
    the_year = year()
    form = ImportForm()
    rows = coverage.grid(where.covered_office_ids, the_year)
    back = _args(province, the_year, where)
    page = url_for("campaigns.coverage_import", **back)
    step = imports.step(f"coverage-{province}-{the_year}-{where.office_id}", form,
                        lambda data, name: coverage.analyse(data, name, rows),
                        lambda report: report.ok and report.changes, url=page)
    def write(report, _filename):
        count = coverage.save_figures(the_year, [(c, f, new) for c, _n, f, _o, new in report.changes],
                                      user_id=current_user.id, source="import")
        return _("%(n)d figures were saved.", n=count)

    return step.answer(page=page, write=write, done=url_for("campaigns.coverage_figures", **back),
                       template="campaigns/coverage_import.html", context={
                           "form": form, "year": the_year, "place": where, "args": back,
                           "figure_labels": FIGURE_LABELS})
