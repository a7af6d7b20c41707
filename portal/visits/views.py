"""The officer's pages of a pre-visit list: build, supervise, split, reassign, enter outcomes from paper."""

from __future__ import annotations

import re

from flask import abort, flash, request
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from ..auth.roles import OFFICERS, READERS, roles_required
from ..auth.scope import get_or_404
from ..core.pagination import paginate
from ..core.rendering import render_page, see_other
from ..events.models import Event
from ..extensions import db
from . import building, queries, services
from .blueprint import bp
from .forms import (
    OUTCOME_KEYS,
    AddHouseholdsForm,
    CriteriaForm,
    PaperEntryForm,
    QuotaForm,
    ReassignForm,
    paper_decline_codes,
    paper_decline_reason,
)
from .labels import OUTCOME_LABELS
from .models import VisitList
from .services import Conflict, OutcomeError, audit_list_change, record_outcome

#: Outcomes typed from paper change the progress table: the same answer refreshes it.
PROGRESS = {"progress": "visit-progress"}


def _event(event_id: int) -> Event:
    return get_or_404(Event, event_id)


def _criteria(form: CriteriaForm) -> building.Criteria:
    return building.Criteria(hamlet_ids=list(form.hamlets.data or []), tags=list(form.tags.data or []),
                             coverage=list(form.coverage.data or []), min_age=form.min_age.data,
                             max_age=form.max_age.data, not_visited_days=form.not_visited_days.data)


@bp.route("/events/<int:event_id>/previsit/build", methods=["GET", "POST"])
@roles_required(OFFICERS)
def build(event_id: int):
    """Choose households for the pre-visit list, see how many match, then build the list."""
    event = _event(event_id)
    formdata = request.form if request.method == "POST" else (request.args or None)
    form = CriteriaForm(formdata=formdata, meta={"csrf": request.method == "POST"})
    form.hamlets.choices = [SelectChoice(h.id, h.name) for h in queries.hamlets_in_scope(event.commune_id)]
    status = 200
    count = None
    if (request.method == "POST" or request.args) and form.validate():
        criteria = _criteria(form)
        if request.method == "POST" and request.form.get("action") == "build":
            _visit_list, added = services.build_list(event, criteria, current_user)
            db.session.commit()
            return _to_list(event, _("%(n)d households were added to the list.", n=added))
        count = building.count_candidates(event.commune_id, criteria, event.starts_at.date())
    elif request.method == "POST" or request.args:
        status = 422
    context = {"event": event, "form": form, "count": count, "existing": queries.list_for(event.id)}
    return render_page("visits/build.html", context, fragment="candidate_count", status=status)


@bp.get("/events/<int:event_id>/previsit")
@roles_required(READERS)
def supervise(event_id: int):
    """The list: progress per agent, the households in row order, and the tools to split and reassign."""
    event = _event(event_id)
    visit_list = queries.list_for(event.id)
    context = _supervise_context(event, visit_list)
    return render_page("visits/list.html", context, fragment="results")


def _supervise_context(event: Event, visit_list: VisitList | None, **extra) -> dict:
    progress = queries.progress(visit_list.id) if visit_list else []
    filters = {
        "agent": request.args.get("agent", type=int),
        "outcome": request.args.get("outcome") or None,
        "hamlet": request.args.get("hamlet", type=int),
    }
    page = None
    if visit_list:
        stmt = queries.assignment_rows(visit_list.id, agent_id=filters["agent"], outcome=filters["outcome"],
                                       hamlet_id=filters["hamlet"])
        page = paginate(stmt, per_page=100, scalars=False)
    agents = queries.agents_for(event.commune_id)
    reassign = ReassignForm()
    reassign.agent_id.choices = [SelectChoice(0, _("— nobody —"))] + [SelectChoice(a.id, a.full_name) for a in agents]
    quota = QuotaForm()
    quota.agent_id.choices = [SelectChoice(a.id, a.full_name) for a in agents]
    quotas = queries.quotas(visit_list.id) if visit_list else {}
    context = {
        "event": event, "visit_list": visit_list, "progress": progress, "page": page, "filters": filters,
        "agents": agents, "hamlets": queries.hamlets_in_scope(event.commune_id), "reassign_form": reassign,
        "quota_form": quota, "quotas": quotas, "paper_form": PaperEntryForm(),
        "add_form": AddHouseholdsForm(formdata=None),
        "stalled": queries.is_stalled(event, progress, built_at=visit_list.created_at if visit_list else None),
        "can_edit": current_user.role in OFFICERS,
        "paper_log": [], "search_results": [], "decline_codes": paper_decline_codes(),
        "totals": {
            "assigned": sum(p.assigned for p in progress), "visited": sum(p.visited for p in progress),
            "invited": sum(p.invited for p in progress), "declined": sum(p.declined for p in progress),
        },
    }
    context.update(extra)
    return context


def _require_list(event: Event) -> VisitList:
    visit_list = queries.list_for(event.id)
    if visit_list is None:
        abort(404)
    return visit_list


def _event_and_list(event_id: int) -> tuple[Event, VisitList]:
    """The event (in scope) and its pre-visit list, or 404."""
    event = _event(event_id)
    return event, _require_list(event)


def _to_list(event: Event, message: str | None = None, category: str = "success"):
    """Back to the event's pre-visit list, with a message."""
    return see_other("visits.supervise", message, category, event_id=event.id)


