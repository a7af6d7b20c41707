"""The templates' gettext: the request's catalogue found once, and no Jinja context copied per string.

flask-babel's Jinja callables find the catalogue again for each string (the request's babel context three
times, the locale, its name as a cache key). Jinja's own newstyle wrappers, and ``_`` on top of them, take the
whole template context, and inside a loop Jinja derives a new context for each such call (twice for ``_``):
together about half the time of drawing a list of a few hundred rows.

Here the catalogue is kept on flask-babel's request context beside the locale it was found for (so
``force_locale``, which sets a new locale object, is still obeyed; outside a request flask-babel answers), and
the callables take only the evaluation context, for autoescaping. What they return is what Jinja's newstyle
gettext returns: the translation as Markup when autoescaping, always formatted with the variables given
(``num`` for the plural forms, ``context`` for the contextual ones)."""

from __future__ import annotations

from flask import g
from flask_babel import get_translations
from jinja2 import pass_eval_context
from markupsafe import Markup


def translations():
    """The catalogue of the current locale (the one flask-babel would give), at one attribute lookup per call."""
    ctx = g.get("_flask_babel") if g else None
    if ctx is None:
        return get_translations()  # outside a request, or its first string (flask-babel makes its context)
    kept = getattr(ctx, "portal_catalogue", None)
    locale = getattr(ctx, "babel_locale", None)
    if kept is not None and locale is not None and kept[0] is locale:
        return kept[1]
    found = get_translations()  # sets the context's locale when it had none
    ctx.portal_catalogue = (getattr(ctx, "babel_locale", None), found)
    return found


def _finish(eval_ctx, text: str, variables: dict) -> str:
    # As Jinja's own: the catalogue's text is the portal's (trusted); Markup's % escapes the variables.
    return (Markup(text) if eval_ctx.autoescape else text) % variables  # noqa: S704


@pass_eval_context
def gettext(eval_ctx, string: str, **variables) -> str:
    return _finish(eval_ctx, translations().ugettext(string), variables)


@pass_eval_context
def ngettext(eval_ctx, singular: str, plural: str, num: int, **variables) -> str:
    variables.setdefault("num", num)
    return _finish(eval_ctx, translations().ungettext(singular, plural, num), variables)


@pass_eval_context
def pgettext(eval_ctx, context: str, string: str, **variables) -> str:
    variables.setdefault("context", context)
    return _finish(eval_ctx, translations().upgettext(context, string), variables)


@pass_eval_context
def npgettext(eval_ctx, context: str, singular: str, plural: str, num: int, **variables) -> str:
    variables.setdefault("context", context)
    variables.setdefault("num", num)
    return _finish(eval_ctx, translations().unpgettext(context, singular, plural, num), variables)


def install(jinja_env) -> None:
    """Put these in place of flask-babel's callables and of Jinja's ``_`` alias (newstyle gettext kept on, so
    ``{% trans %}`` blocks compile as before)."""
    jinja_env.newstyle_gettext = True
    jinja_env.globals.update(_=gettext, gettext=gettext, ngettext=ngettext, pgettext=pgettext,
                             npgettext=npgettext)
