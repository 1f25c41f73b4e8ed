"""Home visits and care: visits made, due and overdue, crisis interventions, referrals (care app).

Reads care's own aggregate selector (counts per center, never a person) so the report agrees
with care's overview page; per-center counts are then added up per street for the roll-up.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_noop

from core.models import Center

from ..aggregation import per_month
from ..periods import Period, Scope
from . import Column, Table, Unavailable, breakdown, need_fields, need_model, unit_column

FIGURES = [
    ("active", gettext_noop("Residents under care")),
    ("high", gettext_noop("High risk")),
    ("visits", gettext_noop("Visits made")),
    ("crisis", gettext_noop("Crisis interventions")),
    ("due_soon", gettext_noop("Visits due within 7 days")),
    ("overdue", gettext_noop("Visits overdue")),
    ("referrals_made", gettext_noop("Referrals made")),
    ("referrals_delivered", gettext_noop("Referrals delivered")),
    ("referrals_open", gettext_noop("Referrals open")),
]


def as_of(period: Period) -> dt.date:
    """Due and overdue are counted on the month's last day, or today for the current month."""
    return min(period.end - dt.timedelta(days=1), timezone.localdate())


def visits(period: Period, scope: Scope) -> Table:
    need_model("care", "Visit")
    try:
        from care.selectors import center_figures
    except ImportError:
        raise Unavailable(
            gettext_noop("Not available yet: the care app has no aggregate selector.")
        ) from None
    centers = Center.objects.filter(pk__in=scope.center_ids).only("pk", "street_id")
    figures = center_figures(
        centers=centers, start=period.start, end=period.end - dt.timedelta(days=1), today=as_of(period)
    )
    street_of = dict(centers.values_list("pk", "street_id"))
    per_unit: dict[int, dict] = {}
    for item in figures:  # one aggregate row per center, not per person
        unit = street_of[item.center.pk] if scope.by == "street" else item.center.pk
        row = per_unit.setdefault(unit, {"unit": unit, **{key: 0 for key, _label in FIGURES}})
        for key, _label in FIGURES:
            value = getattr(item, key, 0) or 0
            row[key] += value
    columns = [unit_column(scope), *[Column(key, label) for key, label in FIGURES]]
    table = breakdown(scope, columns, per_unit.values())
    table.notes.append(
        gettext_noop(
            "Due and overdue are counted from each resident's next due date as recorded when the report was generated, against the month's last day (today for the current month); the monthly schedule runs on the 1st, so its figures match the month's end."
        )
    )
    return table


def trend_visits(scope: Scope, first: Period, last: Period) -> dict[str, float]:
    Visit = need_model("care", "Visit")
    need_fields(Visit, "center", "visited_on")
    qs = Visit.objects.filter(scope.by_center("center"), visited_on__gte=first.start, visited_on__lt=last.end)
    return per_month(qs, "visited_on", Count("pk"))
