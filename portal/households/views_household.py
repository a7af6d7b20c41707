"""Household and person pages, and their forms (validated inline with htmx, 409 on a stale version)."""

from __future__ import annotations

from flask import abort, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from wtforms import SelectChoice

from ..auth import held_elsewhere
from ..auth.roles import EVERYONE, OFFICERS, OFFICERS_AND_AGENTS, roles_required
from ..auth.scope import get_or_404, scoped
from ..core import checks, versions
from ..core.rendering import render_page, see_other
from ..extensions import db
from ..geo.models import Hamlet
from ..i18n.formatting import local_today
from . import queries, services
from .blueprint import bp
from .forms import HouseholdForm, NewHouseholdForm, PersonForm
from .models import Household, Person
from .views_search import can_edit

#: The household form answers its commune's change with the hamlet field alone.
_HAMLETS = {"hamlet-choices": "field_hamlet_id"}

#: Fields that are not checked on their own when they change (``forms.checked`` in the templates).
_NOT_CHECKED = {"csrf_token", "version", "tags", "ethnic_minority", "compulsory_insured", "commune_id"}


def _check_field(form, name: str, person: Person | None = None):
    """Validate the whole form and answer with one field's message (a number held by someone else, too)."""
    if name not in form or name in _NOT_CHECKED:
        abort(400)
    form.field_errors(name)
    if name in ("cccd", "bhxh_code") and not form[name].errors and form.clean.get(name):
        _identity_taken(form, person.id if person else None, form.clean.get("cccd") if name == "cccd" else None,
                        form.clean.get("bhxh_code") if name == "bhxh_code" else None)
    return checks.answer(form, name)


def _identity_taken(form, person_id: int | None, cccd: str | None, bhxh_code: str | None) -> bool:
    """Put the error under the number that already belongs to someone else: who can be found with the search
    box when the user sees them, else only "held elsewhere" (audited, and counted against the user, whose checks
    then wait for a while whatever the numbers). True when a number was refused. A person's own numbers are
    not checked again."""
    if person_id and (current := db.session.get(Person, person_id)) is not None:
        cccd = None if cccd == current.cccd else cccd
        bhxh_code = None if bhxh_code == current.bhxh_code else bhxh_code
    if not (cccd or bhxh_code):
        return False
    try:
        held_elsewhere.check_allowed(current_user)
    except held_elsewhere.TooManyChecks as exc:
        db.session.commit()  # the audit entry
        form["cccd" if cccd else "bhxh_code"].errors = [exc.message]
        return True
    taken = services.identity_holder(person_id, cccd, bhxh_code)
    if taken is None:
        return False
    column, holder = taken
    if db.session.scalar(scoped(Person, select(Person.id)).where(Person.id == holder)) is not None:
        form[column].errors = [_duplicate_message(column)]
        return True
    held_elsewhere.answered(current_user, "person.identity_elsewhere", [holder], {"field": column})
    db.session.commit()  # the audit entry and the count
    form[column].errors = [str(held_elsewhere.MESSAGE)]
    return True


def _duplicate_message(column: str) -> str:
    if column == "cccd":
        return _("This CCCD number is already recorded for another person. Check the number, or find that "
                 "person with the search box.")
    return _("This social insurance code is already recorded for another person. Check the code, or find that "
             "person with the search box.")


# --- Household page ------------------------------------------------------------------------------------------


def _record_view(action: str, object_type: str, object_id: int) -> None:
    """Audit the view of a page of personal data, once the page is rendered."""
    services.record_view(action, object_type, object_id)
    db.session.commit()


@bp.get("/<int:household_id>")
@roles_required(EVERYONE)
def household(household_id: int):
    """A household: its members (head first, then by age), their coverage, and its history."""
    row = get_or_404(Household, household_id)
    members = queries.members(row)
    tags = queries.tags_of(members)
    today = local_today()
    hamlet, commune = queries.place(row.hamlet_id)
    coverage = {"participating": sum(m.bhxh_tn_status == "participating" for m in members),
                "compulsory": sum(m.compulsory_insured for m in members),
                "bhyt": sum(bool(m.bhyt_expires_on and m.bhyt_expires_on >= today) for m in members)}
    context = {"household": row, "members": members, "tags": tags, "hamlet": hamlet, "commune": commune,
               "coverage": coverage, "can_edit": can_edit(), "today": today,
               "can_sign_up": current_user.role in OFFICERS_AND_AGENTS,
               **queries.household_history(row)}
    response = render_page("households/household.html", context)
    _record_view("household.view", "household", row.id)
    return response


