"""Targets against actuals, and why it never imports a later app.

A contract's targets measure work that other apps record: activities (centers), attendances
(centers), home visits (care), verified volunteer hours (volunteers), completed service requests
(dispatch) and deliberation meetings (deliberation). Dependencies point one way (core <- centers
<- orgs; everything <- reports), so this module imports none of them. Each metric has a *feed*:
a function ``(center_ids, first_day, last_day) -> {center_id: amount}``. The default feeds in
``ACTUAL_FEEDS`` count rows through ``apps.get_model`` and are used only when the app is
installed and the model has the fields they name (``ModelFeed`` checks them); a metric whose feed
is missing shows "not yet recorded" (``actual is None``) instead of a misleading zero.
The reports app, which imports orgs, calls ``targets_against_actuals(contracts=..., on=...)``
for its monthly report and may pass ``feeds={metric: its_function}`` to supply or override
any actual; no app ever has to import orgs to be counted.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Count, Prefetch, QuerySet, Sum
from django.utils import timezone

from core.models import Center

from ..models import ContractTarget, Metric, Period, ServiceContract

Feed = Callable[[Collection[int], datetime.date, datetime.date], Mapping[int, Decimal]]


@dataclass(frozen=True)
class ModelFeed:
    """Counts (or sums ``sum_field`` of) rows of another app's model per center, by day.

    ``center`` and ``day`` are lookup paths tried in order; ``filters`` are applied only when
    their field exists. The feed is unavailable (returns None) when the app is not installed or
    no path resolves, so a model that has not landed yet reads as "not yet recorded"."""

    model: str  # "app_label.ModelName"
    center: tuple[str, ...]
    day: tuple[str, ...]
    filters: Mapping[str, object] = field(default_factory=dict)
    excludes: Mapping[str, object] = field(default_factory=dict)
    sum_field: str | None = None

    def _model(self):
        app_label, _dot, name = self.model.partition(".")
        try:  # LookupError: the app is not installed, or has no such model (yet)
            return apps.get_model(app_label, name)
        except LookupError:
            return None

    def resolve(self):
        model = self._model()
        if model is None:
            return None
        center = next((p for p in self.center if _field_at(model, p) is not None), None)
        day = next((p for p in self.day if _field_at(model, p) is not None), None)
        if center is None or day is None:
            return None
        if self.sum_field and _field_at(model, self.sum_field) is None:
            return None
        return model, center, day

    def __call__(self, center_ids, first_day, last_day):
        resolved = self.resolve()
        if resolved is None:
            return None
        model, center_path, day_path = resolved
        qs = model._default_manager.filter(**{f"{center_path}__in": list(center_ids)})
        if isinstance(_field_at(model, day_path), models.DateTimeField):
            start = timezone.make_aware(datetime.datetime.combine(first_day, datetime.time.min))
            end = timezone.make_aware(
                datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time.min)
            )
            qs = qs.filter(**{f"{day_path}__gte": start, f"{day_path}__lt": end})
        else:
            qs = qs.filter(**{f"{day_path}__gte": first_day, f"{day_path}__lte": last_day})
        for lookup, value in self.filters.items():
            if _field_at(model, _field_path(lookup)) is not None:
                qs = qs.filter(**{lookup: value})
        for lookup, value in self.excludes.items():
            if _field_at(model, _field_path(lookup)) is not None:
                qs = qs.exclude(**{lookup: value})
        total = Sum(self.sum_field) if self.sum_field else Count("pk")
        rows = qs.values(center_path).annotate(total=total).order_by()
        return {row[center_path]: Decimal(row["total"] or 0) for row in rows}


def _field_path(lookup: str) -> str:
    """``"status__in"`` -> ``"status"``: the field part of a filter lookup."""
    parts = lookup.split("__")
    if len(parts) > 1 and parts[-1] in {"in", "isnull", "exact", "gt", "gte", "lt", "lte"}:
        parts = parts[:-1]
    return "__".join(parts)


def _field_at(model, path: str):
    """The field at the end of a ``__`` lookup path, or None when the path does not exist."""
    field_ = None
    for part in path.split("__"):
        if model is None:
            return None
        try:
            field_ = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        model = field_.related_model if field_.is_relation else None
    return field_


# Where each metric's actual comes from (the field names are those of the apps as they stand;
# a renamed field makes the metric read "not yet recorded" rather than fail; see the module docstring).
ACTUAL_FEEDS: dict[str, Feed] = {
    Metric.ACTIVITIES: ModelFeed(
        "centers.Activity",
        center=("center",),
        day=("starts_at",),
        excludes={"status__in": ["draft", "cancelled"]},
    ),
    Metric.PARTICIPANTS: ModelFeed(
        "centers.Signup",
        center=("activity__center",),
        day=("activity__starts_at",),
        filters={"attended_at__isnull": False},
    ),
    # Home, crisis and festival visits; a telephone call is not a home visit.
    Metric.HOME_VISITS: ModelFeed(
        "care.Visit", center=("recipient__center",), day=("visited_on",), excludes={"kind": "phone"}
    ),
    Metric.VOLUNTEER_HOURS: ModelFeed(
        "volunteers.HourRecord",
        center=("center",),
        day=("served_on",),
        filters={"status": "verified"},
        sum_field="hours",
    ),
    Metric.SERVICE_REQUESTS: ModelFeed(
        "dispatch.ServiceRequest", center=("center",), day=("closed_at",), filters={"status": "done"}
    ),
    Metric.MEETINGS: ModelFeed(
        "deliberation.Meeting",
        center=("center",),
        day=("starts_at",),
        excludes={"status__in": ["draft", "scheduled", "cancelled"]},
    ),
}


@dataclass
class TargetResult:
    """One target of a contract, for one period: what was required, what was logged, the gap."""

    target: ContractTarget
    first_day: datetime.date
    last_day: datetime.date
    actual: Decimal | None  # None: this kind of work is not recorded in the portal yet
    running: bool  # the period has not ended yet: the actual is "so far"

    @property
    def minimum(self) -> Decimal:
        return self.target.minimum

    @property
    def measured(self) -> bool:
        return self.actual is not None

    @property
    def shortfall(self) -> Decimal | None:
        if self.actual is None:
            return None
        return max(Decimal(0), self.target.minimum - self.actual)

    @property
    def met(self) -> bool | None:
        return None if self.actual is None else self.actual >= self.target.minimum

    @property
    def percent(self) -> int | None:
        if self.actual is None:
            return None
        return min(100, int(self.actual * 100 / self.target.minimum))


def period_bounds(period: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The month, quarter or year that contains ``day``."""
    if period == Period.MONTH:
        first = day.replace(day=1)
        return first, day.replace(day=calendar.monthrange(day.year, day.month)[1])
    if period == Period.QUARTER:
        first_month = 3 * ((day.month - 1) // 3) + 1
        first = datetime.date(day.year, first_month, 1)
        last_month = first_month + 2
        return first, datetime.date(day.year, last_month, calendar.monthrange(day.year, last_month)[1])
    return datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31)


