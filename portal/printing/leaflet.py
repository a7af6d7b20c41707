"""The leaflet (tờ rơi) of an event, in three variants for three audiences, with example contributions.

The amounts come from the contribution calculator with the policy parameters in force on the event's day, so
a leaflet printed for an event after a change of the poverty line or the base salary shows the new figures; a
figure drawn from a value not yet confirmed as law (the 2027 poverty line as the minimum income) is marked
"(dự kiến)".
The officer's local note is plain text: it is escaped like every other value, never read as a template. A
leaflet is one page whatever the note: a note that would push the footer onto a second page is refused, with
how many of its characters fit (see :func:`note_room`).
"""

from __future__ import annotations

import io
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pypdf import PdfReader
from sqlalchemy import func, select

from ..events.models import LEAFLET_AUDIENCES, event_agents, event_audiences
from ..extensions import db
from ..geo.models import Commune
from ..households.models import Person
from ..i18n.formatting import format_number, to_local
from ..org.models import Agent, Office
from ..policy.calculator import Parameters, PolicyError, bhxh_tn, bhyt_hgd
from . import offices
from .renderer import renderer
from .text import in_document_locale

#: Incomes shown besides the minimum, per audience (those outside the allowed range are left out).
INCOMES = {"town": (3_000_000, 5_000_000, 8_000_000), "low_income": (2_000_000, 3_000_000), "ethnic": ()}
#: Support categories in the table: (calculator category, column heading).
CATEGORIES = (("poor", _l("Poor household")), ("near_poor", _l("Near-poor household")),
              ("ethnic_minority", _l("Ethnic minority person")), ("other", _l("Other participant")))
NOTE_MAX = 600
DEFAULT_AUDIENCE = "town"


def money(value: int) -> str:
    """330000 -> "330.000"."""
    return format_number(value)


def phone(value: str | None) -> str:
    """0912345678 -> "0912 345 678" (easier to read and dial from paper)."""
    digits = "".join(c for c in (value or "") if c.isdigit())
    if len(digits) == 10:
        return f"{digits[:4]} {digits[4:7]} {digits[7:]}"
    return value or ""


def contribution_table(on: date, audience: str) -> dict | None:
    """Example monthly contributions on a day, or None when the policy parameters are missing."""
    try:
        params = Parameters(on)
        minimum = bhxh_tn(on, income=int(params["rural_poverty_line"]), categories="other")
        ladder = bhyt_hgd(on, members=5)
    except PolicyError:
        return None
    incomes = [minimum.min_income] + [i for i in INCOMES.get(audience, ()) if minimum.min_income < i
                                      <= minimum.max_income]
    rows = []
    for income in incomes:
        quotes = {c: bhxh_tn(on, income=income, categories=c) for c, _label in CATEGORIES}
        rows.append({"income": money(income), "monthly": money(quotes["other"].monthly_contribution),
                     "net": [money(quotes[c].net) for c, _label in CATEGORIES]})
    support = {c: bhxh_tn(on, income=minimum.min_income, categories=c) for c, _label in CATEGORIES}
    local = any(q.local_support for q in support.values())
    #: Parameters in force but not yet confirmed as law: the figures drawn from them are marked "(dự kiến)".
    expected = {w["key"] for w in minimum.warnings + ladder.warnings if w["code"] == "unconfirmed"}
    return {
        "on": on, "rate": format_number(minimum.rate * 100, 0), "minimum": money(minimum.min_income),
        "maximum": money(minimum.max_income), "rows": rows,
        "categories": [{"label": str(label), "support": money(support[c].support + support[c].local_support),
                        "percent": format_number((support[c].support_rate + support[c].local_support_rate) * 100, 0)}
                       for c, label in CATEGORIES],
        "support_months": int(params["support.max_months"]), "local": local,
        "min_net": {c: money(support[c].net) for c, _label in CATEGORIES},
        "bhyt": [money(v) for v in ladder.per_member_monthly],
        "bhyt_year": [money(v * 12) for v in ladder.per_member_monthly],
        "bhyt_household": [money(sum(ladder.per_member_monthly[:n]) * 12) for n in range(1, 6)],
        "base_salary": money(ladder.base_salary),
        "minimum_expected": "rural_poverty_line" in expected, "base_salary_expected": "base_salary" in expected,
        "expected": bool(expected),
    }


