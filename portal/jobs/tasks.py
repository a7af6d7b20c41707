"""What each kind of job does. Runs in a worker, inside an app context, without a request."""

from __future__ import annotations

import logging
import re
import unicodedata

from flask_babel import force_locale, pgettext
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..auth.models import User
from ..campaigns.models import Campaign
from ..core import imports
from ..events.models import Event
from ..extensions import db
from . import services
from .models import Job

log = logging.getLogger(__name__)


def slug(text: str) -> str:
    """An ASCII file-name part of a Vietnamese text."""
    ascii_text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = ascii_text.encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower()[:60] or "tai-lieu"


class JobFailed(Exception):
    """A job stopped for a reason the user should read (Vietnamese)."""


def execute(job_id: int) -> None:
    """Run a job and record its outcome; never raises for the job's own failures."""
    job = services.start(job_id)
    if job is None:
        return
    try:
        with force_locale("vi"):
            KINDS[job.kind](job)
    except JobFailed as failure:
        services.fail(job_id, str(failure))
    except Exception as error:  # noqa: BLE001 - the reason goes on the row, the trace to the log
        log.exception("job %s (%s) failed", job_id, job.kind)
        services.fail(job_id, pgettext("job", "Error while processing: %(error)s. Please try again or tell an "
                                          "administrator.", error=type(error).__name__))


def _per_chunk(default: int) -> int:
    from flask import current_app

    return int(current_app.config.get("JOBS_PER_CHUNK") or default)


def _print(job: Job, template: str, context: dict, *, total: int, what: str, chunk: int, filename: str,
           message: str) -> None:
    """Render a print template to one PDF, telling the job's progress ("Đã in 3/10 <what>…"), and keep it as
    the job's result under ``filename``."""
    from ..printing import renderer

    services.progress(job.id, 0, total, pgettext("job", "Printing %(total)s %(what)s…", total=total, what=what))
    target = services.new_result_path()
    try:
        renderer().render_to_file(template, context, target, per_chunk=_per_chunk(chunk),
                                  progress=lambda done, all_: services.progress(job.id, done, all_, pgettext(
                                      "job", "Printed %(done)s/%(total)s %(what)s…", done=done, total=all_,
                                      what=what)))
        services.finish(job.id, target, filename, message)
    finally:
        target.unlink(missing_ok=True)  # stored by finish, or left half-made by a failure


def invitations(job: Job) -> None:
    """Every invitation letter of an event, in one PDF."""
    from ..printing import documents

    event = db.session.get(Event, job.event_id) if job.event_id else None
    if event is None:
        raise JobFailed(pgettext("job", "The conference is no longer in the system."))
    context = documents.invitations(event, job.params.get("base_url") or "/", job.params.get("agent_id"))
    db.session.commit()  # sheet numbers given on the way
    total = len(context["letters"])
    if not total:
        raise JobFailed(pgettext("job", "No household has been invited to this conference yet."))
    _print(job, "invitations.html", context, total=total, what=pgettext("job", "invitation letters"), chunk=100,
           filename=f"giay-moi-{slug(event.title)}-{event.id}.pdf",
           message=pgettext("job", "Printed all %(total)s invitation letters.", total=total))


def campaign_leaflets(job: Job) -> None:
    """The leaflet of every event of a campaign (the ones the asker could see), each in its chosen variant."""
    from ..printing import leaflet

    campaign = db.session.get(Campaign, job.campaign_id) if job.campaign_id else None
    if campaign is None:
        raise JobFailed(pgettext("job", "The campaign is no longer in the system."))
    ids = [int(i) for i in job.params.get("event_ids") or []]
    events = list(db.session.scalars(db.select(Event).where(Event.id.in_(ids), Event.status != "cancelled")
                                     .order_by(Event.starts_at, Event.id))) if ids else []
    if not events:
        raise JobFailed(pgettext("job", "The campaign has no conference to print leaflets for yet."))
    total = len(events)
    pages = []
    for n, event in enumerate(events, start=1):
        pages.append((event, leaflet.audience_of(event)))
        if n % 50 == 0:
            services.progress(job.id, 0, total, pgettext("job", "Preparing %(n)s/%(total)s leaflets…", n=n,
                                                         total=total))
    context = leaflet.leaflets(pages)
    if any(page["table"] is None for page in context["leaflets"]):
        raise JobFailed(pgettext("job", "There are no policy parameters (poverty line, base salary, support rates) "
                                        "for the conference's day; an administrator must enter them before the "
                                        "leaflets are printed."))
    _print(job, "leaflet.html", context, total=total, what=pgettext("job", "leaflets"), chunk=25,
           filename=f"to-roi-{slug(campaign.name)}-{campaign.id}.pdf",
           message=pgettext("job", "Printed the leaflets of %(total)s conferences.", total=total))


def _import(job: Job, *, writing: bool) -> None:
    """Analyse an uploaded file into its report, or analyse it again and write it (one transaction)."""
    user = db.session.get(User, job.requested_by_id) if job.requested_by_id else None
    if user is None:
        raise JobFailed(_("The uploaded file has expired; upload it again."))
    try:
        message = imports.run(job.params, user, writing=writing,
                              progress=lambda text: services.progress(job.id, 0, 0, text))
        services.complete(job.id, message)
    except imports.Conflict as conflict:
        db.session.rollback()
        raise JobFailed(str(conflict)) from conflict
    except IntegrityError as error:
        db.session.rollback()
        raise JobFailed(_("Someone changed these records while you checked the file; nothing was written. "
                          "Upload it again to see the current report.")) from error


def import_analysis(job: Job) -> None:
    _import(job, writing=False)


def import_apply(job: Job) -> None:
    _import(job, writing=True)


KINDS = {"invitations": invitations, "campaign_leaflets": campaign_leaflets, "import_analysis": import_analysis,
         "import_apply": import_apply}
