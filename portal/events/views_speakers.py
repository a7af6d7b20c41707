"""The register of speakers (báo cáo viên) of each office, with their events."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from ..auth.roles import OFFICERS, READERS, roles_required
from ..auth.scope import current_scope, get_or_404, scoped
from ..core.rendering import render_page, see_other
from ..extensions import db
from ..i18n import normalise
from ..i18n.collation import fold_diacritics
from ..org.models import Office
from ..types import utcnow
from . import queries, services
from .blueprint import bp
from .forms import SpeakerForm
from .models import Speaker


@bp.get("/speakers")
@roles_required(READERS)
def speakers():
    """Speakers of the offices in the user's area, active first, by given name; search by name."""
    q = (request.args.get("q") or "").strip()
    rows = list(db.session.scalars(scoped(Speaker).order_by(Speaker.active.desc(), Speaker.sort_key)))
    if q:
        folded = fold_diacritics(q)
        rows = [s for s in rows if folded in fold_diacritics(s.full_name)]
    context = {"speakers": rows, "q": q, "office_names": queries.names(Office, {s.office_id for s in rows}),
               "upcoming": queries.upcoming_counts([s.id for s in rows], utcnow()),
               "can_edit": current_user.role in OFFICERS}
    return render_page("events/speakers.html", context, fragment="results")


@bp.get("/speakers/<int:speaker_id>")
@roles_required(READERS)
def speaker(speaker_id: int):
    """A speaker and the events they speak at, upcoming and past."""
    row = get_or_404(Speaker, speaker_id)
    events = queries.speaker_events(row.id)
    now = utcnow()
    context = {"speaker": row, "office_name": queries.names(Office, [row.office_id]).get(row.office_id, ""),
               "upcoming": sorted((e for e in events if e.ends_at >= now), key=lambda e: e.starts_at),
               "past": [e for e in events if e.ends_at < now],
               "can_edit": current_user.role in OFFICERS}
    return render_page("events/speaker.html", context)


def _save(row: Speaker | None):
    form = SpeakerForm(obj=row)
    offices = db.session.scalars(scoped(Office).order_by(Office.kind.desc(), Office.sort_key)).all()
    form.office_id.choices = [SelectChoice(o.id, o.name) for o in offices]
    if request.method == "GET" and row is None and current_scope().office_id in {o.id for o in offices}:
        form.office_id.data = current_scope().office_id
    status = 200
    if form.is_submitted():
        status = 422
        valid = form.validate()
        if form.office_id.data not in {o.id for o in offices}:
            form.office_id.errors.append(_("Choose an office from the list."))
            valid = False
        name = phone = None
        try:
            name = normalise.person_name(form.full_name.data) if form.full_name.data else None
        except normalise.Invalid as exc:
            form.full_name.errors.append(str(exc))
            valid = False
        try:
            phone = normalise.phone(form.phone.data)
        except normalise.Invalid as exc:
            form.phone.errors.append(str(exc))
            valid = False
        if valid and name:
            row = services.save_speaker(row, full_name=name, position=" ".join((form.position.data or "").split())
                                        or None, phone=phone, office_id=form.office_id.data,
                                        active=form.active.data)
            db.session.commit()
            return see_other("events.speaker", _("The speaker was saved."), speaker_id=row.id)
    return render_page("events/speaker_form.html", {"form": form, "speaker": row}, status=status)


@bp.route("/speakers/new", methods=["GET", "POST"])
@roles_required(OFFICERS)
def speaker_new():
    """Add a speaker to an office's register."""
    return _save(None)


@bp.route("/speakers/<int:speaker_id>/edit", methods=["GET", "POST"])
@roles_required(OFFICERS)
def speaker_edit(speaker_id: int):
    """Change a speaker (an inactive one stays on past events but is not offered for new ones)."""
    return _save(get_or_404(Speaker, speaker_id))
