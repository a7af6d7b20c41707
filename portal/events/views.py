"""Scheduling: the list, the month and week calendar, create and edit with conflicts, the event page."""

from __future__ import annotations

import calendar as cal
from datetime import date, datetime, timedelta

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError
from wtforms import SelectChoice

from ..audit.models import AuditEntry
from ..auth.roles import ADMIN, LOCAL_OFFICER, PROVINCE_OFFICER, VIEWER, all_roles, roles_required
from ..auth.scope import current_scope, get_or_404, scoped
from ..campaigns.models import Campaign
from ..core import nav
from ..core.pagination import paginate
from ..core.rendering import render_page
from ..extensions import db
from ..geo.models import Commune, Hamlet
from ..i18n.formatting import local_today, parse_date, to_local
from ..org.models import Agent, AgentOrganisation, Office, agent_communes
from ..visits.forms import POTENTIAL_GROUP_LABELS
from . import bp, services
from .conflicts import find_conflicts
from .forms import KIND_LABELS, STATUS_LABELS, CancelForm, CloneForm, EventForm
from .models import EVENT_KINDS, EVENT_STATUSES, Event, Speaker

EDITORS = (ADMIN, PROVINCE_OFFICER, LOCAL_OFFICER)
nav.register("events.index", _l("Events"), all_roles(), order=10)
nav.register("events.calendar", _l("Calendar"), {*EDITORS, VIEWER}, order=11)


def _filters() -> dict:
    return {k: request.args.get(k, type=int) for k in ("commune", "office", "campaign")} | {
        "kind": request.args.get("kind") or None, "status": request.args.get("status") or None}


def _filtered(stmt, f: dict):
    if f["commune"]:
        stmt = stmt.where(Event.commune_id == f["commune"])
    if f["office"]:
        stmt = stmt.where(Event.organiser_office_id == f["office"])
    if f["campaign"]:
        stmt = stmt.where(Event.campaign_id == f["campaign"])
    if f["kind"] in EVENT_KINDS:
        stmt = stmt.where(Event.kind == f["kind"])
    if f["status"] in EVENT_STATUSES:
        stmt = stmt.where(Event.status == f["status"])
    return stmt


def _choices() -> dict:
    communes = db.session.scalars(scoped(Commune).order_by(Commune.sort_key)).all()
    offices = db.session.scalars(scoped(Office).order_by(Office.sort_key)).all()
    campaigns = db.session.scalars(scoped(Campaign).order_by(Campaign.starts_on.desc())).all()
    return {"communes": communes, "offices": offices, "campaigns": campaigns, "kind_labels": KIND_LABELS,
            "status_labels": STATUS_LABELS}


def _commune_names(ids) -> dict[int, str]:
    return dict(db.session.execute(select(Commune.id, Commune.name).where(Commune.id.in_(list(ids)))).all())


@bp.get("/")
@roles_required(*all_roles())
def index():
    """Events in the user's area, filterable, soonest first."""
    f = _filters()
    stmt = _filtered(scoped(Event), f).order_by(Event.starts_at.desc())
    page = paginate(stmt)
    context = {"page": page, "filters": f, "communes_by_id": _commune_names({e.commune_id for e in page.items}),
               "can_edit": current_user.role in EDITORS, **_choices()}
    return render_page("events/index.html", context)


