"""The households' due-payment lists as a printed sheet (same filter and scope as the page; audited)."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.roles import EVERYONE, roles_required
from ..households import queries
from ..households.due_args import due_filter
from ..i18n.formatting import local_today
from . import due
from .views import bp, pdf_response


@bp.get("/households/due.pdf")
@roles_required(EVERYONE)
def due_pdf():
    """The due list as PDF for the rounds: every person of the list (an agent gets their own hamlets)."""
    f, problems = due_filter()
    if problems:
        flash(" ".join(problems), "error")
        return redirect(url_for("households.due", **f.query_args()), code=303)
    today = local_today()
    result = queries.due_list(f, today=today, detail_max=queries.EXPORT_MAX)
    if not result.listed:
        flash(_("The list has more than %(n)s people; narrow it to a commune, hamlet or agent.",
                n=f"{queries.EXPORT_MAX:,}".replace(",", ".")), "warning")
        return redirect(url_for("households.due", **f.query_args()), code=303)
    context = due.due_sheet(result, f, current_user, today=today)
    return pdf_response(None, "due_list", "sheet.html", context, object_type="export",
                        filename=f"den-han-dong-{today.isoformat()}.pdf", filter=f.described(today),
                        rows=len(context["rows"]))
