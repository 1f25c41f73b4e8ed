"""The dashboard's figures of each center and month, counted set-based: one grouped query per kind
of figure (activities, attendances, visits, overdue visits, requests, hours), whatever the number
of centers and months, with the same definitions as the report's sections (each section module's
``month_figures``).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal
from importlib import import_module

from django.db import transaction
from django.utils import translation

from .periods import Period
from .sections import Unavailable, tune_for_aggregates

logger = logging.getLogger(__name__)

# The beat entry recounts the current month this often (migration 0006); a page that finds the
# current month's figures older than twice this asks for a recount (the beat may be stopped).
REFRESH_EVERY = dt.timedelta(minutes=30)


@dataclass(frozen=True)
class Counter:
    module: str  # a section module with month_figures(center_ids, first, last)
    fields: tuple[str, ...]  # CenterMonthFigures fields it fills
    # (section key, column key -> field): the same figures in a published report's sections
    section: str
    columns: tuple[tuple[str, str], ...]


COUNTERS = [
    Counter(
        "reports.sections.centers",
        ("held", "attended", "residents"),
        "activities",
        (("held", "held"), ("attended", "attended"), ("residents", "residents")),
    ),
    Counter(
        "reports.sections.care", ("visits", "overdue"), "care", (("visits", "visits"), ("overdue", "overdue"))
    ),
    Counter(
        "reports.sections.dispatch",
        ("requests_received", "requests_done"),
        "requests",
        (("received", "requests_received"), ("done", "requests_done")),
    ),
    Counter(
        "reports.sections.volunteers",
        ("verified_hours",),
        "volunteers",
        (("verified_hours", "verified_hours"),),
    ),
]
FIELDS = tuple(name for counter in COUNTERS for name in counter.fields)


def months_between(first: Period, last: Period) -> list[Period]:
    return [first.shift(i) for i in range((last.year - first.year) * 12 + last.month - first.month + 1)]


def count(center_ids: list[int], first: Period, last: Period) -> dict[tuple[int, str], dict]:
    """``{(center id, "2026-10"): {field: value}}`` for every center and month from ``first`` to ``last``.

    Nothing recorded is 0; a figure whose app cannot provide it is None (and that counter fails
    alone, in its own savepoint, as a report section does).
    """
    grid = {(c, p.key): {} for c in center_ids for p in months_between(first, last)}
    for counter in COUNTERS:
        try:
            function = import_module(counter.module).month_figures
            with transaction.atomic(), translation.override("en"):
                tune_for_aggregates()
                part = function(center_ids, first, last)
        except Unavailable:
            part = None
        except Exception:  # an app changed under us: its figures are left empty, the rest are counted
            logger.exception("dashboard figures of %s failed", counter.module)
            part = None
        for key, values in grid.items():
            found = part.get(key, {}) if part is not None else {}
            for name in counter.fields:
                values[name] = None if part is None else (found.get(name) or 0)
    return grid


def from_report(sections: list[dict]) -> dict[int, dict] | None:
    """``{center id: {field: value}}`` from a street or center report's stored sections (rows by
    center), or None when a section the dashboard needs was not computed."""
    by_key = {s["key"]: s for s in sections}
    out: dict[int, dict] = {}
    for counter in COUNTERS:
        section = by_key.get(counter.section)
        if section is None or section.get("status") != "ok" or not section.get("keys"):
            return None
        index = {column["key"]: i for i, column in enumerate(section["columns"])}
        if any(column not in index for column, _field in counter.columns):
            return None
        for center_id, row in zip(section["keys"], section["rows"], strict=True):
            values = out.setdefault(center_id, {})
            for column, name in counter.columns:
                value = row[index[column]]
                values[name] = (
                    Decimal(str(value)) if name == "verified_hours" and value is not None else value
                )
    return out
