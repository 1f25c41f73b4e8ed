"""Activities: held, participants and unique residents, sign-ups against attendance (centers app)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_noop

from ..aggregation import per_month
from ..periods import Period, Scope
from . import PERCENT, Column, Table, breakdown, need_fields, need_model, ratio, unit_column


def _activities(period: Period, scope: Scope, first: Period | None = None):
    Activity = need_model("centers", "Activity")
    need_fields(Activity, "center", "starts_at", "status")
    return Activity, Activity.objects.filter(
        scope.by_center("center"),
        starts_at__gte=(first or period).start_at,
        starts_at__lt=period.end_at,
    )


def activities(period: Period, scope: Scope) -> Table:
    Activity, in_month = _activities(period, scope)
    Signup = need_model("centers", "Signup")
    need_fields(Signup, "activity", "resident", "status", "attended_at")
    held = Q(status=Activity.Status.PUBLISHED)
    activity_figures = {
        "held": Count("pk", filter=held),
        "cancelled": Count("pk", filter=Q(status=Activity.Status.CANCELLED)),
    }
    signups = Signup.objects.filter(
        scope.by_center("activity__center"),
        activity__starts_at__gte=period.start_at,
        activity__starts_at__lt=period.end_at,
        activity__status=Activity.Status.PUBLISHED,
    )
    confirmed = Q(status=Signup.Status.CONFIRMED)
    attended = Q(attended_at__isnull=False)
    signup_figures = {
        "signups": Count("pk", filter=confirmed),
        "attended": Count("pk", filter=attended),
        "residents": Count("resident", filter=attended, distinct=True),
        "no_shows": Count("pk", filter=confirmed & Q(attended_at__isnull=True)),
    }
    unit = scope.unit_of_center("center")
    per_unit = [
        {"unit": r.pop(unit), **r} for r in in_month.values(unit).annotate(**activity_figures).order_by()
    ]
    signup_unit = scope.unit_of_center("activity__center")
    per_unit += [
        {"unit": r.pop(signup_unit), **r}
        for r in signups.values(signup_unit).annotate(**signup_figures).order_by()
    ]
    # Residents are counted once even when they came to several centers: the only figure that
    # does not add up over the units, so the only one with a query of its own.
    totals = signups.aggregate(residents=Count("resident", filter=attended, distinct=True))
    columns = [
        unit_column(scope),
        Column("held", gettext_noop("Activities held")),
        Column("cancelled", gettext_noop("Activities cancelled")),
        Column("signups", gettext_noop("Confirmed sign-ups")),
        Column("attended", gettext_noop("Participants (attendances)")),
        Column("residents", gettext_noop("Unique residents")),
        Column("no_shows", gettext_noop("Signed up, did not come")),
        Column("attendance_rate", gettext_noop("Attendance rate"), PERCENT),
    ]
    table = breakdown(
        scope,
        columns,
        per_unit,
        totals,
        derived=lambda v: {"attendance_rate": ratio(v.get("attended"), v.get("signups"))},
    )
    table.notes.append(
        gettext_noop(
            "Activities held: published activities that started this month. A child signed up by a guardian counts as one participant; unique residents counts each signed-up resident once."
        )
    )
    return table


def trend_activities(scope: Scope, first: Period, last: Period) -> dict[str, float]:
    Activity, qs = _activities(last, scope, first)
    return per_month(qs.filter(status=Activity.Status.PUBLISHED), "starts_at", Count("pk"))


def trend_attendance(scope: Scope, first: Period, last: Period) -> dict[str, float]:
    Activity, qs = _activities(last, scope, first)
    Signup = need_model("centers", "Signup")
    attended = Signup.objects.filter(
        scope.by_center("activity__center"),
        activity__starts_at__gte=first.start_at,
        activity__starts_at__lt=last.end_at,
        activity__status=Activity.Status.PUBLISHED,
        attended_at__isnull=False,
    )
    return per_month(attended, "activity__starts_at", Count("pk"))


__all__ = ["activities", "trend_activities", "trend_attendance"]
