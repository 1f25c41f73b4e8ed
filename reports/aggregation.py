"""Aggregates the ORM lacks: the median of a duration, computed in the database.

PostgreSQL has ``percentile_cont``, one grouped query. SQLite has no percentile function, so
there the median is read with ORDER BY ... LIMIT/OFFSET: two small queries per group, still
without fetching the rows into Python.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import Aggregate, DurationField, ExpressionWrapper, F, QuerySet


class Median(Aggregate):
    """PostgreSQL's ``percentile_cont(0.5) WITHIN GROUP (ORDER BY expr)``."""

    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    allow_distinct = False


def _span(start: str, end: str) -> ExpressionWrapper:
    return ExpressionWrapper(F(end) - F(start), output_field=DurationField())


def _hours(value) -> float | None:
    if value is None:
        return None
    if isinstance(value, dt.timedelta):
        return round(value.total_seconds() / 3600, 2)
    return round(float(value) / 3_600_000_000, 2)  # SQLite: microseconds


def median_hours(qs: QuerySet, start: str, end: str) -> float | None:
    """The median of ``end - start`` in hours over rows where both are set; None when empty."""
    qs = qs.filter(**{f"{start}__isnull": False, f"{end}__isnull": False})
    if connection.vendor == "postgresql":
        return _hours(qs.aggregate(m=Median(_span(start, end), output_field=DurationField()))["m"])
    return _sqlite_median(qs.annotate(_span=_span(start, end)))


def median_hours_by(qs: QuerySet, unit: str, start: str, end: str) -> list[dict]:
    """``[{unit: id, "median": hours}]`` per group (the shape of ``values(unit).annotate()``)."""
    qs = qs.filter(**{f"{start}__isnull": False, f"{end}__isnull": False})
    if connection.vendor == "postgresql":
        rows = qs.values(unit).annotate(_m=Median(_span(start, end), output_field=DurationField())).order_by()
        return [{"unit": row[unit], "median": _hours(row["_m"])} for row in rows]
    annotated = qs.annotate(_span=_span(start, end))
    units = annotated.order_by().values_list(unit, flat=True).distinct()
    return [{"unit": u, "median": _sqlite_median(annotated.filter(**{unit: u}))} for u in units]


def _sqlite_median(annotated: QuerySet) -> float | None:
    count = annotated.count()
    if not count:
        return None
    middle = list(
        annotated.order_by("_span").values_list("_span", flat=True)[(count - 1) // 2 : count // 2 + 1]
    )
    values = [v.total_seconds() * 1_000_000 if isinstance(v, dt.timedelta) else float(v) for v in middle]
    return _hours(sum(values) / len(values))


__all__ = ["Median", "median_hours", "median_hours_by"]
