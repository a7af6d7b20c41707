"""Matrix entries: core pages and sign-in."""

from . import OK, Route, everyone

ROUTES = {
    "static": Route("GET", "/static/css/app.css", everyone(OK, anon=OK)),
    "core.healthz": Route("GET", "/healthz", everyone(OK, anon=OK)),
    "core.readyz": Route("GET", "/readyz", everyone(OK, anon=OK)),
    "core.home": Route("GET", "/", everyone()),
    "core.set_language": Route("POST", "/language", everyone(OK, anon=OK), data={"lang": "vi", "next": "/"}),
    "auth.login": Route("GET", "/login", everyone(OK, anon=OK)),
    "auth.logout": Route("POST", "/logout", everyone()),
}
