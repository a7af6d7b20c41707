"""Reminder slips for an agent's due-payment round as PDF (the agent's own worklist, or an agent of the officer's
area); audited."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.roles import OFFICERS_AND_AGENTS, roles_required
from ..auth.scope import AGENT, current_scope, get_or_404
from ..core.rendering import see_other
from ..i18n.formatting import local_today
from ..org.models import Agent
from ..retention import queries
from ..retention.models import SCHEMES
from . import reminder_slips
from .views import bp, pdf_response


@bp.get("/retention/slips.pdf")
@roles_required(OFFICERS_AND_AGENTS)
def reminder_slips_pdf():
    """The slips of the people an agent still has to remind (an agent: their own; an officer: ?agent=)."""
    scope = current_scope()
    scheme = request.args.get("scheme") if request.args.get("scheme") in SCHEMES else "bhxh_tn"
    agent_id = request.args.get("agent", type=int) or (scope.agent_id if scope.kind == AGENT else None)
    if not agent_id:
        return see_other("retention.figures", _("Choose the agent whose round the slips are for."),
                         "error", group="agent")
    agent = get_or_404(Agent, agent_id)  # an agent reaches only their own
    today = local_today()
    work = queries.worklist(scheme=scheme, scope=scope, agent_id=agent.id, today=today)
    context = reminder_slips.reminder_slips(work, agent, scheme, current_user, today=today)
    if not context["pages"]:
        flash(_("Nobody to remind on this round."), "warning")
        return redirect(url_for("retention.my_due", scheme=scheme) if scope.kind == AGENT
                        else url_for("retention.figures", group="agent"), code=303)
    return pdf_response(agent, "reminder_slips", "reminder_slips.html", context, object_type="agent",
                        filename=f"phieu-nhac-dong-{today.isoformat()}.pdf", scheme=scheme,
                        rows=sum(len(page) for page in context["pages"]))
