"""Households and people: search, pages, edits, tags, due-payment lists and exports."""

from __future__ import annotations

from datetime import timedelta

from flask import Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError
from wtforms import SelectChoice

from ..audit import services as audit
from ..auth.roles import ADMIN, LOCAL_OFFICER, PROVINCE_OFFICER, all_roles, roles_required
from ..auth.scope import get_or_404, scoped
from ..core import nav
from ..core.pagination import paginate
from ..core.rendering import render_page
from ..core.xlsx import workbook
from ..database import begin_write
from ..extensions import db
from ..geo.models import Commune, Hamlet
from ..i18n.formatting import local_today, parse_date
from ..org.models import Agent, agent_hamlets
from ..results.models import Attendance, Invitation, SignUp
from ..visits.forms import DECLINE_LABELS, OUTCOME_LABELS, POTENTIAL_GROUP_LABELS
from ..visits.models import Visit
from . import bp, normalise, queries
from .forms import (
    POVERTY_LABELS,
    RELATION_LABELS,
    SEX_LABELS,
    STATUS_LABELS,
    HouseholdForm,
    PersonForm,
)
from .models import POTENTIAL_GROUPS, Household, Person, person_tags
from .services import (
    apply_person_form,
    duplicate_identity,
    place_person,
    set_household_fields,
    set_tags,
    sync_tokens,
)

EDITORS = (ADMIN, PROVINCE_OFFICER, LOCAL_OFFICER)
nav.register("households.search", _l("Households"), all_roles(), order=15)
nav.register("households.due", _l("Due payments"), all_roles(), order=16)


def _filter_from(args, digits: str = "") -> queries.PeopleFilter:
    name = (args.get("q") or "").strip()
    if any(ch.isdigit() for ch in name):
        name = ""  # numbers are searched by POST only, never from a URL
    return queries.PeopleFilter(
        name=name, digits=digits, commune_id=args.get("commune", type=int), hamlet_id=args.get("hamlet", type=int),
        tag=args.get("tag") if args.get("tag") in POTENTIAL_GROUPS else None, status=args.get("status") or None,
        bhyt_expiring_days=args.get("bhyt_days", type=int), min_age=args.get("min_age", type=int),
        max_age=args.get("max_age", type=int))


def _search_context(f: queries.PeopleFilter, message: str | None = None) -> dict:
    stmt = queries.people_query(f, today=local_today())
    page = paginate(stmt, scalars=False)
    count, more = queries.capped_count(stmt)
    communes = db.session.scalars(scoped(Commune).where(Commune.office_id.is_not(None)).order_by(Commune.sort_key))
    hamlets = db.session.scalars(scoped(Hamlet).where(Hamlet.commune_id == f.commune_id).order_by(Hamlet.sort_key)) \
        if f.commune_id else []
    return {"page": page, "filters": f, "count": count, "more": more, "message": message,
            "communes": list(communes), "hamlets": list(hamlets), "tag_labels": POTENTIAL_GROUP_LABELS,
            "status_labels": STATUS_LABELS, "sex_labels": SEX_LABELS, "can_edit": current_user.role in EDITORS,
            "today": local_today()}


@bp.get("/")
@roles_required(*all_roles())
def search():
    """One box finds people and households by name, with or without diacritics; filters narrow it."""
    return render_page("households/search.html", _search_context(_filter_from(request.args)))


@bp.post("/search")
@roles_required(*all_roles())
def search_post():
    """Search by phone, CCCD or social insurance code: the number travels in the body, never in the URL."""
    raw = (request.form.get("q") or "").strip()
    digits = "".join(ch for ch in raw if ch.isdigit())
    message = None
    if raw.startswith("+84"):
        digits = "0" + digits[2:]
    if digits and len(digits) not in (10, 12):
        message = _("A phone or social insurance code has 10 digits, a CCCD 12.")
        digits = "-"
    f = _filter_from(request.form, digits=digits)
    if not digits:
        f.name = raw
    status = 422 if message else 200
    return render_page("households/search.html", _search_context(f, message), status=status,
                       block="results" if request.headers.get("HX-Request") == "true" else None)


