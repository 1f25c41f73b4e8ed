"""Organizations by status and lifecycle stage; each operator's contract targets against actuals (orgs app).

Targets against actuals come from the registry's own selector (orgs.selectors.targets_against_actuals),
so the report and the contract pages agree to the unit.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils.translation import gettext_noop

from ..periods import Period, Scope
from . import (
    DECIMAL,
    LABEL,
    PERCENT,
    TEXT,
    Column,
    Table,
    Unavailable,
    choice_labels,
    need_fields,
    need_model,
    ratio,
)


def organizations(period: Period, scope: Scope) -> Table:
    Organization = need_model("orgs", "Organization")
    need_fields(Organization, "status", "stage", "street", "is_active")
    StageChange = need_model("orgs", "StageChange")
    need_fields(StageChange, "organization", "to_stage", "moved_at")
    in_scope = scope.by_street("street")
    if scope.kind == Scope.DISTRICT:
        # Organizations registered with the district's bureau need not belong to a street.
        in_scope |= Q(street__isnull=True)
    statuses = choice_labels(Organization, "status")
    stages = choice_labels(Organization, "stage")
    counts = {
        (r["stage"], r["status"]): r["n"]
        for r in Organization.objects.filter(in_scope, is_active=True)
        .values("stage", "status")
        .annotate(n=Count("pk"))
        .order_by()
    }
    moved = dict(
        StageChange.objects.filter(
            organization__in=Organization.objects.filter(in_scope),
            moved_at__gte=period.start_at,
            moved_at__lt=period.end_at,
        )
        .values_list("to_stage")
        .annotate(n=Count("pk"))
        .order_by()
    )
    columns = [Column("stage", gettext_noop("Lifecycle stage"), LABEL)]
    columns += [Column(f"status_{value}", label) for value, label in statuses]
    columns += [
        Column("total", gettext_noop("Active organizations")),
        Column("moved", gettext_noop("Entered this stage this month")),
    ]
    rows = []
    for value, label in stages:
        per_status = [counts.get((value, s), 0) for s, _label in statuses]
        rows.append([label, *per_status, sum(per_status), moved.get(value, 0)])
    total = ["Total", *[sum(row[i] for row in rows) for i in range(1, len(columns))]]
    table = Table(columns=columns, rows=rows, total=total, keys=[v for v, _label in stages])
    if scope.kind == Scope.CENTER:
        table.notes.append(
            gettext_noop(
                "Organizations belong to a street: a center's report shows its street's organizations."
            )
        )
    table.notes.append(gettext_noop("Status and stage as recorded when the report was generated."))
    return table


def contracts(period: Period, scope: Scope) -> Table:
    ServiceContract = need_model("orgs", "ServiceContract")
    need_fields(ServiceContract, "operator", "centers", "starts_on", "ends_on", "terminated_on")
    try:
        from orgs.selectors import targets_against_actuals
    except ImportError:
        raise Unavailable(
            gettext_noop("Not available yet: the registry has no targets-against-actuals selector.")
        ) from None
    last_day = period.end - dt.timedelta(days=1)
    in_force = Q(starts_on__lte=last_day, ends_on__gte=period.start) & (
        Q(terminated_on__isnull=True) | Q(terminated_on__gt=period.start)
    )
    chosen = (
        ServiceContract.objects.filter(
            in_force, pk__in=ServiceContract.objects.filter(centers__in=scope.center_ids).values("pk")
        )
        .select_related("operator")
        .order_by("operator__name", "number")
    )
    results = targets_against_actuals(contracts=chosen, on=last_day)
    columns = [
        Column("operator", gettext_noop("Operator"), TEXT),
        Column("contract", gettext_noop("Contract"), TEXT),
        Column("metric", gettext_noop("Target"), LABEL),
        Column("per", gettext_noop("Per"), LABEL),
        Column("from", gettext_noop("Target period starts"), TEXT),
        Column("to", gettext_noop("Target period ends"), TEXT),
        Column("minimum", gettext_noop("At least"), DECIMAL),
        Column("actual", gettext_noop("Actual"), DECIMAL),
        Column("percent", gettext_noop("Share of target"), PERCENT),
        Column("state", gettext_noop("Result"), LABEL),
    ]
    ContractTarget = need_model("orgs", "ContractTarget")
    metrics, periods = (
        dict(choice_labels(ContractTarget, "metric")),
        dict(choice_labels(ContractTarget, "period")),
    )
    rows, met, measured = [], 0, 0
    for contract in chosen:  # contracts and their targets: tens of rows, not facts
        for result in results.get(contract.pk, []):
            target = result.target
            actual = float(result.actual) if result.actual is not None else None
            if result.met is None:
                state = gettext_noop("Not recorded in the portal yet")
            elif result.met:
                state = gettext_noop("Met")
            else:
                state = gettext_noop("Not met yet") if result.running else gettext_noop("Not met")
            measured += result.met is not None
            met += bool(result.met)
            rows.append(
                [
                    contract.operator.name if contract.operator_id else "",
                    contract.number,
                    metrics.get(target.metric, target.metric),
                    periods.get(target.period, target.period),
                    f"{result.first_day:%Y-%m-%d}",
                    f"{result.last_day:%Y-%m-%d}",
                    float(result.minimum),
                    actual,
                    ratio(actual, float(result.minimum)) if actual is not None else None,
                    state,
                ]
            )
    table = Table(columns=columns, rows=rows)
    table.notes.append(
        gettext_noop(
            "Each target over its own period (month, quarter or year) containing the month's last day, within the contract's term; work is counted up to the day the report was generated."
        )
    )
    if rows:
        table.total = ["Total", "", "", "", "", "", None, None, ratio(met, measured), ""]
        table.notes.append(
            gettext_noop("Share of target in the total row: the share of measured targets that are met.")
        )
    return table


__all__ = ["organizations", "contracts"]
