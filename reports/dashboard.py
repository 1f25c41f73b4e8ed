"""The dashboard: 12-month trends (one grouped query per figure) and the centers side by side.

Computed live from the apps' tables, figure by figure; a figure whose app has not landed says so.
"""

from __future__ import annotations

import logging
from importlib import import_module

from django.db import transaction
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext

from . import charts
from .periods import Period, Scope
from .sections import SECTIONS, Unavailable, run_section
from .selectors import TRENDS

logger = logging.getLogger(__name__)

MONTHS = 12
# (section key, column key) shown side by side per center, in this order.
SIDE_BY_SIDE = [
    ("activities", "held"),
    ("activities", "attended"),
    ("activities", "residents"),
    ("care", "visits"),
    ("care", "overdue"),
    ("requests", "received"),
    ("requests", "completion_rate"),
    ("volunteers", "verified_hours"),
]


def month_label(period: Period) -> str:
    return date_format(period.start, pgettext("month on a chart axis, a date format", "M"))


def trends(*, scope: Scope, last: Period) -> list[dict]:
    months = last.months_back(MONTHS)
    labels = [month_label(p) for p in months]
    out = []
    for spec in TRENDS:
        item = {"key": spec.key, "title": _(spec.title), "months": months, "labels": labels}
        try:
            function = getattr(import_module(spec.module), spec.function)
            with transaction.atomic(), translation.override("en"):
                by_month = function(scope, months[0], last)
        except Unavailable as exc:
            item.update(status="missing", reason=_(exc.reason) % exc.params if exc.params else _(exc.reason))
        except Exception as exc:  # one figure fails alone
            logger.exception("dashboard trend %s failed", spec.key)
            item.update(
                status="error", reason=_("Not available (%(error)s).") % {"error": exc.__class__.__name__}
            )
        else:
            values = [by_month.get(p.key, 0) for p in months]
            item.update(
                status="ok",
                values=values,
                rows=list(zip(labels, values, strict=True)),
                empty=not any(values),
                svg=charts.bar_chart(
                    title=item["title"], labels=labels, values=values, chart_id=f"trend-{spec.key}"
                ),
            )
        out.append(item)
    return out


def centers_side_by_side(*, scope: Scope, period: Period) -> dict:
    """One row per center of the scope, a few figures of ``period`` from the report's sections."""
    per_center = Scope(scope.kind, scope.district_id, scope.street_id, scope.center_id, by="center")
    wanted = {key for key, _col in SIDE_BY_SIDE}
    computed = {spec.key: run_section(spec, period, per_center) for spec in SECTIONS if spec.key in wanted}
    columns, missing = [], []
    for section_key, column_key in SIDE_BY_SIDE:
        section = computed[section_key]
        if section["status"] != "ok":
            if section_key not in missing:
                missing.append(section_key)
            continue
        for index, column in enumerate(section["columns"]):
            if column["key"] == column_key:
                values = dict(
                    zip(section.get("keys", []), (row[index] for row in section["rows"]), strict=False)
                )
                columns.append({"label": column["label"], "type": column["type"], "values": values})
    rows = [
        {"name": name, "cells": [(c["values"].get(pk), c["type"]) for c in columns]}
        for pk, name in per_center.centers
    ]
    return {
        "columns": columns,
        "rows": rows,
        "missing": [_(computed[k]["title"]) for k in missing],
        "unit_label": gettext_noop("Center"),
    }
