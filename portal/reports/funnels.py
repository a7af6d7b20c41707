"""The funnel pages' figures (per campaign by office, commune, agent or event; per event by agent), with the
potential groups and leaflet audiences, built once for the page and for its spreadsheet and printed report."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_pgettext, pgettext
from sqlalchemy import select

from ..auth.scope import Place
from ..events.models import Event
from ..extensions import db
from ..geo.models import Commune
from ..households.labels import POTENTIAL_GROUP_LABELS
from ..i18n.collation import collation_key
from ..i18n.formatting import format_datetime, format_number, format_percent
from ..org.models import Agent
from ..printing.text import in_document_locale
from . import charts, funnel, groups, queries
from .exports import Column, Report, Table
from .funnel import STEPS, Funnel
from .labels import AUDIENCE_LABELS, AUDIENCE_VI, GROUP_VI, LEVEL_IN_VI, LEVEL_VI, STEP_LABELS, STEP_VI
from .progress import period_line

OTHERS = -1  #: the row of agents outside the office, or of steps nobody is credited with


def _named(rows: dict, subjects: list[tuple[int, str]], *, others: str | None = None) -> list[Funnel]:
    """One funnel per subject, in the subjects' order (empty ones too); what matches none goes to ``others``."""
    result = []
    known = {sid for sid, _n in subjects}
    for sid, name in subjects:
        found = rows.get(sid) or Funnel(sid)
        found.key, found.name = sid, name
        result.append(found)
    if others is not None:
        rest = funnel.total([f for k, f in rows.items() if k not in known], others)
        if not rest.empty:
            rest.key = OTHERS
            result.append(rest)
    return result


def steps_chart(total: Funnel) -> dict:
    """The funnel drawn as centred bars, each step with its count and its rate from the step before."""
    items = []
    for step in STEPS:
        rate = total.rate(step)
        text = format_number(total.count(step)) + (f" ({format_percent(rate, 0)})" if rate is not None else "")
        items.append((str(STEP_LABELS[step]), total.count(step), text))
    return charts.bars(items, top=max([total.count(s) for s in STEPS] + [1]), centred=True)


def conversion_chart(rows: list[Funnel]) -> dict:
    """Bars of signed up per listed household."""
    return charts.percent_bars([(r.name, r.conversion) for r in rows])


def _groups(per_event: dict[int, Funnel]) -> list[Funnel]:
    found = groups.by_group(per_event)
    for tag, row in found.items():
        row.name = str(POTENTIAL_GROUP_LABELS.get(tag, tag))
    return funnel.ranked(list(found.values())) + [r for r in found.values() if not r.listed]


def _audiences(events, per_event) -> list[Funnel]:
    found = funnel.rollup(events, per_event, "audience")
    for key, row in found.items():
        row.name = str(AUDIENCE_LABELS.get(key, key))
    return funnel.ranked(list(found.values())) + [r for r in found.values() if not r.listed]


def campaign_funnel(campaign, where: Place) -> dict:
    """The funnel of a campaign's events at one level of the place."""
    event_ids = funnel.campaign_events(campaign, where)
    if where.commune:
        event_ids = event_ids.where(Event.commune_id == where.commune[0])
    events = funnel.event_infos(event_ids)
    per_event = funnel.by_event(event_ids)
    level = where.level
    if level == "office":
        rows = _named(funnel.rollup(events, per_event, "office"), queries.subjects(campaign, where))
    elif level == "commune":
        rows = _named(funnel.rollup(events, per_event, "commune"), queries.subjects(campaign, where))
    elif level == "agent":
        rows = _named(funnel.by_agent(event_ids), queries.subjects(campaign, where),
                      others=_("No agent, or an agent of another office"))
    else:
        rows = []
        for event in events:
            row = per_event.get(event.id) or Funnel(event.id)
            row.key, row.name = event.id, event.title
            rows.append(row)
    total = funnel.total(list(per_event.values()))
    by_group = _groups(per_event)
    audiences = _audiences(events, per_event)
    return {"campaign": campaign, "place": where, "level": level, "office": where.office, "rows": rows,
            "total": total, "events": {e.id: e for e in events}, "groups": by_group, "audiences": audiences,
            "steps": STEPS, "event_count": len(events),
            "steps_chart": steps_chart(total), "groups_chart": conversion_chart([g for g in by_group if g.listed]),
            "audiences_chart": conversion_chart([a for a in audiences if a.listed])}


def event_funnel(event) -> dict:
    """The funnel of one event, by agent and by potential group."""
    event_ids = select(Event.id).where(Event.id == event.id)
    per_event = funnel.by_event(event_ids)
    total = per_event.get(event.id) or Funnel(event.id)
    by_agent = funnel.by_agent(event_ids)
    names = dict(db.session.execute(select(Agent.id, Agent.full_name).where(
        Agent.id.in_([k for k in by_agent if k is not None]))).all()) if by_agent else {}
    agents = sorted(_named(by_agent, list(names.items()), others=_("No agent")),
                    key=lambda r: (r.key == OTHERS, collation_key(r.name)))
    by_group = _groups(per_event)
    commune = db.session.get(Commune, event.commune_id)
    return {"event": event, "commune": commune, "total": total, "agents": agents, "groups": by_group,
            "steps": STEPS, "steps_chart": steps_chart(total),
            "groups_chart": conversion_chart([g for g in by_group if g.listed]),
            "audience": AUDIENCE_LABELS.get(event.leaflet_audience or funnel.NO_AUDIENCE)}


