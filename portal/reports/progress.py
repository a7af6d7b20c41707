"""The campaign dashboard's figures (progress against targets, last year, daily line, ranking), built once for
the page and for its spreadsheet and printed report."""

from __future__ import annotations

from flask_babel import lazy_pgettext, pgettext

from ..auth.scope import Place
from ..campaigns.labels import METRIC_SHORT
from ..campaigns.models import LEVEL_METRICS, METRICS
from ..geo.models import Commune
from ..i18n.formatting import format_date, format_number, format_percent, local_today
from ..printing.text import in_document_locale
from ..results.labels import CHANNEL_LABELS
from . import activities, charts, coverage, plan, queries
from .exports import Column, Report, Table
from .labels import LEVEL_IN_VI, LEVEL_VI, METRIC_SHORT_VI

RANKED = "new_bhxh_tn"
#: What agents are counted on (conferences and attendees belong to communes, not to agents).
AGENT_METRICS = ("new_bhxh_tn", "new_bhyt_hgd", "renewals")


def metrics_of(level: str) -> tuple[str, ...]:
    if level == "agent":
        return AGENT_METRICS
    return LEVEL_METRICS.get(level, METRICS)


def dashboard(campaign, where: Place) -> dict:
    """Everything the campaign dashboard shows for one place."""
    today = local_today()
    before = queries.last_year(campaign, today)
    lines_of = plan.progress_lines if where.level in plan.LEVELS else queries.progress_lines
    rows, now, then = lines_of(campaign, where, previous=before)
    total = queries.total(rows)
    goal = total.target.get(RANKED, 0)
    if where.office_id and (where.level == "agent" or not goal):
        goal = queries.targets(campaign, "office").get(where.office_id, {}).get(RANKED, 0) or goal
    points = queries.cumulative(campaign, now.per_day)
    previous_points = queries.cumulative(queries.last_year_whole(campaign), then.per_day)
    has_previous = bool(total.previous) and any(total.previous.values())
    ranking = sorted([r for r in rows if r.target.get(RANKED)], key=lambda r: -(r.percent(RANKED) or 0))[:10]
    channels, channel_plan = by_channel(campaign, where)
    return {
        "campaign": campaign, "place": where, "level": where.level, "office": where.office, "rows": rows,
        "total": total, "metrics": metrics_of(where.level),
        "metric_short": METRIC_SHORT,
        "before": before, "has_previous": has_previous, "ranking": ranking, "today": today,
        "chart": charts.daily(points, goal, today=today, previous=previous_points),
        "daily_rows": _daily_rows(points, previous_points, today),
        "ranking_chart": charts.percent_bars([(r.name, r.percent(RANKED)) for r in ranking], plan=True),
        "coverage": coverage.coverage(campaign.province_id, campaign.starts_on.year, _coverage_place(where), today),
        "channels": channels,
        "channel_plan": channel_plan,
        "channel_labels": CHANNEL_LABELS, "ranked": plan.ranked(rows) if where.level == "organisation" else [],
        "pairs_chart": charts.pairs([(str(METRIC_SHORT[m]), total.achieved.get(m, 0),
                                      total.previous.get(m, 0) if has_previous else None)
                                     for m in metrics_of(where.level)]),
    }


def by_channel(campaign, where: Place) -> tuple[dict, dict]:
    """The place's counted sign-ups by channel, and the shares of the channel targets.

    A commune's hamlets show their own figures (the sign-ups of their households), without targets: targets by
    channel are set for a whole office, and the office's target set against one commune's figures would read as
    far behind. Every other level shows the offices it covers against their targets."""
    if where.level == "hamlet" and where.commune is not None:
        return queries.by_channel(campaign, Commune.id == where.commune[0]), {}
    channels = queries.by_channel(campaign, None if where.office is None else Commune.office_id == where.office_id)
    return channels, plan.channel_shares(plan.channel_targets(campaign, where.covered_office_ids), channels)


def _coverage_place(where: Place) -> Place:
    """Coverage is by office or by commune: organisations across offices read it by office, the others (one
    office's organisations, a commune's hamlets) by the office's communes."""
    if where.level in ("office", "commune", "agent"):
        return where
    return Place("office" if where.office is None else "commune", where.offices, where.office)


def _daily_rows(points, previous_points, today) -> list[dict]:
    """The daily line as a table (the chart's figures in text), up to today."""
    rows = []
    for index, (day, value) in enumerate(points):
        if day > today and index:
            break
        before = previous_points[index][1] if index < len(previous_points) else None
        rows.append({"day": day, "value": value, "before": before})
    return rows


@in_document_locale
def period_line(campaign) -> str:
    return pgettext("document", "From %(start)s to %(end)s", start=format_date(campaign.starts_on),
                    end=format_date(campaign.ends_on))


#: The three columns under each metric: (heading, kind, width in the workbook).
TARGET_HEADS = ((lazy_pgettext("document", "Target"), "int", 11), (lazy_pgettext("document", "Achieved"), "int", 11),
                (lazy_pgettext("document", "Percent of plan"), "percent", 11))
COMPARE_HEADS = ((lazy_pgettext("document", "This year"), "int", 11),
                 (lazy_pgettext("document", "Same period last year"), "int", 12),
                 (lazy_pgettext("document", "Change (percent)"), "percent", 11))


