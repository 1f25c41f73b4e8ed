"""Activities: held, participants and unique residents, sign-ups against attendance (centers app)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_noop

from ..periods import Period, Scope
from . import (
    PERCENT,
    Column,
    Table,
    breakdown,
    merge_figures,
    need_fields,
    need_model,
    per_center_month,
    ratio,
    unit_column,
)


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


def month_figures(center_ids: list[int], first: Period, last: Period) -> dict[tuple[int, str], dict]:
    """Activities held, attendances and unique residents per center and month, as ``activities``
    counts them (two grouped queries, whatever the number of centers and months)."""
    Activity = need_model("centers", "Activity")
    need_fields(Activity, "center", "starts_at", "status")
    Signup = need_model("centers", "Signup")
    need_fields(Signup, "activity", "resident", "attended_at")
    held = Activity.objects.filter(
        center_id__in=center_ids,
        status=Activity.Status.PUBLISHED,
        starts_at__gte=first.start_at,
        starts_at__lt=last.end_at,
    )
    attended = Signup.objects.filter(
        activity__center_id__in=center_ids,
        activity__status=Activity.Status.PUBLISHED,
        activity__starts_at__gte=first.start_at,
        activity__starts_at__lt=last.end_at,
        attended_at__isnull=False,
    )
    return merge_figures(
        per_center_month(held, "center_id", "starts_at", held=Count("pk")),
        per_center_month(
            attended,
            "activity__center_id",
            "activity__starts_at",
            attended=Count("pk"),
            residents=Count("resident", distinct=True),
        ),
    )


__all__ = ["activities", "month_figures"]
