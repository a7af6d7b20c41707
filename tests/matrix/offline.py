"""Matrix entries: the agent's offline app."""

from . import AGENT, OK, Route, everyone, only

ROUTES = {
    "offline.service_worker": Route("GET", "/sw.js", everyone(OK, anon=OK)),
    "offline.manifest": Route("GET", "/manifest.webmanifest", everyone(OK, anon=OK)),
    "offline.icon": Route("GET", "/offline/icon-192.png", everyone(OK, anon=OK)),
    "offline.index": Route("GET", "/offline", only(AGENT)),
    "offline.day_pages": Route("GET", "/offline/day", only(AGENT)),
    "offline.token": Route("GET", "/offline/token", everyone()),
}
