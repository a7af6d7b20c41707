"""The funnel pages' figures (per campaign by office, commune, agent or event; per event by agent), with the
potential groups and leaflet audiences, built once for the page and for its spreadsheet and printed report."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from ..auth.scope import Place
from ..events.models import Event
from ..extensions import db
from ..geo.models import Commune
from ..households.labels import POTENTIAL_GROUP_LABELS
from ..i18n.collation import collation_key
from ..i18n.formatting import format_datetime, format_number, format_percent
from ..org.models import Agent
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
    columns = [Column("STT", "int", 6, 9), Column(first, "text", 32, 52)]
    for step in STEPS:
        if step == "listed":
            columns.append(Column(STEP_VI[step], "int", 11, 17))
        else:
            columns += [Column("Số hộ", "int", 10, 15, STEP_VI[step]), Column("%", "percent", 8, 13, STEP_VI[step])]
    return columns + [Column("Đăng ký / danh sách (%)", "percent", 12, 17), Column("Số người dự", "int", 10, 15),
                      Column("Lượt đăng ký", "int", 10, 15), Column("Ngoài các bước (hộ)", "int", 11, 17)]


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
            row.name = "Chưa giao đại lý, hoặc đại lý nơi khác"
    return Table(title, _columns(first), [[n, r.name, *_cells(r)] for n, r in enumerate(rows, 1)],
                 total=[None, "Tổng cộng", *_cells(total)] if total is not None else None, note=note,
                 bars=[(r.name, r.conversion or 0, format_percent(r.conversion, 1)) for r in rows if r.listed]
                 if chart else None)


NOTE = ("Mỗi bước đếm số hộ tại từng hoạt động. Đến dự: hộ có người điểm danh; đăng ký: hộ có người đăng ký "
        "tham gia mới hoặc tái tục tại hoạt động (kể cả chưa xác nhận). Mỗi bước chỉ đếm hộ đã qua bước trước, "
        "nên % (tỷ lệ so với bước trước) không quá 100%; hộ đến dự hoặc đăng ký mà chưa qua các bước trước "
        "(khách vãng lai, hộ ngoài danh sách) đếm ở cột Ngoài các bước.")
GROUP_NOTE = "Một hộ thuộc nhóm khi có thành viên được gắn nhóm đó. Biểu đồ: tỷ lệ đăng ký trên số hộ trong danh sách."


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
    return Report(f"Kết quả từng bước vận động: {campaign.name}", period_line(campaign) + scope, f"pheu-{campaign.id}-{where.level}",
                  [_table(f"Theo {LEVEL_IN_VI[where.level]}", LEVEL_VI[where.level], rows, context["total"], NOTE),
                   _table("Nhóm đối tượng tiềm năng", "Nhóm", context["groups"], note=GROUP_NOTE, chart=True),
                   _table("Loại tờ rơi", "Tờ rơi", context["audiences"], chart=True)],
                  facts=[("Số hoạt động", str(context["event_count"]))])


def event_funnel_report(context: dict) -> Report:
    """One event's funnel as a report."""
    event = context["event"]
    for group in context["groups"]:
        group.name = GROUP_VI.get(group.key, group.name)
    total = context["total"]
    total.name = event.title
    return Report(f"Kết quả từng bước vận động: {event.title}", f"{format_datetime(event.starts_at)}, {context['commune'].name}",
                  f"pheu-su-kien-{event.id}",
                  [_table("Các bước", "Hoạt động", [total], note=NOTE),
                   _table("Theo đại lý thu", "Đại lý thu", context["agents"], total),
                   _table("Nhóm đối tượng tiềm năng", "Nhóm", context["groups"], note=GROUP_NOTE, chart=True)],
                  facts=[("Loại tờ rơi", AUDIENCE_VI[event.leaflet_audience or funnel.NO_AUDIENCE])])