@bp.post("/events/<int:event_id>/previsit/split")
@roles_required(OFFICERS)
def split(event_id: int):
    """Give the unassigned households (or all, to start over) to the agents covering their hamlets."""
    event, visit_list = _event_and_list(event_id)
    agent_ids = [a.id for a in queries.agents_for(event.commune_id)]
    result = services.split(visit_list, agent_ids, redo=request.form.get("redo") == "1")
    db.session.commit()
    flash(_("%(n)d households were assigned.", n=sum(result.assigned.values())), "success")
    if result.unassigned:
        flash(_("%(n)d households are in hamlets no available agent covers.", n=result.unassigned), "warning")
    return _to_list(event)


def _selected_ids() -> list[int]:
    return [int(v) for v in request.form.getlist("assignment") if v.isdigit()]


@bp.post("/events/<int:event_id>/previsit/reassign")
@roles_required(OFFICERS)
def reassign(event_id: int):
    """Give the selected households to another agent."""
    event, visit_list = _event_and_list(event_id)
    form = ReassignForm()
    agents = {a.id for a in queries.agents_for(event.commune_id)}
    form.agent_id.choices = [SelectChoice(0, "")] + [SelectChoice(a, str(a)) for a in agents]
    ids = _selected_ids()
    if not form.validate_on_submit() or not ids:
        return _to_list(event, _("Choose households and an agent."), "warning")
    agent_id = form.agent_id.data or None
    changed = services.reassign(visit_list, ids, agent_id)
    db.session.commit()
    return _to_list(event, _("%(n)d households were reassigned.", n=changed))


@bp.post("/events/<int:event_id>/previsit/remove")
@roles_required(OFFICERS)
def remove(event_id: int):
    """Take the selected households off the list."""
    event, visit_list = _event_and_list(event_id)
    ids = _selected_ids()
    removed = services.remove(visit_list, ids)
    db.session.commit()
    return _to_list(event, _("%(n)d households were taken off the list.", n=removed))


@bp.post("/events/<int:event_id>/previsit/quota")
@roles_required(OFFICERS)
def quota(event_id: int):
    """Set the most visits an agent takes on this list."""
    event, visit_list = _event_and_list(event_id)
    form = QuotaForm()
    form.agent_id.choices = [SelectChoice(a.id, a.full_name) for a in queries.agents_for(event.commune_id)]
    if not form.validate_on_submit():
        return _to_list(event, _("Enter a number of visits for an agent."), "warning")
    services.set_quota(visit_list, form.agent_id.data, form.max_visits.data)
    db.session.commit()
    return _to_list(event, _("The quota was saved."))


@bp.route("/events/<int:event_id>/previsit/add", methods=["GET", "POST"])
@roles_required(OFFICERS)
def add(event_id: int):
    """Find households of the commune by the head's name and add them by hand."""
    event, visit_list = _event_and_list(event_id)
    if request.method == "POST" and request.form.getlist("household"):
        ids = [int(v) for v in request.form.getlist("household") if v.isdigit()]
        added = services.add_households(visit_list, queries.households_of_commune(event.commune_id, ids))
        db.session.commit()
        return _to_list(event, _("%(n)d households were added to the list.", n=added))
    form = AddHouseholdsForm(formdata=request.args or None, meta={"csrf": False})
    results = []
    if request.args and form.validate():
        results = queries.find_households(event.commune_id, form.query.data)
    context = _supervise_context(event, visit_list, add_form=form, search_results=results)
    return render_page("visits/list.html", context, fragment="add_households")


_PAPER_LINE = re.compile(r"^\s*(\d+)\s*([a-zA-Z])\s*(\d+)?\s*$")


@bp.post("/events/<int:event_id>/previsit/paper")
@roles_required(OFFICERS)
def paper(event_id: int):
    """Outcomes typed from the paper list, one per line: row number, letter, and people coming for "m"."""
    event, visit_list = _event_and_list(event_id)
    form = PaperEntryForm()
    log: list[tuple[str, bool, str]] = []
    status = 200
    if form.validate_on_submit():
        rows = queries.rows_by_number(visit_list.id)
        for raw in re.split(r"[\n;,]+", form.lines.data):
            if not raw.strip():
                continue
            match = _PAPER_LINE.match(raw)
            if not match:
                log.append((raw.strip(), False, _("Write a row number and a letter, e.g. “17 m”.")))
                continue
            number, letter, extra = int(match[1]), match[2].lower(), match[3]
            assignment = rows.get(number)
            outcome = OUTCOME_KEYS.get(letter)
            if assignment is None:
                log.append((raw.strip(), False, _("There is no row %(n)d on this list.", n=number)))
                continue
            if outcome is None:
                log.append((raw.strip(), False, _("Unknown letter “%(letter)s”.", letter=letter)))
                continue
            reason = None
            if outcome == "declined":
                reason = paper_decline_reason(extra)
                if reason is None:
                    log.append((raw.strip(), False, _("Row %(n)d: write why they declined after “k”: %(codes)s.",
                                                      n=number, codes=paper_decline_codes())))
                    continue
            try:
                record_outcome(assignment, outcome=outcome, user=current_user, event_starts_at=event.starts_at,
                               decline_reason=reason,
                               expected_attendees=int(extra) if extra and outcome == "invited" else None,
                               from_paper=True)
            except (OutcomeError, Conflict):
                log.append((raw.strip(), False, _("Could not record this line.")))
                continue
            log.append((raw.strip(), True, f"{number}: {OUTCOME_LABELS[outcome]}"))
        audit_list_change("visit_list.paper_entry", visit_list, lines=len(log),
                          recorded=sum(1 for _l, ok, _m in log if ok))
        db.session.commit()
        if any(not ok for _l, ok, _m in log):
            status = 422
    else:
        status = 422
    context = _supervise_context(event, visit_list, paper_form=PaperEntryForm(formdata=None), paper_log=log)
    return render_page("visits/list.html", context, fragment="paper_entry", status=status, oob=PROGRESS)