def _place_choices(form: HouseholdForm, commune_id: int | None) -> None:
    """Communes of the user's area, and the hamlets of the chosen one."""
    communes = queries.communes_for_households()
    form.commune_id.choices = [SelectChoice(c.id, c.name) for c in communes]
    if commune_id not in {c.id for c in communes}:
        commune_id = communes[0].id if communes else None
    form.commune_id.data = commune_id
    form.hamlet_id.choices = [SelectChoice(h.id, h.name) for h in queries.hamlets_for_households(commune_id)]


def _commune_refresh(form: HouseholdForm, url: str) -> None:
    """Changing the commune reloads the hamlet list (only the commune travels in the URL)."""
    form.commune_id.render_kw = {"hx-get": url, "hx-include": "this", "hx-target": "#hamlet-choices",
                                 "hx-trigger": "change", "hx-swap": "innerHTML"}


def _household_values(form: HouseholdForm) -> dict:
    return {"head_name": form.clean["head_name"], "address": form.clean["address"], "phone": form.clean["phone"],
            "poverty_status": form.poverty_status.data, "notes": form.clean["notes"]}


def _commune_arg(default: int | None) -> int | None:
    if request.method == "POST":
        return request.form.get("commune_id", type=int) or default
    return request.args.get("commune_id", type=int) or default


HOUSEHOLD_FORM = "households/household_form.html"


def _household_unsent(form, context: dict):
    """The answer while the household form is being filled in (an inline check) or comes back invalid; None
    once it is sent and valid."""
    if (name := checks.checking()) is not None:
        return _check_field(form, name)
    if not form.validate_on_submit():
        return render_page(HOUSEHOLD_FORM, context, fragment=_HAMLETS, status=422 if form.is_submitted() else 200)
    return None


@bp.route("/<int:household_id>/edit", methods=["GET", "POST"])
@roles_required(OFFICERS)
def edit_household(household_id: int):
    """Change a household: hamlet in the user's area, address, head, phone, poverty status, notes."""
    row = get_or_404(Household, household_id)
    url = url_for("households.edit_household", household_id=row.id)
    form = HouseholdForm(obj=row) if request.method == "GET" else HouseholdForm()
    _place_choices(form, _commune_arg(row.commune_id))
    if request.method == "GET" and not request.args.get("commune_id"):
        form.hamlet_id.data = row.hamlet_id
        form.version.data = str(row.version)
    _commune_refresh(form, url)
    context = {"form": form, "household": row, "conflict": False, "check_url": url}
    template = HOUSEHOLD_FORM
    if (unsent := _household_unsent(form, context)) is not None:
        return unsent
    if versions.missing(form.version.data):
        return render_page(template, context, fragment=_HAMLETS, status=422)
    if form.version.data != str(row.version):
        return render_page(template, {**context, "conflict": True}, status=409)
    hamlet = get_or_404(Hamlet, form.hamlet_id.data)
    values = _household_values(form)
    if services.household_taken(hamlet.id, values["head_name"], values["address"], exclude_id=row.id):
        form.head_name.errors = [_("A household with this head and address is already registered in the hamlet.")]
        return render_page(template, context, status=422)
    try:  # a change saved meanwhile shows at the flush inside the service or at the commit
        services.update_household(row, hamlet=hamlet, values=values)
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        return render_page(template, {**context, "conflict": True}, status=409)
    return see_other("households.household", _("The household was saved."), household_id=row.id)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(OFFICERS)
