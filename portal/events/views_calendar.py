"""The event list with filters, and the month and week calendar."""

from __future__ import annotations

import calendar as cal
from datetime import date, timedelta

from flask import request
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from ..auth.roles import EVERYONE, OFFICERS, roles_required
from ..auth.scope import scoped
from ..core.pagination import paginate
from ..core.rendering import render_page
from ..geo.models import Commune, Hamlet
from ..i18n.formatting import local_today, parse_date, to_local
from ..org.models import Office
from . import queries
from .blueprint import bp
from .forms import EventFilterForm
from .models import Event


def _filter_form() -> EventFilterForm:
    """The filters from the query string, with the choices of the user's area."""
    form = EventFilterForm(formdata=request.args)
    options = queries.filter_options()
    form.office.choices = [SelectChoice(0, _("All offices"))] + [SelectChoice(o.id, o.name) for o in options["offices"]]
    form.commune.choices = [SelectChoice(0, _("All communes"))] + [
        SelectChoice(c.id, c.name) for c in options["communes"]]
    form.campaign.choices = [SelectChoice(0, _("Any campaign"))] + [
        SelectChoice(c.id, c.name) for c in options["campaigns"]]
    form.validate()
    return form


def _labels() -> dict:
    return {"can_edit": current_user.role in OFFICERS}


@bp.get("/")
@roles_required(EVERYONE)
def index():
    """Events in the user's area (an agent: the events they work at), filtered: what is coming first, soonest
    first, then what is over, latest first."""
    form = _filter_form()
    filters = form.values()
    page = paginate(queries.coming_first(queries.filtered(scoped(Event), filters)))
    context = {
        "page": page, "filter_form": form, "filters": filters,
        "commune_names": queries.names(Commune, {e.commune_id for e in page.items}),
        "hamlet_names": queries.names(Hamlet, {e.hamlet_id for e in page.items}),
        "office_names": queries.names(Office, {e.organiser_office_id for e in page.items}),
        **_labels(),
    }
    return render_page("events/index.html", context, fragment="results")


def _anchor() -> date:
    text = request.args.get("date", "")
    try:
        anchor = parse_date(text) if text else local_today()
    except ValueError:
        return local_today()
    return anchor if 2000 <= anchor.year <= 2100 else local_today()


def _days_of(event: Event, first: date, last: date) -> list[date]:
    """The calendar days an event shows on (every day it spans, within the view)."""
    start = to_local(event.starts_at).date()
    end_local = to_local(event.ends_at)
    end = end_local.date() if (end_local.hour, end_local.minute) != (0, 0) else end_local.date() - timedelta(days=1)
    day, shown = max(start, first), []
    while day <= min(max(end, start), last):
        shown.append(day)
        day += timedelta(days=1)
    return shown


@bp.get("/calendar")
@roles_required(EVERYONE)
def calendar():
    """A month or week of events; each day has a "+" to schedule an event on it (officers)."""
    view = "week" if request.args.get("view") == "week" else "month"
    anchor = _anchor()
    if view == "week":
        first = anchor - timedelta(days=anchor.weekday())
        weeks = [[first + timedelta(days=i) for i in range(7)]]
        prev_date, next_date = first - timedelta(days=7), first + timedelta(days=7)
    else:
        weeks = cal.Calendar().monthdatescalendar(anchor.year, anchor.month)
        month_start = anchor.replace(day=1)
        prev_date = (month_start - timedelta(days=1)).replace(day=1)
        next_date = (month_start + timedelta(days=32)).replace(day=1)
    days = [d for week in weeks for d in week]
    form = _filter_form()
    filters = {**form.values(), "date_from": None, "date_to": None}
    events = queries.events_between(days[0], days[-1], filters)
    by_day: dict[date, list[Event]] = {}
    for event in events:
        for day in _days_of(event, days[0], days[-1]):
            by_day.setdefault(day, []).append(event)
    active_filters = {k: v for k, v in filters.items() if v}
    context = {
        "view": view, "anchor": anchor, "weeks": weeks, "days": days, "by_day": by_day, "events": events,
        "prev_date": prev_date, "next_date": next_date, "today": local_today(),
        "filter_form": form, "filters": filters, "active_filters": active_filters,
        "commune_names": queries.names(Commune, {e.commune_id for e in events}),
        **_labels(),
    }
    return render_page("events/calendar.html", context, fragment="calendar")
