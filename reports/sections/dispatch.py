"""Service requests: by channel and category, completion rate, median time to assign and to
complete, satisfaction (dispatch app).

A month's requests are those received in it; their state is counted as it is when the report
is generated (a request received on the 30th may be completed in the next month).
"""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_noop

from ..aggregation import median_hours, median_hours_by
from ..periods import Period, Scope
from . import (
    DECIMAL,
    LABEL,
    PERCENT,
    Column,
    Table,
    breakdown,
    choice_labels,
    need_fields,
    need_model,
    per_center_month,
    ratio,
    unit_column,
)


def _received(period: Period, scope: Scope, first: Period | None = None):
    ServiceRequest = need_model("dispatch", "ServiceRequest")
    need_fields(
        ServiceRequest, "center", "created_at", "status", "channel", "category", "assigned_at", "closed_at"
    )
    qs = ServiceRequest.objects.filter(
        scope.by_center("center"), created_at__gte=(first or period).start_at, created_at__lt=period.end_at
    )
    return ServiceRequest, qs


def requests(period: Period, scope: Scope) -> Table:
    ServiceRequest, qs = _received(period, scope)
    Feedback = need_model("dispatch", "Feedback")
    need_fields(Feedback, "request", "rating")
    done, cannot = Q(status="done"), Q(status="cannot")
    figures = {
        "received": Count("pk"),
        "done": Count("pk", filter=done),
        "cannot": Count("pk", filter=cannot),
        "open": Count("pk", filter=~done & ~cannot),
        "rated": Count("feedback"),
        "rating_sum": Sum("feedback__rating"),
        "satisfied": Count("feedback", filter=Q(feedback__rating__gte=4)),
    }
    unit = scope.unit_of_center("center")
    per_unit = [{"unit": r.pop(unit), **r} for r in qs.values(unit).annotate(**figures).order_by()]
    per_unit += [
        {"unit": r["unit"], "assign_hours": r["median"]}
        for r in median_hours_by(qs, unit, "created_at", "assigned_at")
    ]
    per_unit += [
        {"unit": r["unit"], "complete_hours": r["median"]}
        for r in median_hours_by(qs.filter(done), unit, "created_at", "closed_at")
    ]
    # Medians do not add up over the units: the total's are computed on their own.
    totals = {
        "assign_hours": median_hours(qs, "created_at", "assigned_at"),
        "complete_hours": median_hours(qs.filter(done), "created_at", "closed_at"),
    }
    columns = [
        unit_column(scope),
        Column("received", gettext_noop("Requests received")),
        Column("done", gettext_noop("Completed")),
        Column("cannot", gettext_noop("Could not be done")),
        Column("open", gettext_noop("Still open")),
        Column("completion_rate", gettext_noop("Completion rate"), PERCENT),
        Column("assign_hours", gettext_noop("Median hours to assign"), DECIMAL),
        Column("complete_hours", gettext_noop("Median hours to complete"), DECIMAL),
        Column("rated", gettext_noop("Satisfaction answers")),
        Column("satisfaction", gettext_noop("Average satisfaction (1-5)"), DECIMAL),
        Column("satisfied_rate", gettext_noop("Satisfied (4 or 5)"), PERCENT),
    ]

    def derived(values: dict) -> dict:
        return {
            "completion_rate": ratio(values.get("done"), values.get("received")),
            "satisfied_rate": ratio(values.get("satisfied"), values.get("rated")),
            "satisfaction": ratio(values.get("rating_sum"), values.get("rated")),
        }

    table = breakdown(scope, columns, per_unit, totals, derived=derived)
    table.notes.append(
        gettext_noop(
            "Requests received this month, in the state they are in when the report is generated. Times run from receipt to the first assignment and to completion."
        )
    )
    return table


def requests_by_channel_and_category(period: Period, scope: Scope) -> Table:
    ServiceRequest, qs = _received(period, scope)
    channels = choice_labels(ServiceRequest, "channel")
    categories = choice_labels(ServiceRequest, "category")
    counts = {
        (r["category"], r["channel"]): (r["n"], r["done"])
        for r in qs.values("category", "channel")
        .annotate(n=Count("pk"), done=Count("pk", filter=Q(status="done")))
        .order_by()
    }
    columns = [Column("category", gettext_noop("Category"), LABEL)]
    columns += [Column(f"channel_{value}", label) for value, label in channels]
    columns += [
        Column("received", gettext_noop("Requests received")),
        Column("done", gettext_noop("Completed")),
        Column("completion_rate", gettext_noop("Completion rate"), PERCENT),
    ]
    rows, totals = [], [0] * (len(channels) + 2)
    for value, label in categories:
        per_channel = [counts.get((value, ch), (0, 0))[0] for ch, _label in channels]
        received = sum(per_channel)
        done = sum(counts.get((value, ch), (0, 0))[1] for ch, _label in channels)
        rows.append([label, *per_channel, received, done, ratio(done, received)])
        for i, n in enumerate([*per_channel, received, done]):
            totals[i] += n
    total = ["Total", *totals, ratio(totals[-1], totals[-2])]
    # Channel columns hold choice labels as headers: translated like any stored source string.
    return Table(columns=columns, rows=rows, total=total, keys=[v for v, _label in categories])


def month_figures(center_ids: list[int], first: Period, last: Period) -> dict[tuple[int, str], dict]:
    """Requests received and completed per center and month of receipt, as ``requests`` counts them."""
    ServiceRequest = need_model("dispatch", "ServiceRequest")
    need_fields(ServiceRequest, "center", "created_at", "status")
    received = ServiceRequest.objects.filter(
        center_id__in=center_ids, created_at__gte=first.start_at, created_at__lt=last.end_at
    )
    return per_center_month(
        received,
        "center_id",
        "created_at",
        requests_received=Count("pk"),
        requests_done=Count("pk", filter=Q(status="done")),
    )