def new_household():
    """Register a household in a hamlet of the user's area, with its head."""
    url = url_for("households.new_household")
    form = NewHouseholdForm()
    _place_choices(form, _commune_arg(None))
    _commune_refresh(form, url)
    context = {"form": form, "household": None, "conflict": False, "check_url": url}
    template = HOUSEHOLD_FORM
    if (unsent := _household_unsent(form, context)) is not None:
        return unsent
    hamlet = get_or_404(Hamlet, form.hamlet_id.data)
    values = _household_values(form)
    if services.household_taken(hamlet.id, values["head_name"], values["address"]):
        form.head_name.errors = [_("A household with this head and address is already registered in the hamlet.")]
        return render_page(template, context, status=422)
    if _identity_taken(form, None, form.clean["cccd"], form.clean["bhxh_code"]):
        return render_page(template, context, status=422)
    head = {"sex": form.sex.data or None, "date_of_birth": form.clean["date_of_birth"], "cccd": form.clean["cccd"],
            "bhxh_code": form.clean["bhxh_code"], "ethnicity": form.clean["ethnicity"],
            "ethnic_minority": bool(form.ethnic_minority.data)}
    created = services.create_household(hamlet=hamlet, values=values, head=head)
    db.session.commit()
    return see_other("households.household", _("The household was saved."), household_id=created.id)


# --- People ----------------------------------------------------------------------------------------------------


@bp.get("/people/<int:person_id>")
@roles_required(EVERYONE)
def person(person_id: int):
    """A person: identity, potential groups, coverage, and the household they belong to."""
    row = get_or_404(Person, person_id)
    household_row = db.session.get(Household, row.household_id)
    hamlet, commune = queries.place(row.hamlet_id)
    signups = queries.signups_of(row)
    context = {"person": row, "household": household_row, "hamlet": hamlet, "commune": commune,
               "tags": sorted(services.person_tag_set(row.id)), "signups": signups, "can_edit": can_edit(),
               "can_sign_up": current_user.role in OFFICERS_AND_AGENTS,
               "clinic": next((facility for _signup, facility in signups if facility is not None), None),
               "today": local_today()}
    response = render_page("households/person.html", context)
    _record_view("person.view", "person", row.id)
    return response


def _person_form(row: Person | None, household_row: Household, url: str):
    creating = row is None
    if request.method == "GET":
        form = PersonForm(obj=row)
        if row is not None:
            form.tags.data = sorted(services.person_tag_set(row.id))
            form.version.data = str(row.version)
            form.sex.data = row.sex or ""
            form.income_band.data = row.income_band or ""
    else:
        form = PersonForm()
    template = "households/person_form.html"
    context = {"form": form, "person": row, "household": household_row, "conflict": False, "check_url": url}
    if (name := checks.checking()) is not None:
        return _check_field(form, name, row)
    if not form.validate_on_submit():
        return render_page(template, context, status=422 if form.is_submitted() else 200)
    if not creating and versions.missing(form.version.data):
        return render_page(template, context, status=422)
    if not creating and form.version.data != str(row.version):
        return render_page(template, {**context, "conflict": True}, status=409)
    values = form.values()
    if _identity_taken(form, None if creating else row.id, values["cccd"], values["bhxh_code"]):
        return render_page(template, context, status=422)
    target = row or Person()
    try:  # a change or a number saved meanwhile shows at the flush inside the service or at the commit
        services.save_person(target, household_row, values=values, tags=set(form.tags.data or []),
                             creating=creating)
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        return render_page(template, {**context, "conflict": True}, status=409)
    except IntegrityError:  # the same number saved by someone else a moment ago: say which one, under it
        db.session.rollback()
        taken = services.duplicate_identity(None if creating else row.id, values["cccd"], values["bhxh_code"])
        form[taken or "cccd"].errors = [
            _("This number was just recorded for another person. Check it and save again.")]
        return render_page(template, context, status=422)
    return see_other("households.person", _("The member was added.") if creating else _("The person was saved."),
                     person_id=target.id)


@bp.route("/people/<int:person_id>/edit", methods=["GET", "POST"])
@roles_required(OFFICERS)
def edit_person(person_id: int):
    """Change a person (a CCCD or insurance code already held by someone else is refused with 422)."""
    row = get_or_404(Person, person_id)
    return _person_form(row, db.session.get(Household, row.household_id),
                        url_for("households.edit_person", person_id=row.id))


@bp.route("/<int:household_id>/members/new", methods=["GET", "POST"])
@roles_required(OFFICERS)
def add_member(household_id: int):
    """Add a member to a household."""
    row = get_or_404(Household, household_id)
    return _person_form(None, row, url_for("households.add_member", household_id=row.id))
