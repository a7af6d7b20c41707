"""Response headers every page carries: CSP, framing, sniffing, referrer, caching."""

from __future__ import annotations

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import SecurityError

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
        "base-uri 'none'",
    ]
)


def _add_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(self), geolocation=(), microphone=()")
    headers.add("Vary", "HX-Request")
    if hsts := current_app.config.get("HSTS_SECONDS"):
        headers.setdefault("Strict-Transport-Security", f"max-age={int(hsts)}; includeSubDomains")
    if request.endpoint != "static":
        # Pages, fragments, exports and PDFs can all hold personal data: never store them.
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    return response


def public_url() -> str:
    """The portal's address for links that leave the request (letters, QR codes, jobs): PUBLIC_URL when set,
    else the address of this request (a developer machine, where any host is answered)."""
    return current_app.config.get("PUBLIC_URL") or request.url_root


def _untrusted_host(error: SecurityError):
    """A Host header outside TRUSTED_HOSTS: a plain refusal (no page, whose links would need that host)."""
    return Response("Bad request: unknown host.\n", status=400, mimetype="text/plain")


def init_app(app: Flask) -> None:
    """Register the header hook and the refusal of unknown hosts."""
    app.after_request(_add_headers)
    app.register_error_handler(SecurityError, _untrusted_host)
