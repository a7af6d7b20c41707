"""One event: create and edit (inline validation, conflicts before saving, version check), the event page
with its tabs, status changes and cancelling."""

from __future__ import annotations

from flask import abort, current_app, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError
from wtforms import SelectChoice

from ..auth.roles import EVERYONE, OFFICERS, roles_required
from ..auth.scope import current_scope, get_or_404
from ..core import checks, versions
from ..core.rendering import render_page, see_other
from ..extensions import db
from ..geo.models import Commune
from ..i18n.formatting import parse_date, to_local
from ..org.models import AgentOrganisation, Office
from ..types import utcnow
from . import queries, services
from .blueprint import bp
from .conflicts import DATE_WARNINGS, Slot, check
from .forms import CancelForm, EventForm
from .labels import STATUS_LABELS
from .models import EVENT_KINDS, Event

#: The areas of the form the server re-renders while it is filled in (``forms.refreshed``), by element id.
FORM_AREAS = {"field-hamlet_id": "event_hamlet", "field-agents": "event_agents", "event-checks": "event_checks"}
#: Fields checked one by one while the form is filled in (``forms.checked``).
CHECKED = frozenset({"host_meeting", "attendee_count", "media_channel", "media_items", "reach",
                     "kind", "title", "campaign_id", "commune_id", "venue", "day", "start_time", "end_time",
                     "organiser_office_id", "organiser_organisation_id", "co_organiser_id", "expected_attendance",
                     "speakers", "notes"})


def _blank(field) -> bool:
    return not field.raw_data or all(str(v).strip() in ("", "0") for v in field.raw_data)


# The form --------------------------------------------------------------------------------------------------

def _fill_choices(form: EventForm, event: Event | None, linked: dict) -> None:
    """Offer what the user's area holds; keep what the event already has even if no longer offered."""
    communes = queries.communes_in_scope()
    grouped = len({office for _c, office in communes}) > 1
    form.commune_id.choices = [SelectChoice(0, _("— choose a commune —"))] if len(communes) != 1 else []
    form.commune_id.choices += [SelectChoice(c.id, c.name, optgroup=office if grouped else None)
                                for c, office in communes]
    if event is not None and not any(c.value == event.commune_id for c in form.commune_id.choices):
        form.commune_id.choices.append(SelectChoice(event.commune_id, queries.names(
            Commune, [event.commune_id]).get(event.commune_id, "?")))
    if not form.commune_id.data and len(communes) == 1:
        form.commune_id.data = communes[0][0].id
    # Only a commune offered (the user's area, or the event's own) lists its hamlets and agents.
    commune_id = form.commune_id.data if any(c.value == form.commune_id.data for c in form.commune_id.choices) \
        else None
    commune_id = commune_id or None
    form.hamlet_id.choices = [SelectChoice(0, "—")] + [SelectChoice(h.id, h.name)
                                                         for h in queries.hamlets_of(commune_id)]
    offices = queries.offices_in_scope()
    form.organiser_office_id.choices = [SelectChoice(o.id, o.name) for o in offices]
    if event is not None and event.organiser_office_id not in {o.id for o in offices}:
        form.organiser_office_id.choices.append(SelectChoice(event.organiser_office_id, queries.names(
            Office, [event.organiser_office_id]).get(event.organiser_office_id, "?")))
    if not form.organiser_office_id.data:
        own = current_scope().office_id
        form.organiser_office_id.data = own if own in {o.id for o in offices} else (offices[0].id if offices else 0)
    organisations = [SelectChoice(0, "—")] + [SelectChoice(o.id, o.name) for o in queries.organisations_in_scope()]
    for field, keep_org in ((form.co_organiser_id, event.co_organiser_id if event else None),
                            (form.organiser_organisation_id, event.organiser_organisation_id if event else None)):
        field.choices = list(organisations)
        if keep_org and not any(c.value == keep_org for c in field.choices):
            field.choices.append(SelectChoice(keep_org, queries.names(AgentOrganisation, [keep_org])
                                              .get(keep_org, "?")))
    form.campaign_id.choices = [SelectChoice(0, _("— none —"))] + [
        SelectChoice(c.id, c.name) for c in queries.campaigns_open(keep=event.campaign_id if event else None)]
    form.speakers.choices = [
        SelectChoice(s.id, s.full_name + (f" — {s.position}" if s.position else ""))
        for s in queries.speakers_available(keep=linked["speakers"])]
    same_commune = event is not None and event.commune_id == commune_id
    form.agents.choices = [
        SelectChoice(a.id, a.full_name) for a in queries.agents_available(
            commune_id, form.organiser_office_id.data, keep=linked["agents"] if same_commune else ())]