def _agents(event) -> list[dict]:
    rows = db.session.execute(
        select(Agent.full_name, Agent.phone).join(event_agents, event_agents.c.agent_id == Agent.id)
        .where(event_agents.c.event_id == event.id, Agent.active.is_(True)).order_by(Agent.sort_key).limit(4)).all()
    return [{"name": name, "phone": phone(number)} for name, number in rows]


#: Share of ethnic-minority people in a commune from which its leaflet speaks to ethnic minorities by default.
ETHNIC_SHARE = 0.3


def suggested_audience(event) -> str:
    """The variant an event's place calls for when none was chosen: a ward (phường) the town one; a commune
    where at least ETHNIC_SHARE of the people recorded belong to an ethnic minority the ethnic one; any other
    commune (and a ward whose event targets near-poor households) the low-income one."""
    targets = set(db.session.scalars(select(event_audiences.c.tag).where(event_audiences.c.event_id == event.id)))
    division = db.session.scalar(select(Commune.division_type).where(Commune.id == event.commune_id))
    people, minority = db.session.execute(
        select(func.count(Person.id), func.count(Person.id).filter(Person.ethnic_minority.is_(True)))
        .where(Person.commune_id == event.commune_id)).one()
    if people and minority >= ETHNIC_SHARE * people:
        return "ethnic"
    if division == offices.WARD and "near_poor" not in targets:
        return DEFAULT_AUDIENCE
    return "low_income"


def audience_of(event, asked: str | None = None) -> str:
    """The variant to print: the one asked for, else the one chosen for the event, else the one its place calls
    for (see suggested_audience)."""
    for candidate in (asked, event.leaflet_audience):
        if candidate in LEAFLET_AUDIENCES:
            return candidate
    return suggested_audience(event)


def clean_note(note: str | None) -> str | None:
    """The officer's note as plain text: trimmed, at most NOTE_MAX characters (escaped by the template)."""
    note = (note or "").replace("\r\n", "\n").strip()
    return note[:NOTE_MAX] or None


def page(event, audience: str, note: str | None = None) -> dict:
    """One leaflet: the event, its agents, the contribution table and the note."""
    start, end = to_local(event.starts_at), to_local(event.ends_at)
    office = db.session.get(Office, event.organiser_office_id)
    commune = db.session.get(Commune, event.commune_id)
    return {
        "audience": audience, "issuer": office.name if office else "",
        "event": {"title": event.title, "venue": event.venue, "commune": commune.name if commune else "",
                  "day": f"{start:%d/%m/%Y}", "time": f"{start:%H:%M} – {end:%H:%M}"},
        "agents": _agents(event), "lines": (clean_note(note) or "").split("\n") if clean_note(note) else [],
        "table": contribution_table(start.date(), audience),
    }


@in_document_locale
def leaflets(events_and_audiences: list[tuple], note: str | None = None) -> dict:
    """The context of ``leaflet.html``: one page per (event, audience)."""
    pages = [page(event, audience, note) for event, audience in events_and_audiences]
    return {"title": _("Leaflet on voluntary social insurance and household health insurance"), "leaflets": pages}


def page_count(pdf: bytes) -> int:
    """How many pages a PDF has."""
    return len(PdfReader(io.BytesIO(pdf)).pages)


def note_room(event, audience: str, note: str | None, *, step: int = 20) -> int | None:
    """None when the event's leaflet with this note is one page; else how many characters of the note fit
    (to within ``step``), found by laying out shorter notes (a handful of renders, only for a note too long)."""
    note = clean_note(note)

    def fits(text: str | None) -> bool:
        return page_count(renderer().render_pdf("leaflet.html", leaflets([(event, audience)], text))) == 1

    if note is None or fits(note):
        return None
    low, high = 0, len(note)  # an empty note fits (tests/printing/test_leaflet.py holds it)
    while high - low > step:
        middle = (low + high) // 2
        if fits(note[:middle]):
            low = middle
        else:
            high = middle
    return low
