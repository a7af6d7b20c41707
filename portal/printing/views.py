"""The Documents tab of an event and its PDFs; every print of personal data is audited."""

from __future__ import annotations

from flask import Blueprint, Response, abort, request
from flask_login import current_user
from sqlalchemy import select

from ..audit import services as audit
from ..auth.roles import ADMIN, AGENT, LOCAL_OFFICER, PROVINCE_OFFICER, VIEWER, roles_required
from ..auth.scope import current_scope, get_or_404, scoped
from ..core.rendering import render_page
from ..database import begin_write
from ..events.models import Event, event_agents
from ..extensions import db
from ..org.models import Agent
from . import documents
from .renderer import renderer

bp = Blueprint("documents", __name__)
OFFICERS = (ADMIN, PROVINCE_OFFICER, LOCAL_OFFICER)


def _pdf(event: Event, kind: str, template: str, context: dict, **details) -> Response:
    begin_write()
    audit.record("print." + kind, obj=event, object_type="event", details=details)
    db.session.commit()
    pdf = renderer().render_pdf(template, context)
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{kind}-{event.id}.pdf"'})


def _agent_filter() -> int | None:
    scope = current_scope()
    if scope.kind == "agent":
        return scope.agent_id
    return request.args.get("agent", type=int)


@bp.get("/events/<int:event_id>/documents")
@roles_required(*OFFICERS, AGENT, VIEWER)
def index(event_id: int):
    """What can be printed for the event."""
    event = get_or_404(Event, event_id)
    agents = db.session.scalars(scoped(Agent).where(Agent.id.in_(select(event_agents.c.agent_id).where(
        event_agents.c.event_id == event.id))).order_by(Agent.sort_key)).all()
    return render_page("documents/index.html", {"event": event, "agents": agents,
                                                "is_officer": current_user.role in OFFICERS,
                                                "is_agent": current_user.role == AGENT})


@bp.get("/events/<int:event_id>/print/attendance.pdf")
@roles_required(*OFFICERS)
def attendance(event_id: int):
    """The attendance (signature) sheet."""
    event = get_or_404(Event, event_id)
    return _pdf(event, "attendance_sheet", "sheet.html", documents.attendance_sheet(event))


@bp.get("/events/<int:event_id>/print/signup-sheet.pdf")
@roles_required(*OFFICERS, AGENT)
def signup_sheet(event_id: int):
    """The sign-up sheet with the registration fields."""
    event = get_or_404(Event, event_id)
    return _pdf(event, "signup_sheet", "sheet.html", documents.signup_sheet(event))


@bp.get("/events/<int:event_id>/print/visits.pdf")
@roles_required(*OFFICERS, AGENT)
def visits(event_id: int):
    """A visit list in walking order (an agent prints only their own)."""
    event = get_or_404(Event, event_id)
    agent_id = _agent_filter()
    return _pdf(event, "visit_list", "sheet.html", documents.visit_list(event, agent_id), agent_id=agent_id)


@bp.get("/events/<int:event_id>/print/invitations.pdf")
@roles_required(*OFFICERS, AGENT)
def invitations(event_id: int):
    """Invitation letters with QR codes (an agent prints those they deliver)."""
    event = get_or_404(Event, event_id)
    agent_id = _agent_filter()
    base = request.url_root
    context = documents.invitations(event, base, agent_id)
    if not context["letters"]:
        abort(404)
    return _pdf(event, "invitations", "invitations.html", context, agent_id=agent_id, letters=len(context["letters"]))