def _prefill(form: EventForm, event: Event | None) -> None:
    """Load the form from the event, or from the calendar's day (and commune, kind, campaign) for a new one."""
    if event is not None:
        start, end = to_local(event.starts_at), to_local(event.ends_at)
        linked = queries.links(event.id)
        form.process(data={
            "kind": event.kind, "title": event.title, "commune_id": event.commune_id,
            "hamlet_id": event.hamlet_id or 0, "venue": event.venue, "day": start.date(),
            "start_time": start.time(), "end_time": end.time(), "organiser_office_id": event.organiser_office_id,
            "co_organiser_id": event.co_organiser_id or 0, "campaign_id": event.campaign_id or 0,
            "organiser_organisation_id": event.organiser_organisation_id or 0,
            "expected_attendance": event.expected_attendance, "notes": event.notes, "version": str(event.version),
            "host_meeting": event.host_meeting, "attendee_count": event.attendee_count,
            "media_channel": event.media_channel or "", "media_items": event.media_items, "reach": event.reach,
            "speakers": linked["speakers"], "agents": linked["agents"], "audience": linked["audience"]})
        return
    try:
        form.day.data = parse_date(request.args["date"]) if request.args.get("date") else None
    except ValueError:
        form.day.data = None
    form.commune_id.data = request.args.get("commune", type=int) or 0
    form.campaign_id.data = request.args.get("campaign", type=int) or 0
    if request.args.get("kind") in EVENT_KINDS:
        form.kind.data = request.args["kind"]


def _drop_stale_choices(form: EventForm) -> None:
    """While filling in: a hamlet or agents of the commune chosen before fall away when the commune changes."""
    if form.hamlet_id.data and not any(c.value == form.hamlet_id.data for c in form.hamlet_id.choices):
        form.hamlet_id.data = 0
    offered = {c.value for c in form.agents.choices}
    form.agents.data = [a for a in form.agents.data or [] if a in offered]


def _check_choices(form: EventForm) -> None:
    """What the select lists cannot guarantee: scope (404 outside it), hamlet of the commune, offered values."""
    if form.commune_id.data and not any(c.value == form.commune_id.data for c in form.commune_id.choices):
        abort(404)  # a commune outside the user's area does not exist for them
    if _blank(form.commune_id):
        form.commune_id.errors.append(_("Choose the commune."))
    offered = {
        form.hamlet_id: _("The hamlet is not in this commune."),
        form.organiser_office_id: _("Choose an office from the list."),
        form.co_organiser_id: _("Choose an organisation from the list."),
        form.organiser_organisation_id: _("Choose an organisation from the list."),
        form.campaign_id: _("Choose a campaign from the list."),
    }
    for field, message in offered.items():
        if field.data and not any(c.value == field.data for c in field.choices):
            field.errors.append(message)
    if not form.organiser_office_id.data:
        form.organiser_office_id.errors.append(_("Choose the organising office."))
    if form.organiser_organisation_id.data and form.organiser_organisation_id.data == form.co_organiser_id.data:
        form.co_organiser_id.errors.append(_("The organisation that organises the event is not also its "
                                             "co-organiser: leave this empty or choose another one."))
    for field, message in ((form.speakers, _("Choose speakers from the register.")),
                           (form.agents, _("Choose agents who cover this commune."))):
        values = {c.value for c in field.choices}
        if any(v not in values for v in field.data or []):
            field.errors.append(message)
    if form.day.data and form.start_time.data and form.end_time.data and form.end_time.data <= form.start_time.data:
        form.end_time.errors.append(_("The event must end after it starts."))


