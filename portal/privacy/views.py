"""Data-protection pages: the overview and a person's data report (page, PDF, JSON; every view audited)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from flask import Response
from flask_babel import force_locale, pgettext
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..audit import services as audit
from ..auth.roles import ADMINS, roles_required
from ..auth.scope import get_or_404
from ..core.rendering import render_page
from ..database import begin_write
from ..extensions import db
from ..geo.models import Commune, Province
from ..households.models import Person
from ..i18n.formatting import local_today
from ..org.models import Office
from ..printing.renderer import renderer
from . import report, retention
from .blueprint import bp
from .erasure import person_erased
from .forms import LookupForm
from .labels import plain_labels
from .models import OPEN_STATUSES, DataSubjectRequest


@bp.get("/")
@roles_required(ADMINS)
def index():
    """What needs attention: open requests and their deadlines, the last retention run, the tools."""
    today = local_today()
    open_requests = DataSubjectRequest.status.in_(OPEN_STATUSES)
    counts = {
        "open": db.session.scalar(select(func.count()).where(open_requests)),
        "ack_late": db.session.scalar(select(func.count()).where(
            DataSubjectRequest.status == "received", DataSubjectRequest.acknowledge_by < today)),
        "answer_late": db.session.scalar(select(func.count()).where(
            open_requests, DataSubjectRequest.answer_by < today)),
    }
    runs = retention.last_runs(1)
    return render_page("privacy/index.html", {"counts": counts, "last_run": runs[0] if runs else None,
                                              "form": LookupForm(formdata=None)})


@bp.route("/people", methods=["GET", "POST"])
@roles_required(ADMINS)
def lookup():
    """Find a person by CCCD, insurance code or name; the numbers travel in the POST body only."""
    form = LookupForm()
    people: list[Person] | None = None
    status = 200
    if form.is_submitted():
        if form.validate():
            people = report.find_people(cccd=getattr(form.cccd, "clean", None),
                                        bhxh_code=getattr(form.bhxh_code, "clean", None), name=form.name.data)
            by = [k for k in ("cccd", "bhxh_code", "name") if getattr(form, k).data]
            audit.record("privacy.lookup", object_type="person", details={"by": by, "found": len(people)})
            db.session.commit()
        else:
            status = 422
    places = report.places(people) if people else {}
    return render_page("privacy/lookup.html", {"form": form, "people": people, "places": places}, status=status)


def _report(person_id: int) -> tuple[Person, dict]:
    person = get_or_404(Person, person_id)
    return person, report.person_report(person)


def _audit(action: str, person: Person) -> None:
    begin_write()
    audit.record(action, object_type="person", object_id=person.id)
    db.session.commit()


@bp.get("/people/<int:person_id>")
@roles_required(ADMINS)
def person_report(person_id: int):
    """Everything held about one person and who viewed, printed or exported it (audited)."""
    person, data = _report(person_id)
    response = render_page("privacy/person.html", {"data": data, "person_id": person.id,
                                                   "erased": person_erased(person), "today": local_today()})
    _audit("privacy.report_view", person)
    return response


def _json_default(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


@bp.get("/people/<int:person_id>/report.json")
@roles_required(ADMINS)
def person_report_json(person_id: int):
    """The report as JSON, for a data-access answer (audited)."""
    person, data = _report(person_id)
    _audit("privacy.report_json", person)
    body = json.dumps({"generated_at": datetime.now(UTC).isoformat(timespec="seconds"), **data},
                      default=_json_default, ensure_ascii=False, indent=1)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="du-lieu-ca-nhan-{person.id}.json"'})


def _issuer(person: Person) -> dict:
    """The province office of the person's commune issues the report (Decree 30/2020 header)."""
    commune = db.session.get(Commune, person.commune_id)
    province = db.session.get(Province, commune.province_id)
    office = db.session.scalar(select(Office).where(Office.kind == "province", Office.province_id == province.id)
                               .order_by(Office.id).limit(1))
    with force_locale("vi"):  # the document is in Vietnamese whatever the interface language
        return {"title": _("Personal data report"), "issuer_superior": _("Vietnam Social Security"),
                "date": local_today(), "place": province.name,
                "issuer_name": office.name if office else pgettext(
                    "document", "Social Security of %(province)s", province=province.full_name)}


@bp.get("/people/<int:person_id>/report.pdf")
@roles_required(ADMINS)
def person_report_pdf(person_id: int):
    """The report as a printed document in Vietnamese (audited)."""
    person, data = _report(person_id)
    _audit("privacy.report_pdf", person)
    context = {"data": data, "labels": plain_labels("vi"), **_issuer(person)}
    pdf = renderer().render_pdf("person_report.html", context, use_cache=False)
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="du-lieu-ca-nhan-{person.id}.pdf"'})

