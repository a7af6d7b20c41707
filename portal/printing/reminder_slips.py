"""Reminder slips for an agent's round: one slip per person to remind (a quarter of an A4 page each, cut along
the dashed lines), left at the door or handed over, with the due date, the last amount paid and the agent's
phone. The people are the agent's worklist (retention.queries.worklist), those still to remind."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..i18n.formatting import format_date, format_money, local_today
from ..retention import queries
from .due import issuer_of
from .text import in_document_locale

SLIPS_PER_PAGE = 4
TITLES = {"bhxh_tn": _l("Reminder to pay voluntary social insurance"),
          "bhyt_hgd": _l("Reminder to renew the household health insurance card")}


def _text(scheme: str, due_on: date | None, today: date) -> str:
    when = format_date(due_on) if due_on else "……"
    if scheme == "bhxh_tn":
        if due_on and due_on < today:
            return _("Your voluntary social insurance has been paid up to %(day)s. Please go on paying so that "
                     "your membership is not interrupted and your right to a pension is kept.", day=when)
        return _("Your voluntary social insurance is paid up to %(day)s. Please pay the next period before "
                 "that day so that your membership is not interrupted.", day=when)
    if due_on and due_on < today:
        return _("Your household health insurance card expired on %(day)s. Please renew it to keep your "
                 "medical care benefits.", day=when)
    return _("Your household health insurance card is valid until %(day)s. Please renew it before that day so "
             "that your medical care benefits are not interrupted.", day=when)


@in_document_locale
def reminder_slips(work, agent, scheme: str, user, *, today: date | None = None) -> dict:
    """The context of ``reminder_slips.html`` for the people still to remind on a worklist."""
    today = today or local_today()
    superior, issuer, place = issuer_of(user)
    items = [i for i in work.items if i.state == "todo"]
    amounts = queries.last_amounts([i.person.id for i in items], scheme)
    slips = []
    for number, item in enumerate(items, start=1):
        amount = amounts.get(item.person.id)
        address = ", ".join(part for part in (item.address, item.hamlet, item.commune)
                            if part and (part is item.address or part not in (item.address or "")))
        slips.append({"number": number, "name": item.person.full_name, "household": item.head,
                      "address": address, "text": _text(scheme, item.due_on, today),
                      "amount": format_money(amount, _("dong")) if amount else ""})
    pages = [slips[i:i + SLIPS_PER_PAGE] for i in range(0, len(slips), SLIPS_PER_PAGE)]
    return {"title": str(TITLES[scheme]), "issuer_superior": superior, "issuer_name": issuer, "place": place or "……",
            "date": today, "pages": pages, "agent": agent.full_name if agent else "",
            "agent_phone": (agent.phone or "") if agent else ""}