@bp.post("/people/tags")
@roles_required(*EDITORS)
def bulk_tags():
    """Add or remove a potential-group tag on the selected people (only those in the user's area)."""
    from flask_wtf.csrf import validate_csrf

    validate_csrf(request.form.get("csrf_token"))
    tag = request.form.get("tag")
    action = request.form.get("action")
    ids = [int(v) for v in request.form.getlist("person") if v.isdigit()]
    if tag not in POTENTIAL_GROUPS or action not in ("add", "remove") or not ids:
        flash(_("Choose people, a group and add or remove."), "warning")
        return redirect(request.referrer or url_for("households.search"), code=303)
    allowed = list(db.session.scalars(scoped(Person, select(Person.id)).where(Person.id.in_(ids))))
    if action == "add":
        present = set(db.session.scalars(select(person_tags.c.person_id).where(
            person_tags.c.tag == tag, person_tags.c.person_id.in_(allowed))))
        new = [{"person_id": p, "tag": tag} for p in allowed if p not in present]
        if new:
            db.session.execute(person_tags.insert(), new)
    else:
        db.session.execute(person_tags.delete().where(person_tags.c.tag == tag,
                                                      person_tags.c.person_id.in_(allowed)))
    audit.record("person.bulk_tag", object_type="person", details={"tag": tag, "action": action,
                                                                   "count": len(allowed),
                                                                   "ignored": len(ids) - len(allowed)})
    db.session.commit()
    flash(_("%(n)d people updated.", n=len(allowed)), "success")
    return redirect(request.referrer or url_for("households.search"), code=303)


def _history(household: Household) -> dict:
    from ..events.models import Event

    visits = db.session.execute(select(Visit, Agent.full_name).outerjoin(Agent, Agent.id == Visit.agent_id)
                                .where(Visit.household_id == household.id).order_by(Visit.recorded_at.desc())).all()
    invitations = db.session.execute(select(Invitation, Event).join(Event, Event.id == Invitation.event_id)
                                     .where(Invitation.household_id == household.id)
                                     .order_by(Event.starts_at.desc())).all()
    attendance = db.session.execute(select(Attendance, Event, Person.full_name).join(
        Event, Event.id == Attendance.event_id).outerjoin(Person, Person.id == Attendance.person_id)
        .where(Attendance.household_id == household.id).order_by(Attendance.checked_in_at.desc())).all()
    signups = db.session.execute(select(SignUp, Person.full_name).join(Person, Person.id == SignUp.person_id)
                                 .where(SignUp.household_id == household.id).order_by(SignUp.signed_on.desc())).all()
    return {"visits": visits, "invitations": invitations, "attendance": attendance, "signups": signups}


@bp.get("/<int:household_id>")
@roles_required(*all_roles())
def household(household_id: int):
    """A household: members, coverage, and its history of visits, invitations, attendance and sign-ups."""
    row = get_or_404(Household, household_id)
    members = db.session.scalars(select(Person).where(Person.household_id == row.id).order_by(
        (Person.relation_to_head != "head"), Person.date_of_birth)).all()
    tags = {}
    for person_id, tag in db.session.execute(select(person_tags.c.person_id, person_tags.c.tag).where(
            person_tags.c.person_id.in_([m.id for m in members]))):
        tags.setdefault(person_id, []).append(tag)
    context = {"household": row, "members": members, "tags": tags, "hamlet": db.session.get(Hamlet, row.hamlet_id),
               "commune": db.session.get(Commune, row.commune_id), "poverty_labels": POVERTY_LABELS,
               "relation_labels": RELATION_LABELS, "status_labels": STATUS_LABELS, "sex_labels": SEX_LABELS,
               "tag_labels": POTENTIAL_GROUP_LABELS, "outcome_labels": OUTCOME_LABELS,
               "decline_labels": DECLINE_LABELS, "can_edit": current_user.role in EDITORS, "today": local_today(),
               **_history(row)}
    return render_page("households/household.html", context)


