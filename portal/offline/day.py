"""What an agent's phone keeps for the day: the addresses of the pages the agent opens in the field, all of them
pages the server already shows this agent (the same views answer them, with the same scope)."""

from __future__ import annotations

from datetime import date

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..households.models import Person
from ..policy import export
from ..visits import queries as visit_queries

#: The lists of the agent's page kept for each event.
SHOWS = ("todo", "done", "all")
#: Sign-up pages kept per event: one per member of the households the agent invited (most likely to sign up
#: at the event), at most this many, so that the day stays small.
SIGNUP_PAGES_PER_EVENT = 60


#: Agent pages without URL arguments kept for the day besides the visit lists: a package's page joins by its
#: endpoint here (a page not registered in this build is skipped). The server answers each one for the
#: signed-in agent, so the phone keeps only what the agent may see.
AGENT_PAGES = ("households.due", "retention.my_due", "offline.index")
#: Static files the day's pages load only when needed (the QR decoder of the attendance page's scanner).
DAY_ASSETS = ("vendor/jsqr/jsQR.min.js",)


def pages(agent_id: int | None) -> tuple[list[str], dict[str, str]]:
    """Every page of the agent's day, in the order the phone fetches them (the lists first), and the addresses
    that show the same page as one of them (kept once: "My work" is the soonest event's list to visit)."""
    rows = visit_queries.agent_work(agent_id) if agent_id else []
    events: dict[int, list] = {}
    for row in rows:
        events.setdefault(row[1].id, []).append(row[0])
    urls, aliases = [], {}
    for event_id in events:
        urls += [url_for("visits.my_work", event=event_id, show=show) for show in SHOWS]
    if events:
        aliases[url_for("visits.my_work")] = urls[0]
    else:
        urls.append(url_for("visits.my_work"))
    urls += [url_for(endpoint) for endpoint in AGENT_PAGES if endpoint in current_app.view_functions]
    for event_id, assignments in events.items():
        urls += [url_for("results.attendance", event_id=event_id), url_for("results.signups", event_id=event_id)]
        invited = [a.household_id for a in assignments if a.outcome == "invited"]
        if invited:
            people = db.session.scalars(select(Person.id).where(Person.household_id.in_(invited))
                                        .order_by(Person.household_id, Person.id).limit(SIGNUP_PAGES_PER_EVENT))
            urls += [url_for("results.signups", event_id=event_id, person=pid) for pid in people]
    for assignments in events.values():
        urls += [url_for("visits.outcome", assignment_id=a.id) for a in assignments]
    if events:
        urls += [url_for("static", filename=name) for name in DAY_ASSETS]
    return urls, aliases


def calculator_messages() -> dict[str, str]:
    """What the phone's calculator says on a sign-up form without signal (kept once with the day, not on each of
    the day's sign-up pages)."""
    return {
        "line": _("Due %(due)s − support %(support)s = to pay %(net)s", due="%(due)s", support="%(support)s",
                  net="%(net)s"),
        "note": _("Calculated on the phone with the parameters of %(day)s; checked again when sent.", day="%(day)s"),
        "otherDay": _("The phone keeps the parameters of today only: the amount for this date is calculated when "
                      "the sign-up is sent."),
        "income": _("The chosen income must be between %(low)s and %(high)s.", low="%(low)s", high="%(high)s"),
        "months": _("This number of months is not allowed for the chosen payment mode."),
        "budget": _("The state budget pays the health insurance of poor and near-poor households: do not sell "
                    "household health insurance."),
        "error": _("The calculation could not be done with these inputs."),
    }


def calculator_parameters(on: date) -> dict:
    """The calculator's parameters in force today, for the phone to compute a sign-up's amount without signal
    (static/js/calc.js) and to say what it holds."""
    return export.for_phone(on)