def targets_against_actuals(
    *,
    contracts: Iterable[ServiceContract] | QuerySet[ServiceContract],
    on: datetime.date | None = None,
    feeds: Mapping[str, Feed] | None = None,
) -> dict[int, list[TargetResult]]:
    """For each contract, each target over the period (month, quarter, year) that contains ``on``
    (today by default), clipped to the contract's term, against the actual logged at its centers.

    Actuals are counted in the database: one grouped query per metric and period window, however
    many contracts and centers (the monthly report calls this for a whole district).
    ``feeds`` overrides or supplies the feed of any metric (see the module docstring).
    A contract not in force during a target's period gets no result for that target.
    """
    day = on or timezone.localdate()
    today = timezone.localdate()
    chosen = {**ACTUAL_FEEDS, **(feeds or {})}
    if isinstance(contracts, QuerySet):
        contracts = contracts.prefetch_related(
            "targets", Prefetch("centers", queryset=Center.objects.only("id"))
        )
    contracts = list(contracts)
    # (metric, first, last) -> [(contract, target, center ids)]
    wanted: dict[tuple[str, datetime.date, datetime.date], list] = defaultdict(list)
    for contract in contracts:
        center_ids = [c.pk for c in contract.centers.all()]
        for target in contract.targets.all():
            first, last = period_bounds(target.period, day)
            first, last = max(first, contract.starts_on), min(last, contract.last_day)
            if first <= last:
                wanted[(target.metric, first, last)].append((contract, target, center_ids))
    results: dict[int, list[TargetResult]] = {c.pk: [] for c in contracts}
    for (metric, first, last), items in wanted.items():
        feed = chosen.get(metric)
        all_centers = {cid for _c, _t, ids in items for cid in ids}
        # Work is counted up to today: what is scheduled later in the period is not done yet.
        counted_to = min(last, today)
        per_center = feed(all_centers, first, counted_to) if feed is not None else None
        for contract, target, center_ids in items:
            actual = None
            if per_center is not None:
                actual = sum((Decimal(per_center.get(cid, 0)) for cid in center_ids), Decimal(0))
            results[contract.pk].append(
                TargetResult(
                    target=target, first_day=first, last_day=last, actual=actual, running=last >= today
                )
            )
    order = {m: i for i, m in enumerate(Metric.values)}
    for rows in results.values():
        rows.sort(key=lambda r: (order.get(r.target.metric, 99), r.target.period))
    return results


def contract_performance(
    contract: ServiceContract, *, on: datetime.date | None = None, feeds: Mapping[str, Feed] | None = None
) -> list[TargetResult]:
    return targets_against_actuals(contracts=[contract], on=on, feeds=feeds)[contract.pk]
