"""WTForms speaks the portal's languages: its built-in messages ("This field is required.", "Field cannot be
longer than %(max)d characters.", "Not a valid integer value.") go through the portal's own catalogue, because
WTForms ships no Vietnamese. The messages are listed here so that ``make messages`` extracts them."""

from __future__ import annotations

from flask import has_request_context
from flask_babel import get_translations
from flask_wtf import FlaskForm


def _(text: str) -> str:
    """Mark a WTForms message for extraction (WTForms translates it at run time)."""
    return text


def ngettext(singular: str, plural: str, n: int) -> str:
    """Mark a WTForms plural message for extraction."""
    return singular if n == 1 else plural


#: WTForms' own messages that a portal form can show.
MESSAGES = (
    _("This field is required."),
    _("Invalid input."),
    _("Not a valid choice."),
    _("Not a valid integer value."),
    _("Not a valid decimal value."),
    _("Not a valid float value."),
    _("Not a valid date value."),
    _("Not a valid datetime value."),
    _("Number must be at least %(min)s."),
    _("Number must be at most %(max)s."),
    _("Number must be between %(min)s and %(max)s."),
    _("Field must be between %(min)d and %(max)d characters long."),
    _("Invalid value, must be one of: %(values)s."),
    _("Invalid email address."),
    _("The CSRF token is missing."),
    _("The CSRF token is invalid."),
    _("The CSRF token has expired."),
    ngettext("Field cannot be longer than %(max)d character.", "Field cannot be longer than %(max)d characters.", 2),
    ngettext("Field must be at least %(min)d character long.", "Field must be at least %(min)d characters long.", 2),
)


class Translations:
    """WTForms' translations object, answering from the catalogue of the request's language (no formatting:
    WTForms fills the placeholders itself)."""

    def gettext(self, string: str) -> str:
        return get_translations().ugettext(string) if has_request_context() else string

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        if not has_request_context():
            return singular if n == 1 else plural
        return get_translations().ungettext(singular, plural, n)


translations = Translations()


def _get_translations(self, form) -> Translations:
    return translations


def install() -> None:
    """Give every form of the portal these translations (Flask-WTF's hook would load WTForms' own catalogue)."""
    FlaskForm.Meta.get_translations = _get_translations
