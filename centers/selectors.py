"""Reads for centers, spaces, activities and sign-ups, with the joins each page needs.

Public pages see published activities of active centers only; staff reads pass through
core.access.scope in the admin.
"""

import datetime as dt

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.models import Center

from .models import MAX_ACTIVITY_DAYS, Activity, CenterNotice, Photo, Signup, Space

CALENDAR_DAYS = 90
CALENDAR_LIMIT = 500


def list_centers() -> QuerySet[Center]:
    """Active centers with their places and the number of upcoming activities (one query; the
    count is a per-row subquery on the (center, starts_at) index, so a page costs what it shows)."""
    now = timezone.now()
    upcoming = (
        Activity.objects.filter(
            center=OuterRef("pk"),
            status=Activity.Status.PUBLISHED,
            starts_at__gte=now - dt.timedelta(days=MAX_ACTIVITY_DAYS),
            ends_at__gte=now,
        )
        .order_by()
        .values("center")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        Center.objects.filter(is_active=True)
        .select_related("street", "community")
        .annotate(upcoming_count=Coalesce(Subquery(upcoming, output_field=IntegerField()), 0))
        .order_by("street__name", "level", "name")
    )


def get_center(*, slug: str) -> Center:
    return Center.objects.select_related("street", "community").get(slug=slug, is_active=True)


def public_activities() -> QuerySet[Activity]:
    """Published activities of active centers, with what a list row shows."""
    return Activity.objects.filter(status=Activity.Status.PUBLISHED, center__is_active=True).select_related(
        "center", "center__street", "center__community", "space"
    )


def not_ended(queryset: QuerySet[Activity]) -> QuerySet[Activity]:
    """Activities still to come or under way. The bound on the start (no activity lasts longer
    than MAX_ACTIVITY_DAYS) lets the (status, starts_at) index skip the past."""
    now = timezone.now()
    return queryset.filter(ends_at__gte=now, starts_at__gte=now - dt.timedelta(days=MAX_ACTIVITY_DAYS))


def list_upcoming_activities(*, center: Center | None = None) -> QuerySet[Activity]:
    qs = not_ended(public_activities())
    if center is not None:
        qs = qs.filter(center=center)
    return qs.order_by("starts_at", "id")


def get_activity(*, pk: int) -> Activity:
    """An activity as the public sees it: published or cancelled (never a draft)."""
    return (
        Activity.objects.filter(
            status__in=[Activity.Status.PUBLISHED, Activity.Status.CANCELLED], center__is_active=True
        )
        .select_related("center", "center__street", "center__community", "space", "series")
        .prefetch_related(Prefetch("photos", queryset=Photo.objects.order_by("-uploaded_at", "-id")))
        .get(pk=pk)
    )


def list_center_spaces(*, center: Center) -> QuerySet[Space]:
    return Space.objects.filter(center=center).order_by("name")


def list_center_notices(*, center: Center, limit: int = 5) -> list[CenterNotice]:
    now = timezone.now()
    return list(
        CenterNotice.objects.filter(center=center, is_published=True, published_at__lte=now)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .order_by("-published_at")[:limit]
    )


def list_center_photos(*, center: Center, limit: int = 8) -> list[Photo]:
    return list(Photo.objects.filter(center=center).order_by("-uploaded_at", "-id")[:limit])


def week_activities(*, queryset: QuerySet[Activity], monday: dt.date) -> dict[dt.date, list[Activity]]:
    """The activities of ``queryset`` in the week from ``monday``, grouped by day (one query)."""
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(dt.datetime.combine(monday, dt.time()), tz)
    days = {monday + dt.timedelta(days=i): [] for i in range(7)}
    for activity in queryset.filter(
        starts_at__gte=start, starts_at__lt=start + dt.timedelta(days=7)
    ).order_by("starts_at", "id")[:700]:
        days[timezone.localtime(activity.starts_at, tz).date()].append(activity)
    return days


def _waitlist_position() -> Subquery:
    ahead = (
        Signup.objects.filter(activity=OuterRef("activity"), status=Signup.Status.WAITLISTED)
        .filter(
            Q(signed_up_at__lt=OuterRef("signed_up_at"))
            | Q(signed_up_at=OuterRef("signed_up_at"), id__lt=OuterRef("id"))
        )
        .order_by()
        .values("activity")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(ahead, output_field=IntegerField()), 0) + 1


def list_my_signups(*, user, include_past_days: int = 14) -> QuerySet[Signup]:
    """The user's live sign-ups of activities not long past, with waitlist positions."""
    since = timezone.now() - dt.timedelta(days=include_past_days)
    return (
        Signup.objects.filter(resident=user, activity__ends_at__gte=since)
        .exclude(status=Signup.Status.CANCELLED)
        .select_related("activity", "activity__center", "activity__space", "child")
        .annotate(waitlist_position=_waitlist_position())
        .order_by("activity__starts_at", "id")
    )


def my_signups_for_activity(*, user, activity: Activity) -> list[Signup]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Signup.objects.filter(resident=user, activity=activity)
        .exclude(status=Signup.Status.CANCELLED)
        .select_related("child")
        .annotate(waitlist_position=_waitlist_position())
        .order_by("id")
    )


def waitlist_length(*, activity: Activity) -> int:
    return Signup.objects.filter(activity=activity, status=Signup.Status.WAITLISTED).count()


def center_calendar_activities(*, center: Center) -> list[Activity]:
    now = timezone.now()
    return list(
        list_upcoming_activities(center=center).filter(starts_at__lte=now + dt.timedelta(days=CALENDAR_DAYS))[
            :CALENDAR_LIMIT
        ]
    )


def resident_calendar_signups(*, user) -> list[Signup]:
    return list(list_my_signups(user=user, include_past_days=30)[:CALENDAR_LIMIT])


def list_attendance(*, activity: Activity) -> QuerySet[Signup]:
    """The roll of an activity for staff: confirmed first, then the waitlist in order."""
    return (
        Signup.objects.filter(activity=activity)
        .exclude(status=Signup.Status.CANCELLED)
        .select_related("resident", "child")
        .order_by("status", "signed_up_at", "id")
    )
