"""One helper renders a page or the fragment its view declares for htmx.

A view builds its page context once and calls :func:`render_page`, naming the block that answers an htmx
request: ``fragment="results"``, or, for a view that serves several targets on its page, a mapping from the
element that asked (its ``hx-target`` id, or the triggering element's name or id) to a block. A plain request,
a boosted htmx navigation or a history restore gets the whole page; an htmx request that wants a fragment gets
only the declared block, rendered with the same context, so a fragment can never miss what its page would have
given it. No view reads htmx headers itself: :func:`partial_request` is the one place that asks.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, current_app, flash, make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..extensions import htmx
from .labels import labels

#: What a view declares as its htmx answer: one block, or a block per asking element.
Fragment = str | Mapping[str, str] | None
#: Other parts of the page an htmx answer refreshes out of band: block name -> id of the element it fills.
OutOfBand = Mapping[str, str] | None


def partial_request() -> bool:
    """Whether this is an htmx request that wants a fragment (boosted navigations and history restores do not)."""
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def fragment_for(fragment: Fragment) -> str | None:
    """The block that answers this request, given what the view declared; None for the whole page."""
    if fragment is None or not partial_request():
        return None
    if isinstance(fragment, str):
        return fragment
    for asking in (htmx.trigger_name, htmx.target, htmx.trigger):
        if asking and asking in fragment:
            return fragment[asking]
    return None


def client_redirect(url: str, *, status: int = 303, htmx_status: int = 204) -> ResponseReturnValue:
    """Send the whole window to ``url``: ``HX-Redirect`` for any htmx request (a fragment must not swap a
    page in), a plain redirect (303 unless ``status`` says otherwise) for the others."""
    if htmx:
        response = make_response("", htmx_status)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, code=status)


def see_other(endpoint: str, message: str | None = None, category: str = "success", **values: Any):
    """Where a form's POST goes next: flash ``message`` (when given) and send the browser on to
    ``url_for(endpoint, **values)`` with a 303."""
    if message is not None:
        flash(message, category)
    return redirect(url_for(endpoint, **values), code=303)


def render_block(template_name: str, block: str, context: dict[str, Any]) -> str:
    """Render one named block of a template with a full page context."""
    app = current_app._get_current_object()
    template = app.jinja_env.get_or_select_template(template_name)
    ctx = dict(context)
    app.update_template_context(ctx)
    block_render = template.blocks[block]
    return "".join(block_render(template.new_context(ctx)))


def render_page(
    template_name: str,
    context: dict[str, Any] | None = None,
    *,
    fragment: Fragment = None,
    status: int = 200,
    headers: dict[str, str] | None = None,
    oob: OutOfBand = None,
) -> ResponseReturnValue:
    """Render a full page, or, for an htmx request, the block the view declared in ``fragment``.

    ``oob`` names the blocks whose figures the action changed elsewhere on the page (counters, totals): with a
    fragment, each is rendered from the same context and sent out of band to fill the element of its id
    (``{"progress": "visit-progress"}``: the block is the inside of ``<div id="visit-progress">``), so every
    figure the action changed is updated by the same answer. Each part travels in a ``<template>`` (htmx takes
    out-of-band parts from templates), so whatever comes before it cannot change how it is parsed."""
    context = context or {}
    block = fragment_for(fragment)
    if block is not None:
        body = render_block(template_name, block, context)
        for part, target in (oob or {}).items():
            body += (f'\n<template><div hx-swap-oob="innerHTML:#{target}">'
                     f"{render_block(template_name, part, context)}</div></template>")
    else:
        body = render_template(template_name, **context)
    response = make_response(body, status)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def init_app(app: Flask) -> None:
    """Make the shared macros available to every template and every block as ``forms``, ``ui``, ``imports``.

    Blocks are rendered on their own, without the template's top-level statements, so templates must not
    rely on top-level ``{% import %}``; shared macros come from here instead.
    """

    @app.context_processor
    def _macros():
        return {
            "forms": app.jinja_env.get_template("_forms.html").module,
            "ui": app.jinja_env.get_template("_ui.html").module,
            "imports": app.jinja_env.get_template("_imports.html").module,
        }

    app.jinja_env.globals["url_with"] = url_with
    app.jinja_env.globals["id_url"] = id_url  # one url_for for a list's rows: {% set to = id_url(...) %}
    app.jinja_env.globals["id_url_with"] = id_url_with  # the same for url_with
    app.jinja_env.globals["labels"] = labels  # labels.<package>.<NAME>: the package's labels.py
    app.jinja_env.globals["partial_request"] = partial_request  # out-of-band parts of a fragment answer
    from .tabular import column_letter

    app.jinja_env.filters["column_letter"] = column_letter  # spreadsheet letters in import reports


def url_with(**changes) -> str:
    """The current URL with some query arguments changed (None removes one); used by pagers and filters."""
    from urllib.parse import urlencode

    args = request.args.to_dict(flat=False)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = [str(value)]
    query = urlencode(args, doseq=True)
    return request.path + ("?" + query if query else "")


#: Stands for a row's id while an address is built once (digits pass the int converter; no real id is this big).
_ID_MARK = 987_654_321_987_654_321


def id_url(endpoint: str, key: str, **values: Any):
    """``url_for(endpoint, key=<id>, **values)`` for many ids at the cost of one: the address is built once
    with a marker in place of the id, and each row's address is that text with its id put in.

    A list of a few hundred rows with two or three links each spent a tenth of its drawing in ``url_for``
    (the route map walked and every query argument quoted again for each row)."""
    return _id_filler(url_for(endpoint, **{key: _ID_MARK}, **values), f"{endpoint}: {key}")


def id_url_with(key: str, **changes: Any):
    """``url_with(key=<id>, **changes)`` for many ids at the cost of one (see :func:`id_url`)."""
    return _id_filler(url_with(**{key: _ID_MARK}, **changes), f"{request.path}: {key}")


def _id_filler(built: str, what: str):
    mark = str(_ID_MARK)
    prefix, found, suffix = built.partition(mark)
    if not found or mark in suffix:
        raise ValueError(f"{what} does not appear once in its address")

    def address(row_id: int) -> str:
        return f"{prefix}{int(row_id)}{suffix}"

    return address
