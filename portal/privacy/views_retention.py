"""The retention page: how long each kind of record is kept, and what the last runs deleted."""

from __future__ import annotations

from ..auth.auth_helpers import ADMIN_ONLY
from ..core.rendering import render_page
from . import bp, retention


@bp.get("/retention")
@ADMIN_ONLY
def retention_page():
    """Settings in force (and their defaults) and the last runs of ``flask retention apply``."""
    return render_page("privacy/retention.html", {"settings": retention.settings(), "runs": retention.last_runs(10),
                                                  "rules": {r.key: r for r in retention.RULES}})
