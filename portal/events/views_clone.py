"""Copying an event to several communes and/or dates in one step, with each copy's conflicts shown first."""

from __future__ import annotations

from datetime import date

from flask import abort, request
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from ..auth.roles import OFFICERS, roles_required
from ..auth.scope import get_or_404
from ..core import checks
from ..core.rendering import render_page, see_other
from ..extensions import db
from ..i18n.formatting import format_date, local_today, to_local
from ..org.models import Agent
from . import queries, services
from .blueprint import bp
from .conflicts import Slot, check
from .forms import CloneForm
from .models import Event, Speaker

#: The areas of the form the server re-renders while it is filled in, by element id.
AREAS = {"clone-preview": "clone_preview", "clone-checks": "clone_checks"}
#: The most copies one clone may make (a typo in the dates should not create hundreds of events).
MAX_COPIES = 60


def _copies(event: Event, form: CloneForm, days: list[date]) -> list[tuple[int, date]]:
    start_day = to_local(event.starts_at).date()
    communes = form.communes.data or [event.commune_id]
    return [(c, d) for c in communes for d in (days or [start_day]) if (c, d) != (event.commune_id, start_day)]


@bp.route("/<int:event_id>/clone", methods=["GET", "POST"])
@roles_required(OFFICERS)
def clone(event_id: int):
    """Copy the event to several communes and/or dates in one step; each copy's conflicts show first."""
    event = get_or_404(Event, event_id)
    form = CloneForm()
    communes = queries.communes_in_scope()
    form.communes.choices = [SelectChoice(c.id, c.name) for c, _office in communes]
    commune_names = {c.id: c.name for c, _office in communes}
    slots: list[Slot] = []
    status = 200
    if request.method == "POST":
        form.validate()
        if any(c not in commune_names for c in form.communes.data or []):
            abort(404)
        days = form.parsed_dates()
        copies = _copies(event, form, days) if not form.dates.errors else []
        if not form.dates.errors and not copies:
            form.communes.errors.append(_("Choose other communes or other dates."))
        elif len(copies) > MAX_COPIES:
            form.dates.errors.append(_("At most %(n)d copies at once.", n=MAX_COPIES))
        linked = queries.links(event.id)
        start, end = to_local(event.starts_at), to_local(event.ends_at)
        if copies and not form.dates.errors:
            covering = {c: queries.agents_covering(c, linked["agents"]) for c in {c for c, _d in copies}}
            for commune_id, day in copies:
                slots.append(Slot(
                    commune_id=commune_id, venue=event.venue,
                    starts_at=services.local_moment(day, start.time()),
                    ends_at=services.local_moment(day + (end.date() - start.date()), end.time()),
                    speaker_ids=tuple(linked["speakers"]), agent_ids=tuple(covering[commune_id]),
                    campaign_id=event.campaign_id, label=f"{commune_names[commune_id]}, {format_date(day)}"))
            check(slots, speaker_names=queries.names(Speaker, linked["speakers"]),
                  agent_names=queries.names(Agent, linked["agents"]))
        has_errors = bool(form.communes.errors or form.dates.errors)
        has_conflicts = any(s.conflicts for s in slots)
        if (checking := checks.checking()) in ("communes", "dates"):
            return checks.answer(form, checking)
        if checking is not None and checking not in ("preview", "conflicts"):
            abort(400)
        if has_errors:
            status = 422
        elif checking or request.form.get("action") == "check":
            status = 200
        elif has_conflicts and not form.save_anyway.data:
            status = 422
        else:
            made = services.clone(event, [(s.commune_id, d) for s, (_c, d) in zip(slots, copies, strict=True)],
                                  agents_by_commune={s.commune_id: list(s.agent_ids) for s in slots},
                                  user=current_user)
            db.session.commit()
            return see_other("events.index", _("%(n)d copies were created as drafts.", n=len(made)),
                             status="draft", date_from=format_date(min(
                                             to_local(m.starts_at).date() for m in made)))
    context = {"event": event, "form": form, "slots": slots, "today": local_today(),
               "conflict_count": sum(len(s.conflicts) for s in slots)}
    return render_page("events/clone.html", context, fragment=AREAS, status=status)
