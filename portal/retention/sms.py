"""The day's SMS reminder list as the office's SMS service takes it: CSV, UTF-8 with a byte-order mark (Excel
and most gateways then read the Vietnamese letters right), one row per person, no ID numbers."""

from __future__ import annotations

import csv
import io
import unicodedata

from flask import Response
from flask_babel import force_locale, lazy_pgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..i18n.formatting import format_date, format_money
from ..org.models import Agent, Office

#: The list's columns (document words: written in Vietnamese whatever the interface language, see :func:`header`).
HEADER = (_l("Phone"), _l("Full name"), lazy_pgettext("document", "Paid until"),
          lazy_pgettext("document", "Amount of the last period"), lazy_pgettext("document", "Message text"))


def header() -> list[str]:
    """The list's column headings, in Vietnamese."""
    with force_locale("vi"):
        return [str(heading) for heading in HEADER]


def office_phone(user) -> str:
    """The phone people are asked to call: the user's office's (or their agent's office's)."""
    office_id = user.office_id
    if office_id is None and getattr(user, "agent_id", None):
        agent = db.session.get(Agent, user.agent_id)
        office_id = agent.office_id if agent else None
    office = db.session.get(Office, office_id) if office_id else None
    return (office.phone or "") if office else ""


def plain(text: str) -> str:
    """The text without diacritics, capitals kept (for SMS services that send 7-bit messages)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFC", "".join(ch for ch in unicodedata.normalize("NFD", text)
                                              if not unicodedata.combining(ch)))


def message(row, scheme: str, phone: str) -> str:
    """The reminder text for one person, in Vietnamese whatever the interface language."""
    with force_locale("vi"):
        return _message(row, scheme, phone)


def _message(row, scheme: str, phone: str) -> str:
    when = format_date(row.due_on) if row.due_on else ""
    if scheme == "bhxh_tn":
        text = (_("BHXH reminds you: %(name)s, your voluntary social insurance was paid until %(date)s. Please "
                  "pay the next period to keep your pension years unbroken.", name=row.name, date=when)
                if row.overdue else
                _("BHXH reminds you: %(name)s, your voluntary social insurance is paid until %(date)s. Please "
                  "pay the next period before then.", name=row.name, date=when))
    else:
        text = (_("BHXH reminds you: %(name)s, your household health insurance card expired on %(date)s. "
                  "Please renew it to keep your health cover.", name=row.name, date=when)
                if row.overdue else
                _("BHXH reminds you: %(name)s, your household health insurance card expires on %(date)s. "
                  "Please renew it before then.", name=row.name, date=when))
    if row.last_amount:
        text += " " + _("Last period: %(amount)s.", amount=format_money(row.last_amount, _("dong")))
    if phone:
        text += " " + _("Questions: %(phone)s.", phone=phone)
    return text


def csv_bytes(rows, scheme: str, phone: str, *, plain_text: bool = False) -> bytes:
    """The list as CSV in UTF-8 with BOM."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header())
    for row in rows:
        text = message(row, scheme, phone)
        writer.writerow([row.phone, row.name, format_date(row.due_on) if row.due_on else "",
                         str(row.last_amount or ""), plain(text) if plain_text else text])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def attachment(data: bytes, filename: str) -> Response:
    return Response(data, mimetype="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})