# Spreadsheets and printed reports

def _columns(first: str) -> list[Column]:
    columns = [Column(pgettext("document", "No."), "int", 6, 9), Column(first, "text", 32, 52)]
    for step in STEPS:
        if step == "listed":
            columns.append(Column(STEP_VI[step], "int", 11, 17))
        else:
            columns += [Column(pgettext("document", "Households"), "int", 10, 15, STEP_VI[step]),
                        Column("%", "percent", 8, 13, STEP_VI[step])]
    return columns + [Column(pgettext("document", "Signed up / listed (percent)"), "percent", 12, 17),
                      Column(pgettext("document", "Attendees (people)"), "int", 10, 15),
                      Column(pgettext("document", "Sign-ups"), "int", 10, 15),
                      Column(pgettext("document", "Outside the steps (households)"), "int", 11, 17)]


def _cells(row: Funnel) -> list:
    cells = []
    for step in STEPS:
        cells.append(row.count(step))
        if step != "listed":
            cells.append(row.rate(step))
    return cells + [row.conversion, row.attendees, row.signups, row.outside]


def _table(title: str, first: str, rows: list[Funnel], total: Funnel | None = None, note: str | None = None,
           chart: bool = False) -> Table:
    for row in rows:
        if row.key == OTHERS:
            row.name = pgettext("document", "No agent assigned, or an agent from elsewhere")
    return Table(title, _columns(first), [[n, r.name, *_cells(r)] for n, r in enumerate(rows, 1)],
                 total=[None, pgettext("document", "Total"), *_cells(total)] if total is not None else None,
                 note=str(note) if note else None,
                 bars=[(r.name, r.conversion or 0, format_percent(r.conversion, 1)) for r in rows if r.listed]
                 if chart else None)


NOTE = lazy_pgettext(
    "document", "Each step counts households at each activity. Attended: a household with someone on the attendance "
    "sheet; signed up: a household with someone signing up anew or renewing at the activity (confirmed or not). "
    "Each step counts only households that passed the step before, so the percent (the rate against the step "
    "before) is never above one hundred; households attending or signing up without the steps before (walk-ins, "
    "households not on the list) are counted in the column Outside the steps.")
GROUP_NOTE = lazy_pgettext(
    "document", "A household belongs to a group when one of its members is tagged with it. Chart: the sign-up "
    "rate against the households on the list.")


@in_document_locale
def campaign_funnel_report(context: dict) -> Report:
    """The campaign funnel's current view as a report."""
    campaign, where = context["campaign"], context["place"]
    scope = f" – {where.office.name}" if where.office else ""
    scope += f" – {where.commune[1]}" if where.commune else ""
    for group in context["groups"]:
        group.name = GROUP_VI.get(group.key, group.name)
    for audience in context["audiences"]:
        audience.name = AUDIENCE_VI.get(audience.key, audience.name)
    rows = context["rows"]
    if where.level == "event":
        events = context["events"]
        for row in rows:
            row.name = f"{row.name} ({format_datetime(events[row.key].starts_at)})"
    return Report(pgettext("document", "Results step by step: %(name)s", name=campaign.name),
                  period_line(campaign) + scope, f"pheu-{campaign.id}-{where.level}",
                  [_table(pgettext("document", "By %(level)s", level=LEVEL_IN_VI[where.level]), LEVEL_VI[where.level],
                          rows, context["total"], NOTE),
                   _table(pgettext("document", "Potential groups"), pgettext("document", "Group"), context["groups"],
                          note=GROUP_NOTE, chart=True),
                   _table(pgettext("document", "Leaflet variant"), pgettext("document", "Leaflet"),
                          context["audiences"], chart=True)],
                  facts=[(pgettext("document", "Activities"), str(context["event_count"]))])


@in_document_locale
def event_funnel_report(context: dict) -> Report:
    """One event's funnel as a report."""
    event = context["event"]
    for group in context["groups"]:
        group.name = GROUP_VI.get(group.key, group.name)
    total = context["total"]
    total.name = event.title
    return Report(pgettext("document", "Results step by step: %(name)s", name=event.title),
                  f"{format_datetime(event.starts_at)}, {context['commune'].name}", f"pheu-su-kien-{event.id}",
                  [_table(pgettext("document", "Steps"), LEVEL_VI["event"], [total], note=NOTE),
                   _table(pgettext("document", "By %(level)s", level=LEVEL_IN_VI["agent"]), LEVEL_VI["agent"],
                          context["agents"], total),
                   _table(pgettext("document", "Potential groups"), pgettext("document", "Group"), context["groups"],
                          note=GROUP_NOTE, chart=True)],
                  facts=[(pgettext("document", "Leaflet variant"),
                          AUDIENCE_VI[event.leaflet_audience or funnel.NO_AUDIENCE])])
