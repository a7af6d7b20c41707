"""One helper renders a page or one of its named blocks.

A view builds its page context once and calls :func:`render_page`. A plain request (or a boosted htmx
navigation, or a history restore) gets the whole page. An htmx request aimed at an element whose id names a
block of the template (``hx-target="#results"`` and ``{% block results %}``) gets only that block, rendered
with the same context, so a fragment can never miss what its page would have given it.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, make_response, request
from flask.typing import ResponseReturnValue


def requested_block() -> str | None:
    """The block an htmx request asks for, or None for a full page."""
    if request.headers.get("HX-Request") != "true":
        return None
    if request.headers.get("HX-Boosted") == "true" or request.headers.get("HX-History-Restore-Request"):
        return None
    target = request.headers.get("HX-Target")
    if not target:
        return None
    return target.replace("-", "_")


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
    status: int = 200,
    block: str | None = None,
    headers: dict[str, str] | None = None,
) -> ResponseReturnValue:
    """Render a full page, or the block the htmx request targets (or ``block`` when given)."""
    from flask import render_template

    context = context or {}
    app = current_app._get_current_object()
    wanted = block or requested_block()
    body: str
    if wanted:
        template = app.jinja_env.get_or_select_template(template_name)
        if wanted in template.blocks:
            body = render_block(template_name, wanted, context)
        else:
            body = render_template(template_name, **context)
    else:
        body = render_template(template_name, **context)
    response = make_response(body, status)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def init_app(app: Flask) -> None:
    """Make the shared macros available to every template and every block as ``forms``.

    Blocks are rendered on their own, without the template's top-level statements, so templates must not
    rely on top-level ``{% import %}``; shared macros come from here instead.
    """

    @app.context_processor
    def _macros():
        return {
            "forms": app.jinja_env.get_template("_forms.html").module,
            "ui": app.jinja_env.get_template("_ui.html").module,
        }

    app.jinja_env.globals["url_with"] = url_with
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
