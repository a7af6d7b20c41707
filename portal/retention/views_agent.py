"""The agent's due worklist on the phone ("Việc của tôi" › due payments): the agent's people whose payment
falls due, one tap per outcome, a date picker for a promise."""

from __future__ import annotations

import secrets

from flask import request, url_for

from ..auth.roles import AGENTS, roles_required
from ..auth.scope import current_scope
from ..core.rendering import render_page
from ..i18n.formatting import local_today
from . import queries
from .blueprint import bp
from .models import SCHEMES
from .views import hook_labels

#: Which people the worklist shows: to remind now (default), done (promised or settled), all.
SHOWS = ("todo", "done", "all")


@bp.get("/my/due")
@roles_required(AGENTS)
def my_due():
    """The signed-in agent's people to remind, per hamlet: due soon, lapsed lately, or promised for today."""
    scope = current_scope()
    scheme = request.args.get("scheme") if request.args.get("scheme") in SCHEMES else "bhxh_tn"
    show = request.args.get("show") if request.args.get("show") in SHOWS else "todo"
    method = "phone" if request.args.get("how") == "phone" else "visit"
    today = local_today()
    work = queries.worklist(scheme=scheme, scope=scope, agent_id=scope.agent_id, today=today)
    here = url_for("retention.my_due", scheme=scheme, show=show, how=method if method == "phone" else None)
    context = {"work": work, "hamlets": work.by_hamlet(show), "scheme": scheme, "show": show, "method": method,
               "today": today, "hooks": hook_labels(), "here": here,
               "submission_key": secrets.token_urlsafe(12)}
    return render_page("retention/my_due.html", context)
