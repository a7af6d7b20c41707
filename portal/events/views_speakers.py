"""The register of speakers (báo cáo viên) with their events."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from ..audit import services as audit
from ..auth.roles import ADMIN, LOCAL_OFFICER, PROVINCE_OFFICER, VIEWER, roles_required
from ..auth.scope import get_or_404, scoped
from ..core import nav
from ..core.rendering import render_page
from ..extensions import db
from ..households import normalise
from ..org.models import Office
from . import bp
from .forms import SpeakerForm
from .models import Event, Speaker, event_speakers

EDITORS = (ADMIN, PROVINCE_OFFICER, LOCAL_OFFICER)
nav.register("events.speakers", _l("Speakers"), set(EDITORS), order=35)


@bp.get("/speakers")
@roles_required(*EDITORS, VIEWER)
def speakers():
    """Speakers of the offices in the user's area."""
    rows = db.session.scalars(scoped(Speaker).order_by(Speaker.active.desc(), Speaker.sort_key)).all()
    return render_page("events/speakers.html", {"speakers": rows, "can_edit": current_user.role in EDITORS})


@bp.get("/speakers/<int:speaker_id>")
@roles_required(*EDITORS, VIEWER)
def speaker(speaker_id: int):
    """A speaker and the events they speak at, past and upcoming."""
    row = get_or_404(Speaker, speaker_id)
    events = db.session.scalars(scoped(Event).where(Event.id.in_(
        select(event_speakers.c.event_id).where(event_speakers.c.speaker_id == row.id))).order_by(
        Event.starts_at.desc())).all()
    return render_page("events/speaker.html", {"speaker": row, "events": events,
                                               "can_edit": current_user.role in EDITORS})


def _save(row: Speaker | None):
    form = SpeakerForm(obj=row)
    form.office_id.choices = [SelectChoice(o.id, o.name) for o in db.session.scalars(
        scoped(Office).order_by(Office.sort_key))]
    status = 200
    if form.validate_on_submit():
        try:
            phone = normalise.phone(form.phone.data)
            name = normalise.person_name(form.full_name.data)
        except normalise.Invalid as exc:
            form.phone.errors.append(str(exc))
            status = 422
        else:
            creating = row is None
            row = row or Speaker()
            row.set_name(name)
            row.position = (form.position.data or "").strip() or None
            row.phone = phone
            row.office_id = form.office_id.data
            row.active = form.active.data
            db.session.add(row)
            db.session.flush()
            audit.record("speaker.create" if creating else "speaker.update", obj=row, object_type="speaker")
            db.session.commit()
            flash(_("The speaker was saved."), "success")
            return redirect(url_for("events.speaker", speaker_id=row.id), code=303)
    elif form.is_submitted():
        status = 422
    return render_page("events/speaker_form.html", {"form": form, "speaker": row}, status=status)


@bp.route("/speakers/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def speaker_new():
    """Add a speaker to the register."""
    return _save(None)


@bp.route("/speakers/<int:speaker_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def speaker_edit(speaker_id: int):
    """Change a speaker."""
    return _save(get_or_404(Speaker, speaker_id))