def _when_and_where_ready(form: EventForm) -> bool:
    """Enough is filled in, and right, to look for conflicts."""
    needed = (form.commune_id, form.day, form.start_time, form.end_time, form.speakers, form.agents,
              form.campaign_id)
    return bool(form.commune_id.data and form.day.data and form.start_time.data and form.end_time.data
                and not any(f.errors for f in needed))


def _fields(form: EventForm) -> dict:
    return {
        "kind": form.kind.data, "title": " ".join((form.title.data or "").split()), "commune_id": form.commune_id.data,
        "hamlet_id": form.hamlet_id.data or None, "venue": " ".join((form.venue.data or "").split()),
        "starts_at": services.local_moment(form.day.data, form.start_time.data),
        "ends_at": services.local_moment(form.day.data, form.end_time.data),
        "organiser_office_id": form.organiser_office_id.data, "co_organiser_id": form.co_organiser_id.data or None,
        "organiser_organisation_id": form.organiser_organisation_id.data or None,
        "campaign_id": form.campaign_id.data or None, "expected_attendance": form.expected_attendance.data,
        "notes": (form.notes.data or "").strip() or None,
        **_activity_fields(form),
    }


def _activity_fields(form: EventForm) -> dict:
    """What the kind records; the fields of other kinds are cleared."""
    kind = form.kind.data
    talk = kind in ("integrated_talk", "round_table", "legal_advice", "dialogue")
    media = kind == "media"
    return {
        "host_meeting": " ".join((form.host_meeting.data or "").split()) or None if kind == "integrated_talk" else None,
        "attendee_count": form.attendee_count.data if talk else None,
        "media_channel": (form.media_channel.data or None) if media else None,
        "media_items": form.media_items.data if media else None,
        "reach": form.reach.data if media else None,
    }


def _conflicts(form: EventForm, fields: dict, event: Event | None) -> list:
    slot = Slot(commune_id=fields["commune_id"], venue=fields["venue"], starts_at=fields["starts_at"],
                ends_at=fields["ends_at"], speaker_ids=tuple(form.speakers.data or ()),
                agent_ids=tuple(form.agents.data or ()), campaign_id=fields["campaign_id"],
                event_id=event.id if event else None)
    speaker_names = {c.value: c.label.split(" — ")[0] for c in form.speakers.choices}
    check([slot], speaker_names=speaker_names, agent_names={c.value: c.label for c in form.agents.choices})
    return slot.conflicts


def _back() -> str | None:
    back = request.values.get("back")
    return back if back in ("month", "week") else None


def _edit(event: Event | None):
    form = EventForm()
    if request.method == "GET":
        _prefill(form, event)
    linked = queries.links(event.id) if event else {"speakers": [], "agents": [], "audience": []}
    _fill_choices(form, event, linked)
    conflicts: list = []
    stale = False
    status = 200
    checking = checks.checking()
    if request.method == "POST":
        if checking:
            _drop_stale_choices(form)
        valid = form.validate()
        _check_choices(form)
        valid = valid and not any(f.errors for f in form)
        unversioned = event is not None and not checking and versions.missing(form.version.data)
        if event is not None and form.version.data and form.version.data != str(event.version):
            stale = True
        if valid or (checking and _when_and_where_ready(form)):
            fields = _fields(form)
            conflicts = _conflicts(form, fields, event)
        if checking:
            checks.quiet_blanks(form, blanks=("", "0"))  # a select list's 0 is its "none"
            if checking in CHECKED:
                return checks.answer(form, checking, allowed=CHECKED)
            if checking not in ("hamlet-choices", "agent-choices", "conflicts"):
                abort(400)
        elif unversioned:
            status = 422
        elif stale:
            status = 409
        elif not valid or (conflicts and not form.save_anyway.data):
            status = 422
        else:
            try:
                saved = services.save(
                    event, fields, speakers=form.speakers.data or [], agents=form.agents.data or [],
                    audience=form.audience.data or [], user=current_user,
                    status="scheduled" if request.form.get("intent") == "schedule" else "draft",
                    expected_version=int(form.version.data) if event is not None else None)
                db.session.commit()
            except (services.StaleEvent, StaleDataError):
                db.session.rollback()
                stale, status = True, 409
            else:
                flash(_("The event “%(title)s” was saved.", title=saved.title), "success")
                if _back():
                    return see_other("events.calendar", view=_back(),
                                     date=to_local(saved.starts_at).date().isoformat())
                return see_other("events.detail", event_id=saved.id)
    action = url_for("events.edit", event_id=event.id) if event else url_for("events.new")
    context = {"form": form, "event": event, "action": action, "conflicts": conflicts, "date_warnings": DATE_WARNINGS,
               "stale": stale, "back": _back(),
               "has_errors": any(f.errors for f in form) and request.method == "POST" and not checking}
    return render_page("events/form.html", context, fragment=FORM_AREAS, status=status)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(OFFICERS)
