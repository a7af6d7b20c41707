"""Forms of the user administration pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from ..auth.roles import ROLES


class UserForm(FlaskForm):
    """An account: who, which role, which office or agent record."""

    username = StringField(_l("Username"), validators=[
        DataRequired(_l("Enter a username.")), Length(min=3, max=64),
        Regexp(r"^[A-Za-z0-9._-]+$", message=_l("Use letters without diacritics, digits, dots, dashes."))])
    full_name = StringField(_l("Full name"), validators=[DataRequired(_l("Enter the name.")), Length(max=120)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=20)])
    role = SelectField(_l("Role"), choices=[SelectChoice(code, role.label) for code, role in ROLES.items()])
    office_id = SelectField(_l("Office"), coerce=int, choices=[], default=0)
    agent_id = SelectField(_l("Agent record"), coerce=int, choices=[], default=0)
    locale = SelectField(_l("Language"), choices=[SelectChoice("vi", "Tiếng Việt"), SelectChoice("en", "English")])
    password = PasswordField(_l("Password"), validators=[Optional(), Length(max=128)])


class PasswordForm(FlaskForm):
    """A new password set by an administrator."""

    password = PasswordField(_l("New password"), validators=[DataRequired(_l("Enter a password.")),
                                                             Length(max=128)])