@bp.get("/calendar")
@roles_required(*EDITORS, VIEWER)
def calendar():
    """Month or week view; each day offers a link to schedule an event on it."""
    view = "week" if request.args.get("view") == "week" else "month"
    try:
        anchor = date.fromisoformat(request.args.get("date", ""))
    except ValueError:
        anchor = local_today()
    if view == "week":
        start = anchor - timedelta(days=anchor.weekday())
        days = [start + timedelta(days=i) for i in range(7)]
        prev_date, next_date = start - timedelta(days=7), start + timedelta(days=7)
    else:
        first = anchor.replace(day=1)
        start = first - timedelta(days=first.weekday())
        weeks = cal.Calendar().monthdatescalendar(first.year, first.month)
        days = [d for week in weeks for d in week]
        prev_date = (first - timedelta(days=1)).replace(day=1)
        next_date = (first + timedelta(days=32)).replace(day=1)
    from datetime import UTC
    from zoneinfo import ZoneInfo

    vn = ZoneInfo("Asia/Ho_Chi_Minh")
    lo = datetime.combine(days[0], datetime.min.time(), tzinfo=vn).astimezone(UTC)
    hi = datetime.combine(days[-1] + timedelta(days=1), datetime.min.time(), tzinfo=vn).astimezone(UTC)
    f = _filters()
    events = db.session.scalars(_filtered(scoped(Event), f).where(Event.starts_at < hi, Event.ends_at > lo)
                                .order_by(Event.starts_at)).all()
    by_day: dict[date, list[Event]] = {}
    for event in events:
        by_day.setdefault(to_local(event.starts_at).date(), []).append(event)
    context = {"view": view, "anchor": anchor, "days": days, "by_day": by_day, "month": anchor.month,
               "prev_date": prev_date, "next_date": next_date, "today": local_today(), "filters": f,
               "communes_by_id": _commune_names({e.commune_id for e in events}),
               "can_edit": current_user.role in EDITORS, **_choices()}
    return render_page("events/calendar.html", context)


def _fill_choices(form: EventForm, commune_id: int | None) -> None:
    scope = current_scope()
    communes = db.session.scalars(scoped(Commune).where(Commune.office_id.is_not(None)).order_by(Commune.sort_key))
    form.commune_id.choices = [SelectChoice(c.id, c.name) for c in communes]
    commune_id = commune_id or (form.commune_id.choices[0].value if form.commune_id.choices else None)
    hamlets = db.session.scalars(select(Hamlet).where(Hamlet.commune_id == commune_id).order_by(Hamlet.sort_key)) \
        if commune_id else []
    form.hamlet_id.choices = [SelectChoice(0, "—")] + [SelectChoice(h.id, h.name) for h in hamlets]
    offices = db.session.scalars(scoped(Office).order_by(Office.sort_key)).all()
    form.organiser_office_id.choices = [SelectChoice(o.id, o.name) for o in offices]
    if form.organiser_office_id.data is None and scope.office_id:
        form.organiser_office_id.data = scope.office_id
    orgs = db.session.scalars(scoped(AgentOrganisation).order_by(AgentOrganisation.sort_key))
    form.co_organiser_id.choices = [SelectChoice(0, "—")] + [SelectChoice(o.id, o.name) for o in orgs]
    campaigns = db.session.scalars(scoped(Campaign).where(Campaign.status != "closed")
                                   .order_by(Campaign.starts_on.desc()))
    form.campaign_id.choices = [SelectChoice(0, "—")] + [SelectChoice(c.id, c.name) for c in campaigns]
    speakers = db.session.scalars(scoped(Speaker).where(Speaker.active.is_(True)).order_by(Speaker.sort_key))
    form.speakers.choices = [SelectChoice(s.id, s.full_name) for s in speakers]
    agents = db.session.scalars(scoped(Agent).where(Agent.active.is_(True)).where(
        Agent.id.in_(select(agent_communes.c.agent_id).where(agent_communes.c.commune_id == commune_id)))
        .order_by(Agent.sort_key)) if commune_id else []
    form.agents.choices = [SelectChoice(a.id, a.full_name) for a in agents]


def _form_fields(form: EventForm) -> dict:
    return {
        "kind": form.kind.data, "title": form.title.data.strip(), "campaign_id": form.campaign_id.data or None,
        "commune_id": form.commune_id.data, "hamlet_id": form.hamlet_id.data or None,
        "venue": form.venue.data.strip(),
        "starts_at": services.local_moment(form.day.data, form.start_time.data),
        "ends_at": services.local_moment(form.day.data, form.end_time.data),
        "organiser_office_id": form.organiser_office_id.data, "co_organiser_id": form.co_organiser_id.data or None,
        "expected_attendance": form.expected_attendance.data, "notes": (form.notes.data or "").strip() or None,
    }


