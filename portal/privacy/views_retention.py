"""The retention page: how long each kind of record is kept, and what the last runs deleted."""

from __future__ import annotations

from ..auth.roles import ADMINS, roles_required
from ..core.rendering import render_page
from . import retention
from .blueprint import bp


@bp.get("/retention")
@roles_required(ADMINS)
def retention_page():
    """Settings in force (and their defaults) and the last runs of ``flask retention apply``."""
    return render_page("privacy/retention.html", {"settings": retention.settings(), "runs": retention.last_runs(10),
                                                  "rules": {r.key: r for r in retention.RULES}})
