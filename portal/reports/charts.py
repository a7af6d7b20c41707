"""Server-drawn SVG charts as plain coordinates: the templates draw them with presentation attributes and
classes only (the CSP forbids style attributes), and every chart's figures are also written out as text."""

from __future__ import annotations

from datetime import date

from ..i18n.formatting import format_number, format_percent


def nice_top(value: float) -> int:
    """A round number at or above ``value`` for the top of an axis (1, 2, 2.5, 5 × a power of ten)."""
    if value <= 1:
        return 1
    power = 1
    while power * 10 <= value:
        power *= 10
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return int(step * power) if step * power == int(step * power) else int(step * power) + 1
    return int(10 * power)


def _polyline(points: list[tuple[float, float]]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def daily(points: list[tuple[date, int]], goal: int, *, today: date, previous: list[tuple[date, int]] | None = None
          ) -> dict:
    """The cumulative figure day by day against a straight line to the goal, with last year's line if any."""
    width, height, left, right, top, bottom = 480, 230, 44, 12, 12, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(points) - 1, 1)
    values = [v for _d, v in points] + [v for _d, v in previous or []]
    top_value = nice_top(max([goal, *values, 1]))

    def x(i: int) -> float:
        return left + i * plot_w / n

    def y(v: float) -> float:
        return top + plot_h - v * plot_h / top_value

    actual = [(x(i), y(v)) for i, (d, v) in enumerate(points) if d <= today]
    last = next((v for d, v in reversed(points) if d <= today), 0)
    chart = {
        "width": width, "height": height, "left": left, "right": width - right, "top": top,
        "bottom": top + plot_h, "goal": goal, "last": last,
        "actual": _polyline(actual) if len(actual) > 1 else "",
        "dot": actual[-1] if actual else None,
        "plan": _polyline([(x(0), y(0)), (x(n), y(goal))]) if goal else "",
        "previous": "", "previous_total": None,
        "y_ticks": [{"y": round(y(v), 1), "label": format_number(v)} for v in (0, top_value / 2, top_value)
                    if v == int(v)],
        "x_ticks": [{"x": round(x(i), 1), "label": f"{points[i][0].day:02d}/{points[i][0].month:02d}"}
                    for i in sorted({0, n // 2, n}) if i < len(points)],
    }
    if previous and any(v for _d, v in previous):
        chart["previous"] = _polyline([(x(i), y(v)) for i, (_d, v) in enumerate(previous) if i <= n])
        chart["previous_total"] = previous[-1][1]
    return chart


def bars(items: list[tuple[str, float, str]], *, top: float | None = None, centred: bool = False) -> dict:
    """Labelled horizontal bars: ``items`` are (label, value, value as text), drawn to scale against ``top``.

    The labels and figures are HTML text (they keep their size on a phone); each bar is a small SVG whose
    rectangle is a share of 100 units.
    """
    top = top if top is not None else max([v for _l, v, _t in items] + [0])
    rows = []
    for label, value, text in items:
        share = 0.0 if not top else max(0.0, min(1.0, value / top)) * 100
        rows.append({"label": label, "text": text, "x": round((100 - share) / 2 if centred else 0, 2),
                     "width": round(share, 2)})
    return {"rows": rows, "centred": centred, "plan_x": None}


def percent_bars(items: list[tuple[str, float | None]], *, plan: bool = False) -> dict:
    """Bars of percentages; with ``plan``, scaled to at least 100% with a mark where the plan is reached."""
    top = max([100.0 if plan else 0.0] + [v or 0 for _l, v in items])
    chart = bars([(label, value or 0, format_percent(value, 1) if value is not None else "—")
                  for label, value in items], top=top)
    if plan and top:
        chart["plan_x"] = round(100.0 * 100.0 / top, 2)
    return chart


def pairs(items: list[tuple[str, int, int | None]]) -> dict:
    """For each metric, this year's bar above last year's, both scaled to the larger of the two."""
    rows = []
    for label, now, before in items:
        top = max(now, before or 0, 1)
        rows.append({"label": label,
                     "now": {"width": round(100.0 * now / top, 2), "text": format_number(now)},
                     "before": {"width": round(100.0 * (before or 0) / top, 2),
                                "text": format_number(before) if before is not None else "—"}})
    return {"rows": rows}