def new():
    """Schedule an event (the calendar's "+" opens this with the day filled in)."""
    return _edit(None)


@bp.route("/<int:event_id>/edit", methods=["GET", "POST"])
@roles_required(OFFICERS)
def edit(event_id: int):
    """Change an event; conflicts show before saving, and a save over someone else's change is refused."""
    event = get_or_404(Event, event_id)
    if event.status in services.FROZEN:
        return see_other("events.detail", _("A cancelled or closed event cannot be changed."),
                         "warning", event_id=event.id)
    return _edit(event)


# The event page --------------------------------------------------------------------------------------------

def _may_open(endpoint: str) -> bool:
    """Whether the user's role may open a page (read from the view's roles_required)."""
    view = current_app.view_functions.get(endpoint)
    allowed = getattr(view, "allowed_roles", None)
    return view is not None and (allowed is None or current_user.role in allowed)


def _detail(event: Event, *, cancel_form: CancelForm | None = None, status: int = 200):
    started = event.starts_at <= utcnow()
    transitions = [s for s in services.TRANSITIONS.get(event.status, ()) if s != "held" or started]
    context = {
        "event": event, **queries.overview(event),
        "life_cycle": services.LIFE_CYCLE, "transitions": transitions,
        "waiting_to_start": "held" in services.TRANSITIONS.get(event.status, ()) and "held" not in transitions,
        "can_edit": current_user.role in OFFICERS, "frozen": event.status in services.FROZEN,
        "can_see_speakers": _may_open("events.speaker"), "can_see_campaign": _may_open("campaigns.detail"),
        "cancellable": event.status in services.CANCELLABLE,
        "cancel_form": cancel_form or CancelForm(formdata=None),
    }
    return render_page("events/detail.html", context, fragment="tab_panel", status=status)


@bp.get("/<int:event_id>")
@roles_required(EVERYONE)
def detail(event_id: int):
    """The event page, on its overview tab."""
    return _detail(get_or_404(Event, event_id))


@bp.get("/<int:event_id>/overview")
@roles_required(EVERYONE)
def overview(event_id: int):
    """The overview tab: facts, speakers, agents, audience, campaign and history (htmx swaps the panel only)."""
    return _detail(get_or_404(Event, event_id))


def _commit_or_409(event: Event) -> bool:
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        flash(_("Someone changed this event at the same time. Look at it again and retry."), "error")
        return False
    return True


@bp.post("/<int:event_id>/status")
@roles_required(OFFICERS)
def status(event_id: int):
    """Schedule, mark as held, close (or back to draft)."""
    event = get_or_404(Event, event_id)
    wanted = request.form.get("status", "")
    problem = services.change_status(event, wanted)
    if problem:
        db.session.rollback()
        flash(problem, "warning")
    elif _commit_or_409(event):
        flash(_("Status: %(status)s.", status=STATUS_LABELS[wanted]), "success")
    return see_other("events.detail", event_id=event_id)


@bp.post("/<int:event_id>/cancel")
@roles_required(OFFICERS)
def cancel(event_id: int):
    """Cancel with a reason; the event stays in the lists and calendar, with its history."""
    event = get_or_404(Event, event_id)
    form = CancelForm()
    if not form.validate():
        return _detail(event, cancel_form=form, status=422)
    problem = services.cancel(event, form.reason.data)
    if problem:
        db.session.rollback()
        flash(problem, "warning")
    elif _commit_or_409(event):
        flash(_("The event was cancelled."), "success")
    return see_other("events.detail", event_id=event_id)
