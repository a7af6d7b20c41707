"""Matrix entries: user administration and the audit log (administrators only)."""

from . import ADMIN, DENIED, EVERY_ROLE, LOGIN, OK, Route, only


def _admin_only_on(url):
    expect = {"anonymous": (LOGIN, LOGIN), **{r: ((OK, OK) if r == ADMIN else (DENIED, DENIED)) for r in EVERY_ROLE}}
    return Route("GET", url, expect)


ROUTES = {
    "users.index": Route("GET", "/admin/users/", only(ADMIN)),
    "users.new": Route("GET", "/admin/users/new", only(ADMIN)),
    "users.detail": _admin_only_on(lambda w, t: f"/admin/users/{w.users['viewer'].id}"),
    "users.edit": _admin_only_on(lambda w, t: f"/admin/users/{w.users['viewer'].id}/edit"),
    "users.password": _admin_only_on(lambda w, t: f"/admin/users/{w.users['viewer'].id}/password"),
    "users.deactivate": Route("POST", lambda w, t: f"/admin/users/{w.users['viewer'].id}/deactivate",
                              _admin_only_on("").expect),
    "users.reactivate": Route("POST", lambda w, t: f"/admin/users/{w.users['viewer'].id}/reactivate",
                              _admin_only_on("").expect),
    "audit.index": Route("GET", "/admin/audit/", only(ADMIN)),
}
