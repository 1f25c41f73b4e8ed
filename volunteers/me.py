"""The volunteer's card on /me/: hours, points, the next duty and pickups waiting, from the page's
one figures query; the lists themselves are on "my volunteering" (``volunteers:me``)."""

from django.db.models import F, OuterRef
from django.db.models.functions import Now

from core.expressions import count_of, first_of, sum_of
from core.profile import figures, me_figures, me_section

from .models import DutySignup, HourRecord, PointAccount, Redemption

UPCOMING_EXCLUDED = [DutySignup.Status.CANCELLED, DutySignup.Status.CHECKED_OUT]


@me_figures
def volunteer_figures():
    # The user's volunteer row is joined once in the outer query; the subqueries start from it.
    mine = {"volunteer": OuterRef("volunteer_profile")}
    records = HourRecord.objects.filter(**mine)
    next_duty = (
        DutySignup.objects.filter(**mine, duty__ends_at__gt=Now())
        .exclude(status__in=UPCOMING_EXCLUDED)
        .order_by("duty__starts_at", "pk")
    )
    return {
        "volunteer_id": F("volunteer_profile"),
        "volunteer_hours": sum_of(records.filter(status=HourRecord.Status.VERIFIED), "hours", "volunteer"),
        "volunteer_pending": count_of(records.filter(status=HourRecord.Status.PENDING)),
        "volunteer_balance": first_of(PointAccount.objects.filter(**mine), "balance"),
        "volunteer_pickups": count_of(Redemption.objects.filter(**mine, status=Redemption.Status.RESERVED)),
        "next_duty_id": first_of(next_duty, "duty_id"),
        "next_duty_title": first_of(next_duty, "duty__title"),
        "next_duty_starts_at": first_of(next_duty, "duty__starts_at"),
    }


@me_section(order=30)
def volunteering(request):
    mine = figures(request)
    if mine["volunteer_id"] is None:
        return "volunteers/me_invite.html", {}
    return "volunteers/me_volunteer.html", {"mine": mine}
