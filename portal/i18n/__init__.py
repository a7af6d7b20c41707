"""Locale selection and the Jinja filters for Vietnamese formatting."""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, request, session
from flask_login import current_user

from . import formatting
from .collation import collation_key, fold_diacritics


def select_locale() -> str:
    """The signed-in user's language, else the one chosen on the login page, else Vietnamese."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]  # command line and jobs speak Vietnamese
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if request and request.args.get("lang") in languages:
        return request.args["lang"]
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def init_app(app: Flask) -> None:
    """Register the formatting filters and the templates' gettext; WTForms' own messages through the catalogue."""
    from . import catalogue, wtforms

    wtforms.install()
    catalogue.install(app.jinja_env)
    app.jinja_env.filters.update(
        vn_date=formatting.format_date,
        vn_datetime=formatting.format_datetime,
        vn_time=formatting.format_time,
        vn_number=formatting.format_number,
        vn_money=formatting.format_money,
        vn_percent=formatting.format_percent,
    )
    app.jinja_env.globals["languages"] = app.config["LANGUAGES"]

    @app.context_processor
    def _locale():
        from flask_babel import get_locale

        return {"current_locale": str(get_locale() or app.config["BABEL_DEFAULT_LOCALE"])}


__all__ = ["collation_key", "fold_diacritics", "formatting", "init_app", "select_locale"]
