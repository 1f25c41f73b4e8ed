"""The dashboard: 12-month trends and the centers side by side, from figures counted in advance.

Each center's figures of a month (CenterMonthFigures) are counted set-based by
``services.count_dashboard_figures``: every half hour for the current month (the beat), once more
after a month has ended, and from each published street or center report. The page reads them
with one query and says when they were counted; months never counted are counted on first view
(one grouped query per kind of figure), and figures gone stale are recounted by the worker.
"""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext

from . import charts, figures, selectors, services, tasks
from .models import CenterMonthFigures
from .periods import Period, Scope
from .sections import DECIMAL, INT, PERCENT, ratio

MONTHS = 12
# (key, field, title): one chart each, the field summed over the scope's centers.
TRENDS = [
    ("activities", "held", gettext_noop("Activities held")),
    ("attendance", "attended", gettext_noop("Attendances at activities")),
    ("visits", "visits", gettext_noop("Home visits made")),
    ("requests", "requests_received", gettext_noop("Service requests received")),
    ("hours", "verified_hours", gettext_noop("Verified volunteer hours")),
]
# (field, column header, type): shown side by side per center; the headers are the report's own.
SIDE_BY_SIDE = [
    ("held", gettext_noop("Activities held"), INT),
    ("attended", gettext_noop("Participants (attendances)"), INT),
    ("residents", gettext_noop("Unique residents"), INT),
    ("visits", gettext_noop("Visits made"), INT),
    ("overdue", gettext_noop("Visits overdue"), INT),
    ("requests_received", gettext_noop("Requests received"), INT),
    ("completion_rate", gettext_noop("Completion rate"), PERCENT),
    ("verified_hours", gettext_noop("Verified hours"), DECIMAL),
]
RECOUNT_LOCK = "reports:dashboard-recount"
NOT_AVAILABLE = gettext_noop("Not available yet: the app that records these figures cannot provide them.")


def month_label(period: Period) -> str:
    return date_format(period.start, pgettext("month on a chart axis, a date format", "M"))


def _available(row: CenterMonthFigures, field: str) -> bool:
    return getattr(row, "requests_received" if field == "completion_rate" else field) is not None


def _value(row: CenterMonthFigures, field: str):
    if field == "completion_rate":
        return ratio(row.requests_done, row.requests_received) if row.requests_received is not None else None
    value = getattr(row, field)
    return float(value) if field == "verified_hours" and value is not None else value


def month_figures(*, scope: Scope, months: list[Period]) -> dict[str, list[CenterMonthFigures]]:
    """The stored figures of the scope's centers per month key; months not yet counted are counted now."""
    center_ids = scope.center_ids
    rows = selectors.list_month_figures(center_ids=center_ids, first=months[0], last=months[-1])
    by_month: dict[str, list[CenterMonthFigures]] = {p.key: [] for p in months}
    for row in rows:
        by_month[f"{row.period:%Y-%m}"].append(row)
    wanted = set(center_ids)
    missing = [p for p in months if {r.center_id for r in by_month[p.key]} < wanted]
    if missing:
        for row in services.count_dashboard_figures(center_ids=center_ids, periods=missing):
            key = f"{row.period:%Y-%m}"
            by_month[key] = [r for r in by_month[key] if r.center_id != row.center_id] + [row]
    _recount_if_stale(by_month)
    return by_month


def _recount_if_stale(by_month: dict[str, list[CenterMonthFigures]]) -> None:
    """Ask the worker for a recount when the current month's figures are older than the beat's
    cadence allows, or a month that has ended was last counted before its end (at most once per
    half hour for everyone: a lock in the cache)."""
    now = timezone.now()
    current = Period.current().key
    stale = False
    for key, rows in by_month.items():
        # Current month: older than the beat allows; an ended month: not counted since it ended.
        limit = now - 2 * figures.REFRESH_EVERY if key == current else Period.parse(key).end_at
        stale = stale or any(row.counted_at < limit for row in rows)
    if stale and cache.add(RECOUNT_LOCK, True, timeout=int(figures.REFRESH_EVERY.total_seconds())):
        tasks.refresh_dashboard_figures_task.delay_on_commit()


def _as_of(rows: list[CenterMonthFigures]) -> dt.datetime | None:
    return min((r.counted_at for r in rows), default=None)


def trends(*, months: list[Period], by_month: dict[str, list[CenterMonthFigures]]) -> list[dict]:
    labels = [month_label(p) for p in months]
    as_of = [_as_of(by_month[p.key]) for p in months]
    as_of = [date_format(timezone.localtime(t), "SHORT_DATETIME_FORMAT") if t else "" for t in as_of]
    out = []
    for key, field, title in TRENDS:
        kind = DECIMAL if field == "verified_hours" else INT
        item = {"key": key, "title": _(title), "months": months, "labels": labels, "kind": kind}
        cells = [[_value(r, field) for r in by_month[p.key]] for p in months]
        if any(not _available(r, field) for p in months for r in by_month[p.key]):
            item.update(status="missing", reason=_(NOT_AVAILABLE))
        else:
            values = [sum(month) for month in cells]
            item.update(
                status="ok",
                values=values,
                rows=list(zip(labels, values, as_of, strict=True)),
                empty=not any(values),
                svg=charts.bar_chart(
                    title=item["title"], labels=labels, values=values, chart_id=f"trend-{key}"
                ),
            )
        out.append(item)
    return out


def centers_side_by_side(*, scope: Scope, rows: list[CenterMonthFigures]) -> dict:
    """One row per center of the scope: a few of the month's figures, and when they were counted."""
    by_center = {r.center_id: r for r in rows}
    columns, missing = [], []
    for field, label, kind in SIDE_BY_SIDE:
        if any(not _available(r, field) for r in rows):
            missing.append(_(label))
            continue
        columns.append({"key": field, "label": label, "type": kind})
    table = []
    for pk, name in scope.centers:
        row = by_center.get(pk)
        table.append(
            {"name": name, "cells": [(_value(row, c["key"]) if row else None, c["type"]) for c in columns]}
        )
    return {
        "columns": columns,
        "rows": table,
        "missing": missing,
        "unit_label": gettext_noop("Center"),
        "as_of": _as_of(rows),
    }


def build(*, scope: Scope, period: Period) -> dict:
    """What the dashboard page shows for ``scope`` up to ``period``."""
    months = period.months_back(MONTHS)
    by_month = month_figures(scope=scope, months=months)
    return {
        "trends": trends(months=months, by_month=by_month),
        "side_by_side": centers_side_by_side(scope=scope, rows=by_month[period.key]),
        "as_of": _as_of(by_month[period.key]),
    }
