"""Reads for reports: who may see which report, which scopes a user may report on, the dashboard."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_noop

from core import access
from core.models import Center, District, Role, Street

from .models import Report
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


def scope_choices(*, user) -> list[ScopeChoice]:
    """The districts, streets and centers ``user`` may ask a report for (street staff: their street)."""
    if not access.can(user, "add", Report):
        return []
    choices: list[ScopeChoice] = []
    if access.is_district_wide(user):
        for district in District.objects.order_by("name"):
            choices.append(ScopeChoice(f"district:{district.pk}", district.name, Scope.DISTRICT))
    streets = list(access.visible_streets(user, STREET_ROLES).order_by("name"))
    centers = Center.objects.filter(street__in=streets).order_by("street__name", "level", "name")
    by_street: dict[int, list[Center]] = {}
    for center in centers:
        by_street.setdefault(center.street_id, []).append(center)
    for street in streets:
        choices.append(ScopeChoice(f"street:{street.pk}", street.name, Scope.STREET))
        for center in by_street.get(street.pk, []):
            choices.append(ScopeChoice(f"center:{center.pk}", f"{street.name} · {center.name}", Scope.CENTER))
    return choices


def dashboard_scopes(*, user) -> list[ScopeChoice]:
    """Streets and districts only: the dashboard compares centers within one of them."""
    return [c for c in scope_choices(user=user) if c.kind != Scope.CENTER]


def resolve_scope(*, user, key: str) -> Scope | None:
    """The Scope behind ``key`` if ``user`` may report on it, else None."""
    if key not in {c.key for c in scope_choices(user=user)}:
        return None
    try:
        return Scope.from_key(key)
    except (ValueError, Center.DoesNotExist, Street.DoesNotExist, District.DoesNotExist):
        return None


# ------------------------------------------------------------------ dashboard
@dataclass(frozen=True)
class TrendSpec:
    key: str
    title: str  # English source string
    module: str
    function: str


TRENDS = [
    TrendSpec("activities", gettext_noop("Activities held"), "reports.sections.centers", "trend_activities"),
    TrendSpec(
        "attendance",
        gettext_noop("Attendances at activities"),
        "reports.sections.centers",
        "trend_attendance",
    ),
    TrendSpec("visits", gettext_noop("Home visits made"), "reports.sections.care", "trend_visits"),
    TrendSpec(
        "requests", gettext_noop("Service requests received"), "reports.sections.dispatch", "trend_requests"
    ),
    TrendSpec(
        "hours", gettext_noop("Verified volunteer hours"), "reports.sections.volunteers", "trend_hours"
    ),
]