def _hamlet_choices(form: HouseholdForm) -> None:
    hamlets = db.session.execute(scoped(Hamlet, select(Hamlet.id, Hamlet.name, Commune.name)).join(
        Commune, Commune.id == Hamlet.commune_id).order_by(Commune.sort_key, Hamlet.sort_key)).all()
    form.hamlet_id.choices = [SelectChoice(h, f"{name} — {commune}") for h, name, commune in hamlets]


@bp.route("/<int:household_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit_household(household_id: int):
    """Change a household (hamlet within the user's area, address, head, phone, poverty status, notes)."""
    row = get_or_404(Household, household_id)
    form = HouseholdForm(obj=row)
    _hamlet_choices(form)
    if request.method == "GET":
        form.version.data = str(row.version)
    status = 200
    if form.validate_on_submit():
        hamlet = db.session.scalar(scoped(Hamlet).where(Hamlet.id == form.hamlet_id.data))
        try:
            phone = normalise.phone(form.phone.data)
            head = normalise.person_name(form.head_name.data)
        except normalise.Invalid as exc:
            form.phone.errors.append(str(exc))
            status = 422
        else:
            if hamlet is None:
                abort(404)
            if form.version.data != str(row.version):
                status = 409
                form.head_name.errors.append(_("Someone saved this household after you opened it. Reload the page."))
            else:
                set_household_fields(row, hamlet=hamlet, head_name=head, address=(form.address.data or "").strip())
                row.phone = phone
                row.poverty_status = form.poverty_status.data
                row.notes = (form.notes.data or "").strip() or None
                db.session.execute(Person.__table__.update().where(Person.__table__.c.household_id == row.id)
                                   .values(hamlet_id=row.hamlet_id, commune_id=row.commune_id))
                audit.record("household.update", obj=row, object_type="household")
                try:
                    db.session.commit()
                except StaleDataError:
                    db.session.rollback()
                    abort(409, _("Someone saved this household after you opened it. Reload the page."))
                flash(_("The household was saved."), "success")
                return redirect(url_for("households.household", household_id=row.id), code=303)
    elif form.is_submitted():
        status = 422
    return render_page("households/household_form.html", {"form": form, "household": row}, status=status)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new_household():
    """Add a household with its head."""
    form = HouseholdForm()
    _hamlet_choices(form)
    status = 200
    if form.validate_on_submit():
        hamlet = db.session.scalar(scoped(Hamlet).where(Hamlet.id == form.hamlet_id.data))
        try:
            phone = normalise.phone(form.phone.data)
            head = normalise.person_name(form.head_name.data)
        except normalise.Invalid as exc:
            form.phone.errors.append(str(exc))
            status = 422
        else:
            if hamlet is None:
                abort(404)
            row = Household(poverty_status=form.poverty_status.data, phone=phone,
                            notes=(form.notes.data or "").strip() or None)
            set_household_fields(row, hamlet=hamlet, head_name=head, address=(form.address.data or "").strip())
            exists = db.session.scalar(select(Household.id).where(Household.hamlet_id == hamlet.id,
                                                                  Household.match_key == row.match_key))
            if exists:
                form.head_name.errors.append(_("This household is already registered in the hamlet."))
                status = 422
            else:
                db.session.add(row)
                db.session.flush()
                person = Person(relation_to_head="head", phone=phone)
                person.set_name(head)
                place_person(person, row)
                db.session.add(person)
                db.session.flush()
                sync_tokens(person)
                audit.record("household.create", obj=row, object_type="household")
                db.session.commit()
                flash(_("The household was saved."), "success")
                return redirect(url_for("households.household", household_id=row.id), code=303)
    elif form.is_submitted():
        status = 422
    return render_page("households/household_form.html", {"form": form, "household": None}, status=status)


@bp.get("/people/<int:person_id>")
@roles_required(*all_roles())
def person(person_id: int):
    """A person's identity, groups and coverage (ID numbers shown to officers only)."""
    row = get_or_404(Person, person_id)
    tags = list(db.session.scalars(select(person_tags.c.tag).where(person_tags.c.person_id == row.id)))
    context = {"person": row, "household": db.session.get(Household, row.household_id), "tags": tags,
               "tag_labels": POTENTIAL_GROUP_LABELS, "status_labels": STATUS_LABELS, "sex_labels": SEX_LABELS,
               "relation_labels": RELATION_LABELS, "can_edit": current_user.role in EDITORS,
               "show_ids": current_user.role in (*EDITORS, "agent")}
    return render_page("households/person.html", context)


def _person_form(row: Person | None, household: Household):
    form = PersonForm(obj=row)
    if request.method == "GET" and row is not None:
        form.tags.data = list(db.session.scalars(select(person_tags.c.tag).where(person_tags.c.person_id == row.id)))
        form.version.data = str(row.version)
        form.sex.data = row.sex or ""
        form.income_band.data = row.income_band or ""
    status = 200
    if form.validate_on_submit():
        creating = row is None
        target = row or Person(household_id=household.id)
        if not creating and form.version.data != str(target.version):
            form.full_name.errors.append(_("Someone saved this person after you opened it. Reload the page."))
            return render_page("households/person_form.html", {"form": form, "person": row, "household": household},
                               status=409)
        try:
            changed = apply_person_form(target, form, creating=creating)
        except normalise.Invalid as exc:
            getattr(form, exc.field).errors.append(str(exc))
            db.session.rollback()
            status = 422
        else:
            duplicate = duplicate_identity(None if creating else target.id, target.cccd, target.bhxh_code)
            if duplicate:
                db.session.rollback()
                getattr(form, duplicate).errors.append(_("This number already belongs to another person."))
                status = 422
            else:
                if creating:
                    place_person(target, household)
                    db.session.add(target)
                db.session.flush()
                sync_tokens(target)
                set_tags(target, set(form.tags.data or []))
                audit.record("person.create" if creating else "person.update", obj=target, object_type="person",
                             details={"fields": changed})
                db.session.commit()
                flash(_("Saved."), "success")
                return redirect(url_for("households.household", household_id=household.id), code=303)
    elif form.is_submitted():
        status = 422
    return render_page("households/person_form.html", {"form": form, "person": row, "household": household},
                       status=status)


@bp.route("/people/<int:person_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit_person(person_id: int):
    """Change a person (identity numbers must stay unique)."""
    row = get_or_404(Person, person_id)
    return _person_form(row, db.session.get(Household, row.household_id))


@bp.route("/<int:household_id>/members/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def add_member(household_id: int):
    """Add a member to a household."""
    return _person_form(None, get_or_404(Household, household_id))


DUE_KINDS = {"paid_until": _l("Payment falls due"), "stopped": _l("Stopped paying"),
             "bhyt_expiring": _l("Health insurance card expiring"), "bhyt_expired": _l("Health insurance card expired")}


def _due_args():
    kind = request.args.get("kind") if request.args.get("kind") in DUE_KINDS else "paid_until"
    days = max(1, min(request.args.get("days", 30, type=int), 3650))
    today = local_today()
    start, end = (today - timedelta(days=days), today - timedelta(days=1)) if kind == "bhyt_expired" else (
        today, today + timedelta(days=days))
    try:
        if request.args.get("from"):
            start = parse_date(request.args["from"])
        if request.args.get("to"):
            end = parse_date(request.args["to"])
    except ValueError:
        pass
    group = "agent" if request.args.get("group") == "agent" else "hamlet"
    return kind, days, start, end, group


def _due_rows(kind, start, end):
    stmt = queries.due_query("bhyt" if kind.startswith("bhyt") else kind, start=start, end=end)
    return db.session.execute(stmt.limit(5000)).all()


def _agents_by_hamlet(hamlet_ids) -> dict[int, list[str]]:
    rows = db.session.execute(select(agent_hamlets.c.hamlet_id, Agent.full_name).join(
        Agent, Agent.id == agent_hamlets.c.agent_id).where(agent_hamlets.c.hamlet_id.in_(list(hamlet_ids)),
                                                           Agent.active.is_(True)).order_by(Agent.sort_key)).all()
    result: dict[int, list[str]] = {}
    for hamlet_id, name in rows:
        result.setdefault(hamlet_id, []).append(name)
    return result


@bp.get("/due")
@roles_required(*all_roles())
def due():
    """Who must be reminded: payments falling due, stopped payers, cards expiring or expired; per hamlet or agent."""
    kind, days, start, end, group = _due_args()
    rows = _due_rows(kind, start, end)
    agents = _agents_by_hamlet({r[4] for r in rows})
    groups: dict[str, list] = {}
    for row in rows:
        keys = agents.get(row[4], [_("No agent")]) if group == "agent" else [row[3]]
        for key in keys:
            groups.setdefault(key, []).append(row)
    if group == "agent":
        groups = dict(sorted(groups.items()))
    context = {"kind": kind, "days": days, "start": start, "end": end, "group": group, "groups": groups,
               "kinds": DUE_KINDS, "total": len(rows), "status_labels": STATUS_LABELS}
    return render_page("households/due.html", context)


def _export(filename: str, title: str, headers: list[str], rows: list, action: str, details: dict, **kw) -> Response:
    begin_write()
    audit.record(action, object_type="export", details={**details, "rows": len(rows)})
    db.session.commit()
    data = workbook(title, headers, rows, **kw)
    return Response(data, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/due.xlsx")
@roles_required(*all_roles())
def due_xlsx():
    """The due-payment list as XLSX (audited)."""
    kind, days, start, end, group = _due_args()
    rows = _due_rows(kind, start, end)
    agents = _agents_by_hamlet({r[4] for r in rows})
    out = [[i + 1, p.full_name, p.date_of_birth, head, address or "", hamlet, p.phone or "",
            str(STATUS_LABELS[p.bhxh_tn_status]), p.paid_until, p.bhyt_expires_on, ", ".join(agents.get(hid, []))]
           for i, (p, head, address, hamlet, hid) in enumerate(rows)]
    headers = [_("No."), _("Full name"), _("Date of birth"), _("Head of household"), _("Address"), _("Hamlet"),
               _("Phone"), _("Voluntary social insurance"), _("Paid until"), _("Health insurance card valid until"),
               _("Agents")]
    return _export("den-han-dong.xlsx", str(_("Due payments")), headers, out, "export.due_list",
                   {"kind": kind, "from": start.isoformat(), "to": end.isoformat()}, text_columns=[6],
                   widths=[6, 26, 12, 26, 24, 20, 13, 16, 12, 12, 26])


@bp.get("/export.xlsx")
@roles_required(*all_roles())
def export_xlsx():
    """The filtered list of people as XLSX (audited; ID numbers are kept as text)."""
    f = _filter_from(request.args)
    rows = db.session.execute(queries.people_query(f, today=local_today()).limit(20000)).all()
    out = [[i + 1, p.full_name, p.date_of_birth, str(SEX_LABELS.get(p.sex, "")) if p.sex else "", p.cccd or "",
            p.bhxh_code or "", p.phone or "", head, hamlet, str(STATUS_LABELS[p.bhxh_tn_status]), p.paid_until,
            p.bhyt_expires_on] for i, (p, head, hamlet) in enumerate(rows)]
    headers = [_("No."), _("Full name"), _("Date of birth"), _("Sex"), _("CCCD number"), _("Social insurance code"),
               _("Phone"), _("Head of household"), _("Hamlet"), _("Voluntary social insurance"), _("Paid until"),
               _("Health insurance card valid until")]
    return _export("danh-sach-nguoi.xlsx", str(_("People")), headers, out, "export.households",
                   {"filter": {k: v for k, v in f.__dict__.items() if v and k != "digits"}},
                   text_columns=[4, 5, 6], widths=[6, 26, 12, 8, 15, 13, 13, 26, 20, 16, 12, 12])


