"""The Documents tab of an event and its PDFs; every print of personal data is audited."""

from __future__ import annotations

from flask import Response, abort, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from ..audit import services as audit
from ..auth.roles import AGENT, EVERYONE, OFFICERS, OFFICERS_AND_AGENTS, roles_required
from ..auth.scope import current_scope, get_or_404, scoped
from ..core.rendering import render_page, see_other
from ..core.security import public_url
from ..database import begin_write
from ..events.models import LEAFLET_AUDIENCES, Event, event_agents
from ..extensions import db
from ..jobs import services as jobs
from ..org.models import Agent
from ..results.models import Invitation
from . import documents, leaflet, report, services
from .blueprint import bp
from .forms import LeafletAudienceForm, StartJobForm
from .labels import AUDIENCE_LABELS
from .renderer import renderer

#: Why there are no letters to print yet, and where they come from.
NO_LETTERS = _l("Nobody is invited to this event yet: a household gets a letter when its visit on the pre-visit list "
                "is recorded as “Invited”.")


def pdf_response(obj, kind: str, template: str, context: dict, *, object_type: str = "event",
                 filename: str | None = None, **details) -> Response:
    """Audit the print (committed before the document is made), render it and send it inline."""
    begin_write()
    audit.record("print." + kind, obj=obj, object_type=object_type, details=details)
    db.session.commit()
    pdf = renderer().render_pdf(template, context)
    name = filename or f"{kind}-{obj.id if obj is not None else 'list'}.pdf"
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}"', "Cache-Control": "no-store"})


def _agent_filter() -> int | None:
    scope = current_scope()
    if scope.kind == "agent":
        return scope.agent_id
    return request.args.get("agent", type=int)


def _context(event: Event, form: LeafletAudienceForm | None = None) -> dict:
    agents = db.session.scalars(scoped(Agent).where(Agent.id.in_(select(event_agents.c.agent_id).where(
        event_agents.c.event_id == event.id))).order_by(Agent.sort_key)).all()
    is_officer = current_user.role in OFFICERS
    audience = leaflet.audience_of(event)
    return {"event": event, "agents": agents, "is_officer": is_officer, "is_agent": current_user.role == AGENT,
            "audience_form": form or LeafletAudienceForm(audience=audience), "audience": audience,
            "job_form": StartJobForm(), "note_max": leaflet.NOTE_MAX,
            "letters": db.session.scalar(select(func.count()).select_from(Invitation).where(
                Invitation.event_id == event.id)) or 0,
            "jobs": jobs.recent_for(current_user, event=event) if is_officer else [], "no_letters": NO_LETTERS}


@bp.get("/events/<int:event_id>/documents")
@roles_required(EVERYONE)
def index(event_id: int):
    """What can be printed for the event."""
    event = get_or_404(Event, event_id)
    return render_page("documents/index.html", _context(event))


@bp.post("/events/<int:event_id>/leaflet-audience")
@roles_required(OFFICERS)
def leaflet_audience(event_id: int):
    """Choose the leaflet variant for the event's audience."""
    event = get_or_404(Event, event_id)
    form = LeafletAudienceForm()
    if not form.validate_on_submit():
        return render_page("documents/index.html", _context(event, form), status=422)
    services.set_leaflet_audience(event, form.audience.data)
    db.session.commit()
    return see_other("documents.index", _("Leaflet variant saved: %(label)s.", label=AUDIENCE_LABELS[form.audience.data]),
                     event_id=event.id)


@bp.get("/events/<int:event_id>/print/leaflet.pdf")
@roles_required(OFFICERS)
def leaflet_pdf(event_id: int):
    """The event's leaflet in the variant asked for (or the one chosen), with an optional local note."""
    event = get_or_404(Event, event_id)
    asked = request.args.get("audience")
    if asked and asked not in LEAFLET_AUDIENCES:
        abort(404)
    audience = leaflet.audience_of(event, asked)
    note = leaflet.clean_note(request.args.get("note"))
    room = leaflet.note_room(event, audience, note)
    if room is not None:
        return see_other("documents.index", _("The local note does not fit on the one-page leaflet: about %(n)d of its %(given)d characters "
                                         "fit. Shorten the note.", n=room, given=len(note)),
                         "error", event_id=event.id)
    context = leaflet.leaflets([(event, audience)], note)
    return pdf_response(event, "leaflet", "leaflet.html", context, filename=f"to-roi-{event.id}-{audience}.pdf",
                        audience=audience, note=bool(note))


@bp.get("/events/<int:event_id>/print/report.pdf")
@roles_required(OFFICERS)
def report_pdf(event_id: int):
    """The event's results report (biên bản) with attendance and sign-ups against the plan."""
    event = get_or_404(Event, event_id)
    return pdf_response(event, "results_report", "report.html", report.results_report(event),
                        filename=f"bien-ban-{event.id}.pdf")


@bp.get("/events/<int:event_id>/print/attendance.pdf")
@roles_required(OFFICERS)
def attendance(event_id: int):
    """The attendance (signature) sheet."""
    event = get_or_404(Event, event_id)
    begin_write()  # the first print numbers the sheet
    return pdf_response(event, "attendance_sheet", "sheet.html", documents.attendance_sheet(event))


@bp.get("/events/<int:event_id>/print/signup-sheet.pdf")
@roles_required(OFFICERS_AND_AGENTS)
def signup_sheet(event_id: int):
    """The sign-up sheet with the registration fields."""
    event = get_or_404(Event, event_id)
    begin_write()
    return pdf_response(event, "signup_sheet", "signup_sheet.html", documents.signup_sheet(event))


@bp.get("/events/<int:event_id>/print/visits.pdf")
@roles_required(OFFICERS_AND_AGENTS)
def visits(event_id: int):
    """A visit list in walking order (an agent prints only their own)."""
    event = get_or_404(Event, event_id)
    agent_id = _agent_filter()
    return pdf_response(event, "visit_list", "sheet.html", documents.visit_list(event, agent_id), agent_id=agent_id)


@bp.get("/events/<int:event_id>/print/invitations.pdf")
@roles_required(OFFICERS_AND_AGENTS)
def invitations(event_id: int):
    """Invitation letters with QR codes (an agent prints those they deliver)."""
    event = get_or_404(Event, event_id)
    agent_id = _agent_filter()
    begin_write()
    context = documents.invitations(event, public_url(), agent_id)
    if not context["letters"]:
        db.session.rollback()
        return see_other("documents.index", NO_LETTERS, "warning", event_id=event.id)
    return pdf_response(event, "invitations", "invitations.html", context, agent_id=agent_id,
                        letters=len(context["letters"]))