def _edit(event: Event | None):
    form = EventForm()
    if request.method == "GET":
        if event is not None:
            local = to_local(event.starts_at)
            form.process(data={
                "kind": event.kind, "title": event.title, "campaign_id": event.campaign_id or 0,
                "commune_id": event.commune_id, "hamlet_id": event.hamlet_id or 0, "venue": event.venue,
                "day": local.date(), "start_time": local.strftime("%H:%M"),
                "end_time": to_local(event.ends_at).strftime("%H:%M"),
                "organiser_office_id": event.organiser_office_id, "co_organiser_id": event.co_organiser_id or 0,
                "expected_attendance": event.expected_attendance, "notes": event.notes,
                "version": str(event.version), **services.links(event)})
        else:
            try:
                form.day.data = parse_date(request.args.get("date", "")) if request.args.get("date") else None
            except ValueError:
                form.day.data = None
            commune = request.args.get("commune", type=int)
            if commune:
                form.commune_id.data = commune
    _fill_choices(form, form.commune_id.data)
    conflicts, status = [], 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            commune_ok = any(c.value == form.commune_id.data for c in form.commune_id.choices)
            hamlet_ok = not form.hamlet_id.data or any(c.value == form.hamlet_id.data for c in form.hamlet_id.choices)
            fields = _form_fields(form)
            if not commune_ok:
                abort(404)
            if not hamlet_ok:
                form.hamlet_id.errors = [_("The hamlet is not in this commune.")]
            elif fields["ends_at"] <= fields["starts_at"]:
                form.end_time.errors.append(_("The event must end after it starts."))
            else:
                campaign = db.session.get(Campaign, fields["campaign_id"]) if fields["campaign_id"] else None
                names = {c.value: c.label for c in form.speakers.choices}
                agent_names = {c.value: c.label for c in form.agents.choices}
                conflicts = find_conflicts(commune_id=fields["commune_id"], venue=fields["venue"],
                                           starts_at=fields["starts_at"], ends_at=fields["ends_at"],
                                           speaker_ids=form.speakers.data or [], agent_ids=form.agents.data or [],
                                           campaign=campaign, exclude_id=event.id if event else None,
                                           speaker_names=names, agent_names=agent_names)
                if not conflicts or form.save_anyway.data:
                    if event is not None and form.version.data and form.version.data != str(event.version):
                        status = 409
                        form.title.errors.append(_("Someone saved this event after you opened it. Reload the page "
                                                   "to see their changes."))
                    else:
                        try:
                            saved = services.save(event, fields, speakers=form.speakers.data or [],
                                                  agents=form.agents.data or [], audience=form.audience.data or [],
                                                  user=current_user)
                            db.session.commit()
                        except StaleDataError:
                            db.session.rollback()
                            status = 409
                            form.title.errors.append(_("Someone saved this event after you opened it. Reload the "
                                                       "page to see their changes."))
                        else:
                            flash(_("The event was saved."), "success")
                            return redirect(url_for("events.detail", event_id=saved.id), code=303)
    context = {"form": form, "event": event, "conflicts": conflicts, "kind_labels": KIND_LABELS}
    return render_page("events/form.html", context, status=status)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new():
    """Schedule an event (the calendar's "+" links here with the day filled in)."""
    return _edit(None)


