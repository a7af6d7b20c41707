"""An event's own navigation: the same entries, in the same order, on every page under the event.

Each entry is a page of the event (its pages live in several packages: the pre-visit list in ``visits``, the day
and the results in ``results``, the prints in ``printing``, the funnel in ``reports``); an entry is shown to a
user whose role may open its page, and the training record only for a training. ``event_nav(event)`` is a
template global, drawn by ``events/_frame.html``, which every page of an event extends.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user


@dataclass(frozen=True)
class EventPage:
    """An entry of the event navigation: its key, the page it opens, its label, the pages it stands for."""

    key: str
    endpoint: str
    label: object
    also: tuple[str, ...] = ()  #: other pages under this entry (marked current there)
    anchor: str = ""  #: a part of the page (the history is a section of the overview)
    kinds: tuple[str, ...] = ()  #: the event kinds the entry is for (empty: every kind)


#: The event navigation, in the order it is shown.
EVENT_PAGES: tuple[EventPage, ...] = (
    EventPage("overview", "events.detail", _l("Overview"), also=("events.overview",)),
    EventPage("edit", "events.edit", _l("Edit or reschedule"), also=("events.clone",)),
    EventPage("previsit", "visits.supervise", _l("Pre-visit list"), also=("visits.build", "visits.add")),
    EventPage("documents", "documents.index", _l("Invitations and prints")),
    EventPage("attendance", "results.attendance", _l("Check-in")),
    EventPage("signups", "results.signups", _l("Sign-ups")),
    EventPage("results", "results.results", _l("Results")),
    EventPage("training", "network.training", _l("Who attended the training"), kinds=("training",)),
    EventPage("funnel", "reports.event_funnel", _l("Funnel")),
    EventPage("history", "events.detail", _l("History"), anchor="history"),
)


def _may_open(endpoint: str) -> bool:
    view = current_app.view_functions.get(endpoint)
    allowed = getattr(view, "allowed_roles", None)
    return view is not None and current_user.is_authenticated and (allowed is None or current_user.role in allowed)


def event_nav(event) -> list[dict]:
    """The entries of an event's navigation this user may open, the current page's marked."""
    here = request.endpoint
    items = []
    for page in EVENT_PAGES:
        if (page.kinds and event.kind not in page.kinds) or not _may_open(page.endpoint):
            continue
        url = url_for(page.endpoint, event_id=event.id) + (f"#{page.anchor}" if page.anchor else "")
        current = not page.anchor and (here == page.endpoint or here in page.also)
        items.append({"key": page.key, "url": url, "label": str(page.label), "current": current})
    return items