def _metric_columns(first: str, metrics, heads) -> list[Column]:
    columns = [Column(pgettext("document", "No."), "int", 6, 9), Column(first, "text", 30, 38)]
    for metric in metrics:
        label = METRIC_SHORT_VI[metric]
        columns += [Column(str(heading), kind, width, 14, label) for heading, kind, width in heads]
    return columns


@in_document_locale
def over_plan(lines: list, metrics) -> str | None:
    """The lines whose result passes its target, said plainly (a percentage above 100 never stands alone): each
    line once, with every metric it passes and by how much."""
    over = []
    for line in lines:
        beyond = [f"{METRIC_SHORT_VI[m]} +{format_number(line.achieved.get(m, 0) - line.target[m])}" for m in metrics
                  if line.target.get(m) and line.achieved.get(m, 0) > line.target[m]]
        if beyond:
            over.append(f"{line.name} ({', '.join(beyond)})")
    return pgettext("document", "Over the plan: %(lines)s.", lines="; ".join(over)) if over else None


def _target_cells(line, metrics) -> list:
    cells = []
    for metric in metrics:
        cells += [line.target.get(metric, 0), line.achieved.get(metric, 0), line.percent(metric)]
    return cells


def _compare_cells(line, metrics) -> list:
    cells = []
    for metric in metrics:
        cells += [line.achieved.get(metric, 0), (line.previous or {}).get(metric, 0), line.change_percent(metric)]
    return cells


@in_document_locale
def tables(lines: list, total, first: str, before, *, numbered=None, bold=frozenset(), metrics=METRICS
           ) -> list[Table]:
    """The two tables of a progress report: against targets, and against the same days last year."""
    numbers = numbered or list(range(1, len(lines) + 1))
    since = f"{format_date(before.starts_on)} – {format_date(before.ends_on)}"
    ranking = sorted([r for i, r in enumerate(lines) if i not in bold and r.target.get(RANKED)],
                     key=lambda r: -(r.percent(RANKED) or 0))[:10]
    return [
        Table(pgettext("document", "Results against targets"), _metric_columns(first, metrics, TARGET_HEADS),
              [[n, line.name, *_target_cells(line, metrics)] for n, line in zip(numbers, lines, strict=True)],
              total=[None, pgettext("document", "Total"), *_target_cells(total, metrics)], bold=set(bold),
              bars=[(r.name, r.percent(RANKED) or 0, format_percent(r.percent(RANKED), 1)) for r in ranking] or None,
              bars_top=max([100.0] + [r.percent(RANKED) or 0 for r in ranking]),
              note=" ".join(filter(None, (
                  pgettext("document", "Chart: ranking by percent of plan for new voluntary social insurance "
                           "participants.") if ranking else None,
                  over_plan([line for i, line in enumerate(lines) if i not in bold], metrics)))) or None),
        Table(pgettext("document", "Against the same period last year"), _metric_columns(first, metrics, COMPARE_HEADS),
              [[n, line.name, *_compare_cells(line, metrics)] for n, line in zip(numbers, lines, strict=True)],
              total=[None, pgettext("document", "Total"), *_compare_cells(total, metrics)], bold=set(bold),
              note=pgettext("document", "Same period last year: %(period)s.", period=since)),
    ]


@in_document_locale
def dashboard_report(context: dict) -> Report:
    """The dashboard's current view as a report."""
    campaign, where = context["campaign"], context["place"]
    scope = f" – {where.office.name}" if where.office else ""
    if where.level == "hamlet" and where.commune:
        scope += f" – {where.commune[1]}"
    return Report(pgettext("document", "Progress of %(campaign)s by %(level)s", campaign=campaign.name,
                           level=LEVEL_IN_VI[where.level]), period_line(campaign) + scope,
                  f"tien-do-{campaign.id}-{where.level}",
                  tables(context["rows"], context["total"], LEVEL_VI[where.level], context["before"],
                         metrics=metrics_of(where.level)),
                  facts=[(pgettext("document", "Figures as of"), format_date(context["today"]))])


@in_document_locale
def communes_report(campaign, where: Place) -> Report:
    """The results of the campaign by commune (the standard report) in the offices the place covers, communes
    grouped by office with subtotals."""
    before = queries.last_year(campaign, local_today())
    found = queries.commune_lines(campaign, where, previous=before)
    offices = [o for o in where.offices if o.id in where.covered_office_ids]
    lines, numbers, bold = [], [], set()
    n = 0
    for office in offices:
        of_office = [line for o, line in found if o == office.id]
        if not of_office:
            continue
        for line in of_office:
            n += 1
            lines.append(line)
            numbers.append(n)
        if len(offices) > 1:
            subtotal = queries.total(of_office)
            subtotal.name = pgettext("document", "Total of %(office)s", office=office.name)
            bold.add(len(lines))
            lines.append(subtotal)
            numbers.append(None)
    total = queries.total([line for _o, line in found])
    return Report(pgettext("document", "Results of %(campaign)s by commune", campaign=campaign.name),
                  period_line(campaign),
                  f"ket-qua-{campaign.id}-theo-xa",
                  tables(lines, total, LEVEL_VI["commune"], before, numbered=numbers, bold=bold)
                  + [activities.table(activities.by_kind(campaign, where))],
                  facts=[(pgettext("document", "Figures as of"), format_date(local_today()))])