@bp.route("/<int:event_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit(event_id: int):
    """Change an event; conflicts are shown before saving."""
    event = get_or_404(Event, event_id)
    if event.status in ("cancelled", "closed"):
        flash(_("A cancelled or closed event cannot be changed."), "warning")
        return redirect(url_for("events.detail", event_id=event.id), code=303)
    return _edit(event)


@bp.get("/<int:event_id>")
@roles_required(*all_roles())
def detail(event_id: int):
    """The event page: facts, people, audience, history, and links to its lists, attendance and results."""
    event = get_or_404(Event, event_id)
    linked = services.links(event)
    speakers = db.session.scalars(select(Speaker).where(Speaker.id.in_(linked["speakers"]))).all()
    agents = db.session.scalars(select(Agent).where(Agent.id.in_(linked["agents"])).order_by(Agent.sort_key)).all()
    history = db.session.scalars(select(AuditEntry).where(AuditEntry.object_type == "event",
                                                          AuditEntry.object_id == event.id)
                                 .order_by(AuditEntry.at)).all()
    context = {
        "event": event, "speakers": speakers, "agents": agents, "audience": linked["audience"], "history": history,
        "commune": db.session.get(Commune, event.commune_id),
        "hamlet": db.session.get(Hamlet, event.hamlet_id) if event.hamlet_id else None,
        "office": db.session.get(Office, event.organiser_office_id),
        "co_organiser": db.session.get(AgentOrganisation, event.co_organiser_id) if event.co_organiser_id else None,
        "campaign": db.session.get(Campaign, event.campaign_id) if event.campaign_id else None,
        "kind_labels": KIND_LABELS, "status_labels": STATUS_LABELS, "audience_labels": POTENTIAL_GROUP_LABELS,
        "transitions": services.TRANSITIONS.get(event.status, ()), "can_edit": current_user.role in EDITORS,
        "cancel_form": CancelForm(formdata=None),
    }
    return render_page("events/detail.html", context)


@bp.post("/<int:event_id>/status")
@roles_required(*EDITORS)
def status(event_id: int):
    """Move the event along: schedule, mark held, close."""
    event = get_or_404(Event, event_id)
    from flask_wtf.csrf import validate_csrf

    validate_csrf(request.form.get("csrf_token"))
    if services.change_status(event, request.form.get("status", "")):
        db.session.commit()
        flash(_("Status changed to %(status)s.", status=STATUS_LABELS[event.status]), "success")
    else:
        flash(_("This status change is not allowed."), "warning")
    return redirect(url_for("events.detail", event_id=event.id), code=303)


@bp.post("/<int:event_id>/cancel")
@roles_required(*EDITORS)
def cancel(event_id: int):
    """Cancel with a reason; the event and its history stay."""
    event = get_or_404(Event, event_id)
    form = CancelForm()
    if form.validate_on_submit() and services.cancel(event, form.reason.data):
        db.session.commit()
        flash(_("The event was cancelled."), "success")
    else:
        flash(_("Give a reason to cancel; held or closed events cannot be cancelled."), "warning")
    return redirect(url_for("events.detail", event_id=event.id), code=303)


@bp.route("/<int:event_id>/clone", methods=["GET", "POST"])
@roles_required(*EDITORS)
def clone(event_id: int):
    """Copy the event to other communes and/or dates in one step, with conflicts shown first."""
    event = get_or_404(Event, event_id)
    form = CloneForm()
    form.communes.choices = [SelectChoice(c.id, c.name) for c in db.session.scalars(
        scoped(Commune).where(Commune.office_id.is_not(None)).order_by(Commune.sort_key))]
    conflicts: list = []
    status = 200
    if form.validate_on_submit():
        days, bad = [], []
        for part in (form.dates.data or "").split(","):
            if part.strip():
                try:
                    days.append(parse_date(part))
                except ValueError:
                    bad.append(part.strip())
        if bad:
            form.dates.errors.append(_("Not dates: %(items)s", items=", ".join(bad)))
            status = 422
        elif not days and not form.communes.data:
            form.communes.errors.append(_("Choose communes or dates."))
            status = 422
        else:
            linked = services.links(event)
            start, end = to_local(event.starts_at), to_local(event.ends_at)
            for commune_id in form.communes.data or [event.commune_id]:
                for day in days or [start.date()]:
                    found = find_conflicts(
                        commune_id=commune_id, venue=event.venue,
                        starts_at=datetime.combine(day, start.timetz()), ends_at=datetime.combine(day, end.timetz()),
                        speaker_ids=linked["speakers"], agent_ids=linked["agents"] if commune_id == event.commune_id
                        else [], exclude_id=event.id)
                    conflicts.extend(found)
            if not conflicts or form.save_anyway.data:
                copies = services.clone(event, communes=form.communes.data or [], days=days, user=current_user)
                db.session.commit()
                flash(_("%(n)d copies were created as drafts.", n=len(copies)), "success")
                return redirect(url_for("events.index"), code=303)
    elif request.method == "POST":
        status = 422
    context = {"event": event, "form": form, "conflicts": conflicts}
    return render_page("events/clone.html", context, status=status)


