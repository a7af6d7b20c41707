"""The due-payment lists of the households pages as a printed sheet an agent takes on the rounds.

The rows are the ones the due list shows on screen (same filter, same scope: an agent gets their own hamlets),
grouped per hamlet (communes in order, then their hamlets) or per agent in the same order, with a column to note
the outcome of the reminder. The place column names the commune too (two communes can have namesake hamlets),
and the phone is the household's when the person has none of their own.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import pgettext

from ..extensions import db
from ..i18n.formatting import format_date, local_today
from ..org.models import Agent, Office
from .offices import office_seat
from .text import in_document_locale

TITLES = {
    "paid_until": _l("Voluntary social insurance participants due to pay"),
    "stopped": _l("People who stopped paying voluntary social insurance"),
    "bhyt_expiring": _l("People whose health insurance card expires soon"),
    "bhyt_expired": _l("People whose health insurance card has expired"),
}


@in_document_locale
def issuer_of(user) -> tuple[str, str, str]:
    """(superior body, issuing body, place) for a user's documents: their office, or their agent's office."""
    office_id = user.office_id
    if office_id is None and getattr(user, "agent_id", None):
        agent = db.session.get(Agent, user.agent_id)
        office_id = agent.office_id if agent else None
    office = db.session.get(Office, office_id) if office_id else None
    if office is None:
        return "", _("Vietnam Social Security"), ""
    parent = db.session.get(Office, office.parent_id) if office.parent_id else None
    return (parent.name if parent else ""), office.name, office_seat(office.name)


def _when(kind: str, person) -> str:
    value = person.paid_until if kind in ("paid_until", "stopped") else person.bhyt_expires_on
    return format_date(value) if value else ""


@in_document_locale
def due_sheet(result, f, user, *, today: date | None = None) -> dict:
    """The context of ``sheet.html`` for a due list (``result`` from households.queries.due_list)."""
    today = today or local_today()
    superior, issuer, place = issuer_of(user)
    per_agent = f.group == "agent"
    rows = []
    for group in result.groups:
        label = group.name or (_("No agent yet") if per_agent else "")
        for person, head, address, _hamlet_id, hamlet, commune, household_phone in group.rows:
            household = head if not address else f"{head}, {address}"
            where = f"{hamlet}, {commune}"
            rows.append([str(len(rows) + 1), person.full_name,
                         str(person.date_of_birth.year) if person.date_of_birth else "",
                         person.phone or household_phone or "", person.bhxh_code or "", household,
                         f"{label} ({where})" if per_agent else where, _when(f.kind, person), ""])
    window = ""
    if result.start and result.end:
        window = _("from %(start)s to %(end)s", start=format_date(result.start), end=format_date(result.end))
    elif result.start:
        window = _("from %(start)s", start=format_date(result.start))
    date_label = pgettext("document", "Paid until") if f.kind in ("paid_until", "stopped") else _("Card valid until")
    facts = [[_("Number of people"), str(len(rows))],
             [pgettext("document", "Order"), _("by collection agent") if per_agent else _("by commune, then by hamlet")]]
    if window:
        facts.insert(0, [pgettext("document", "Time"), window])
    return {
        "title": str(TITLES.get(f.kind, TITLES["paid_until"])), "subtitle": None, "issuer_superior": superior,
        "issuer_name": issuer, "place": place or "……", "date": today, "facts": facts,
        "columns": [{"label": _("No."), "width": 10, "align": "center"}, {"label": _("Full name"), "width": 42},
                    {"label": _("Year of birth"), "width": 14, "align": "center"},
                    {"label": pgettext("document", "Phone"), "width": 24}, {"label": _("Social insurance code"), "width": 24},
                    {"label": _("Household head, address"), "width": 48},
                    {"label": _("Agent (hamlet, commune)") if per_agent else _("Hamlet; commune"), "width": 44},
                    {"label": date_label, "width": 22, "align": "center"},
                    {"label": _("Reminder outcome"), "width": 30}],
        "rows": rows, "blank_rows": 0, "signatures": [_("Prepared by"), _("Collection agent")],
        "note": " ".join((_("Reminder outcome: paid, will pay on a given day, not reached, not continuing."),
                          _("Participants can look up their contributions in the VssID app of Vietnam Social "
                            "Security."))), "landscape": True,
    }
