"""Home visits and care: visits made, due and overdue, crisis interventions, referrals (care app).

Reads care's own aggregate selector (counts per center, never a person) so the report agrees
with care's overview page; per-center counts are then added up per street for the roll-up.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from core.models import Center

from ..periods import Period, Scope
from . import Column, Table, Unavailable, breakdown, need_fields, need_model, per_center_month, unit_column

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


def month_figures(center_ids: list[int], first: Period, last: Period) -> dict[tuple[int, str], dict]:
    """Visits made and visits overdue per center and month, as ``visits`` counts them: overdue
    against each month's last day (today for the current month). Two grouped queries."""
    Visit = need_model("care", "Visit")
    need_fields(Visit, "center", "visited_on")
    Recipient = need_model("care", "Recipient")
    need_fields(Recipient, "center", "status", "anonymised_at", "next_visit_due")
    made = Visit.objects.filter(
        center_id__in=center_ids, visited_on__gte=first.start, visited_on__lt=last.end
    )
    out = per_center_month(made, "center_id", "visited_on", visits=Count("pk"))
    months = [first.shift(i) for i in range((last.year - first.year) * 12 + last.month - first.month + 1)]
    active = Q(status=Recipient.Status.ACTIVE, anonymised_at__isnull=True)
    overdue = {
        f"m{i}": Count("pk", filter=active & Q(next_visit_due__lt=as_of(p))) for i, p in enumerate(months)
    }
    for row in (
        Recipient.objects.filter(center_id__in=center_ids).values("center_id").annotate(**overdue).order_by()
    ):
        for i, p in enumerate(months):
            out.setdefault((row["center_id"], p.key), {})["overdue"] = row[f"m{i}"]
    return out
