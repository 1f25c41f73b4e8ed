"""Reads for reports: who may see which report, which scopes a user may report on, the dashboard."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from core import access
from core.models import Center, District, Role

from . import figures
from .models import CenterMonthFigures, Report
from .periods import Period, Scope

STREET_ROLES = frozenset({Role.STREET_STAFF})


def list_reports(*, user, scope_key: str | None = None, period: Period | None = None) -> QuerySet[Report]:
    """The reports ``user`` may read, newest month first, with the places their labels need."""
    qs = access.scope(user, Report.objects.all(), "view").select_related("district", "street", "center")
    if scope_key:
        qs = qs.filter(scope_key=scope_key)
    if period:
        qs = qs.filter(period=period.start)
    return qs.defer("data").order_by("-period", "kind", "scope_key", "-version")


def get_report(*, user, pk: int) -> Report:
    """One report ``user`` may read (Report.DoesNotExist otherwise: a 404, never a hint)."""
    return (
        access.scope(user, Report.objects.all(), "view")
        .select_related("district", "street", "center", "requested_by")
        .get(pk=pk)
    )


def list_versions(*, user, report: Report) -> QuerySet[Report]:
    return list_reports(user=user, scope_key=report.scope_key, period=Period.of(report.period))


@dataclass(frozen=True)
class ScopeChoice:
    key: str
    label: str
    kind: str
    scope: Scope | None = None  # the place itself, built from the rows already read


def scope_choices(*, user) -> list[ScopeChoice]:
    """The districts, streets and centers ``user`` may ask a report for (street staff: their street)."""
    if not access.can(user, "add", Report):
        return []
    choices: list[ScopeChoice] = []
    if access.is_district_wide(user):
        for district in District.objects.order_by("name"):
            choices.append(
                ScopeChoice(
                    f"district:{district.pk}", district.name, Scope.DISTRICT, Scope.for_district(district)
                )
            )
    streets = list(access.visible_streets(user, STREET_ROLES).order_by("name"))
    centers = (
        Center.objects.filter(street__in=streets)
        .only("pk", "name", "street_id", "level")
        .order_by("street__name", "level", "name")
    )
    by_street: dict[int, list[Center]] = {}
    for center in centers:
        by_street.setdefault(center.street_id, []).append(center)
    for street in streets:
        choices.append(
            ScopeChoice(f"street:{street.pk}", street.name, Scope.STREET, Scope.for_street(street))
        )
        for center in by_street.get(street.pk, []):
            center.street = street
            choices.append(
                ScopeChoice(
                    f"center:{center.pk}",
                    f"{street.name} · {center.name}",
                    Scope.CENTER,
                    Scope.for_center(center),
                )
            )
    return choices


def dashboard_scopes(*, user) -> list[ScopeChoice]:
    """Streets and districts only: the dashboard compares centers within one of them."""
    return [c for c in scope_choices(user=user) if c.kind != Scope.CENTER]


def resolve_scope(*, user, key: str, choices: list[ScopeChoice] | None = None) -> Scope | None:
    """The Scope behind ``key`` if ``user`` may report on it, else None.

    ``choices``: the user's scope_choices when the caller already has them (no query then).
    """
    for choice in scope_choices(user=user) if choices is None else choices:
        if choice.key == key:
            return choice.scope
    return None


# ------------------------------------------------------------------ dashboard
def list_month_figures(*, center_ids: list[int], first: Period, last: Period) -> list:
    """The stored dashboard figures of ``center_ids`` from ``first`` to ``last`` (one query), as
    named rows with CenterMonthFigures' field names (read-only: no model instances to build).

    Callers pass the centers of a scope ``resolve_scope`` allowed: that is the access check.
    """
    fields = ["center_id", "period", "counted_at", *figures.FIELDS]
    return list(
        CenterMonthFigures.objects.filter(
            center_id__in=center_ids, period__gte=first.start, period__lte=last.start
        )
        .order_by()
        .values_list(*fields, named=True)
    )
