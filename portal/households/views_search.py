"""Search: one box for names (with or without diacritics) and numbers (phone, CCCD, insurance code), filters,
and bulk tagging of the people found.

The search form always posts (with its CSRF token), so a number typed in the box travels in the request body
and never in a URL, a Location header or the browser history. A name search answers the post with a redirect
to (or, for htmx, pushes) ``/households/?q=...``, so name searches can be bookmarked; that GET page refuses
digits in ``q``.
"""

from __future__ import annotations

import re

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..auth.roles import EVERYONE, OFFICERS, roles_required
from ..auth.scope import AGENT, current_scope, scoped
from ..core.pagination import page_number
from ..core.rendering import partial_request, render_page
from ..core.urls import safe_next_url
from ..extensions import db
from ..geo.models import Commune, Hamlet
from ..i18n.formatting import local_today
from . import queries, services
from .blueprint import bp
from .forms import BulkTagForm
from .labels import TAG_LABELS

_NUMBER_NOISE = re.compile(r"[\s.\-()]")


def can_edit() -> bool:
    """Whether the signed-in user changes households and people (agents and viewers read only)."""
    return current_user.role in OFFICERS


def read_number(raw: str) -> tuple[str, str | None]:
    """The digits of a typed phone, CCCD or insurance code, or ("", message) when they cannot be one."""
    text = _NUMBER_NOISE.sub("", raw)
    if text.startswith("+84"):
        text = "0" + text[3:]
    if not text.isdigit():
        return "", _("Type either a name or a number (phone, CCCD or social insurance code), not both.")
    if len(text) == 12:
        return text, None
    if len(text) == 10:
        return text, None
    return "", _("A CCCD number has 12 digits; a phone or a social insurance code has 10 (%(n)d typed).",
                 n=len(text))


def filter_choices(f: queries.PeopleFilter) -> dict:
    """Communes and hamlets the filter selects offer (an agent: their hamlets)."""
    scope = current_scope()
    communes = db.session.execute(scoped(Commune, select(Commune.id, Commune.name)).where(
        Commune.office_id.is_not(None)).order_by(Commune.sort_key)).all()
    hamlets = []
    if scope.kind == AGENT or f.commune_id:
        stmt = scoped(Hamlet, select(Hamlet.id, Hamlet.name))
        if f.commune_id:
            stmt = stmt.where(Hamlet.commune_id == f.commune_id)
        hamlets = db.session.execute(stmt.order_by(Hamlet.sort_key).limit(500)).all()
    return {"communes": communes, "hamlets": hamlets}


def search_context(f: queries.PeopleFilter, *, message: str | None = None, page: int = 1) -> dict:
    """Everything search.html and its results block need."""
    result = queries.search_people(f, page=page, today=local_today())
    listed = not f.digits

    def page_url(n: int) -> str:
        return url_for("households.search", **f.query_args(page=n if n > 1 else None))

    return {
        "filters": f, "result": result, "message": message, "number_search": bool(f.digits),
        "page_urls": {"prev": page_url(result.page - 1) if listed and result.has_prev else None,
                      "next": page_url(result.page + 1) if listed and result.has_next else None},
        "export_url": url_for("households.export_xlsx", **f.query_args()) if listed else None,
        "back_url": page_url(result.page) if listed else url_for("households.search", **f.query_args(q=None)),
        "can_edit": can_edit(),
        "today": local_today(), "typed": "", "oob_hamlets": False, **filter_choices(f),
    }


@bp.get("/")
@roles_required(EVERYONE)
def search():
    """Find people and households by name (with or without diacritics) and filters; bookmarkable."""
    f = queries.PeopleFilter.from_args(request.args)
    message = None
    if any(ch.isdigit() for ch in request.args.get("q", "")):
        message = _("Numbers are not searched from the address bar: type the number in the search box.")
    context = search_context(f, message=message, page=page_number())
    context["typed"] = f.name
    response = render_page("households/search.html", context, fragment="results")
    _record_results(f, context)
    return response


def _record_results(f: queries.PeopleFilter, context: dict) -> None:
    """One audit entry per page of people shown: the filter (never the digits of a number) and the count."""
    rows = len(context["result"].rows)
    if rows:
        services.record_list_view("view.people_search", filters=f.described(), rows=rows,
                                  page=context["result"].page, number_search=bool(f.digits))


@bp.post("/search")
@roles_required(EVERYONE)
def search_post():
    """The search form: a number is searched from the body; a name search goes to its bookmarkable page."""
    raw = " ".join((request.form.get("q") or "").split())[:120]
    f = queries.PeopleFilter.from_args(request.form)
    htmx = partial_request()
    if not any(ch.isdigit() for ch in raw):
        f.name = raw
        target = url_for("households.search", **f.query_args())
        if not htmx:
            return redirect(target, code=303)
        context = search_context(f)
        context.update(typed=raw, oob_hamlets=True)
        response = render_page("households/search.html", context, fragment="results", headers={"HX-Push-Url": target})
        _record_results(f, context)
        return response
    digits, message = read_number(raw)
    f.name = ""
    f.digits = digits or "-"  # an unreadable number finds nobody rather than everybody
    context = search_context(f, message=message)
    context.update(typed=raw, oob_hamlets=htmx)
    status = 422 if message else 200
    response = render_page("households/search.html", context, status=status, fragment="results")
    _record_results(f, context)
    return response


@bp.post("/people/tags")
@roles_required(OFFICERS)
def bulk_tags():
    """Add or remove a potential group on the people ticked in the results (people outside the area are
    ignored and counted)."""
    form = BulkTagForm()
    back = safe_next_url(form.next.data) if (form.next.data or "").startswith("/households/") else None
    back = back or url_for("households.search")
    if not form.validate_on_submit() or not form.person.data:
        flash(_("Tick at least one person, then choose a group and add or remove it."), "warning")
        return redirect(back, code=303)
    changed, ignored = services.bulk_tag(form.person.data, form.tag.data, form.action.data)
    db.session.commit()
    label = TAG_LABELS[form.tag.data]
    if form.action.data == "add":
        flash(_("“%(group)s” added to %(n)d people.", group=label, n=changed), "success")
    else:
        flash(_("“%(group)s” removed from %(n)d people.", group=label, n=changed), "success")
    if ignored:
        flash(_("%(n)d people outside your area were ignored.", n=ignored), "warning")
    return redirect(back, code=303)
