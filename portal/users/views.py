"""User administration pages (administrators only)."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from ..auth import password_policy, services
from ..auth.models import User
from ..auth.roles import (
    ADMINS,
    AGENT,
    LOCAL_OFFICER,
    PROVINCE_OFFICER,
    ROLES,
    VIEWER,
    WITHOUT_OFFICE,
    roles_required,
)
from ..auth.scope import get_or_404
from ..core.pagination import paginate
from ..core.rendering import render_page, see_other
from ..extensions import db
from . import queries
from .blueprint import bp
from .forms import PasswordForm, UserForm


def _choices(form: UserForm) -> None:
    form.office_id.choices = [SelectChoice(0, "—")] + [SelectChoice(o.id, o.name) for o in queries.offices()]
    agents = queries.active_agents()
    form.agent_id.choices = [SelectChoice(0, "—")] + [SelectChoice(a.id, f"{a.full_name} ({a.code})") for a in agents]


def _check_fit(form: UserForm, user: User | None) -> bool:
    """Role, office and agent record must fit together; the username and agent record must be free."""
    ok = True
    role = form.role.data
    office = queries.office(form.office_id.data)
    if role in WITHOUT_OFFICE and office is not None:
        form.office_id.errors.append(_("This role is not attached to an office."))
        ok = False
    if role == PROVINCE_OFFICER and (office is None or office.kind != "province"):
        form.office_id.errors.append(_("A province officer works for a province office."))
        ok = False
    if role == LOCAL_OFFICER and (office is None or office.kind != "local"):
        form.office_id.errors.append(_("A local officer works for a BHXH cơ sở office."))
        ok = False
    if role == VIEWER and office is None:
        form.office_id.errors.append(_("A viewer reads the area of an office: choose it."))
        ok = False
    if role == AGENT and not form.agent_id.data:
        form.agent_id.errors.append(_("Link the agent's record."))
        ok = False
    if role != AGENT and form.agent_id.data:
        form.agent_id.errors.append(_("Only agent users have an agent record."))
        ok = False
    username = form.username.data.strip().lower()
    other = User.by_username(username)
    if other is not None and (user is None or other.id != user.id):
        form.username.errors.append(_("This username is taken."))
        ok = False
    if form.agent_id.data:
        holder = queries.agent_record_holder(form.agent_id.data)
        if holder is not None and (user is None or holder != user.id):
            form.agent_id.errors.append(_("Another account already uses this agent record."))
            ok = False
    return ok


def _account(form: UserForm) -> dict:
    """The account's fields as the form gives them (the password apart)."""
    return {"username": form.username.data, "full_name": form.full_name.data, "role": form.role.data,
            "phone": (form.phone.data or "").strip() or None, "office_id": form.office_id.data or None,
            "agent_id": form.agent_id.data or None, "locale": form.locale.data}


@bp.get("/")
@roles_required(ADMINS)
def index():
    """Accounts with search by username or name and filters by role and state."""
    q = (request.args.get("q") or "").strip()
    page = paginate(queries.users(q=q, role=request.args.get("role"),
                                  active={"1": True, "0": False}.get(request.args.get("active"))))
    return render_page("admin/users.html", {"page": page, "q": q, "roles": ROLES,
                                            "role": request.args.get("role", ""),
                                            "active": request.args.get("active", "")}, fragment="results")


@bp.route("/new", methods=["GET", "POST"])
@roles_required(ADMINS)
def new():
    """Create an account."""
    form = UserForm()
    _choices(form)
    return _save_account(form, None)


@bp.get("/<int:user_id>")
@roles_required(ADMINS)
def detail(user_id: int):
    """An account and its recent audit entries."""
    user = get_or_404(User, user_id)
    return render_page("admin/user.html", {"user": user, **queries.user_page(user), "roles": ROLES})


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
@roles_required(ADMINS)
def edit(user_id: int):
    """Change an account; a change of role, office or agent record ends the user's sessions."""
    user = get_or_404(User, user_id)
    form = UserForm(obj=user)
    _choices(form)
    if request.method == "GET":
        form.office_id.data = user.office_id or 0
        form.agent_id.data = user.agent_id or 0
    return _save_account(form, user)


def _save_account(form: UserForm, user: User | None):
    """The account form posted (a new account when ``user`` is None, whose password must pass the policy): saved
    and on to the account's page, or the form again with what is wrong (422)."""
    if not form.validate_on_submit():
        return render_page("admin/user_form.html", {"form": form, "user": user},
                           status=422 if form.is_submitted() else 200)
    problems = password_policy.problems(form.password.data or "", form.username.data) if user is None else []
    if problems:
        form.password.errors.extend(problems)
    if not _check_fit(form, user) or problems:
        return render_page("admin/user_form.html", {"form": form, "user": user}, status=422)
    if user is None:
        user = services.add_user(password=form.password.data, **_account(form))
        message = _("The account was created.")
    else:
        services.update_user(user, **_account(form))
        message = _("The account was saved.")
    db.session.commit()
    return see_other("users.detail", message, user_id=user.id)


def _set_active(user_id: int, active: bool):
    from flask_wtf.csrf import validate_csrf

    validate_csrf(request.form.get("csrf_token"))
    user = get_or_404(User, user_id)
    if not active and user.id == current_user.id:
        return see_other("users.detail", _("You cannot deactivate your own account."),
                         "warning", user_id=user.id)
    services.set_active(user, active)
    db.session.commit()
    return see_other("users.detail", _("The account was reactivated.") if active else _("The account was deactivated."),
                     user_id=user.id)


@bp.post("/<int:user_id>/deactivate")
@roles_required(ADMINS)
def deactivate(user_id: int):
    """Deactivate an account: its sessions end at the next request."""
    return _set_active(user_id, False)


@bp.post("/<int:user_id>/reactivate")
@roles_required(ADMINS)
def reactivate(user_id: int):
    """Reactivate an account."""
    return _set_active(user_id, True)


@bp.route("/<int:user_id>/password", methods=["GET", "POST"])
@roles_required(ADMINS)
def password(user_id: int):
    """Set a new password (the user's sessions end)."""
    user = get_or_404(User, user_id)
    form = PasswordForm()
    status = 200
    if form.validate_on_submit():
        problems = password_policy.problems(form.password.data, user.username)
        if problems:
            form.password.errors.extend(problems)
            status = 422
        else:
            services.reset_password(user, form.password.data)
            db.session.commit()
            return see_other("users.detail", _("The password was changed."), user_id=user.id)
    elif form.is_submitted():
        status = 422
    return render_page("admin/password.html", {"form": form, "user": user}, status=status)
