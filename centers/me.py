"""My page (/me/): my sign-ups with waitlist positions and cancel buttons, my calendar address."""

import datetime as dt

from django.db.models import OuterRef
from django.db.models.functions import Now
from django.urls import reverse

from core.expressions import count_of, first_of
from core.profile import figures, me_figures, me_section

from . import selectors, services
from .models import CalendarToken, Child, Signup

RECENT_DAYS = 14  # as selectors.list_my_signups: activities not long past


@me_figures
def my_counts():
    since = Now() - dt.timedelta(days=RECENT_DAYS)
    live = Signup.objects.filter(resident=OuterRef("pk"), activity__ends_at__gte=since).exclude(
        status=Signup.Status.CANCELLED
    )
    return {
        "signup_count": count_of(live),
        "children_count": count_of(Child.objects.filter(guardian=OuterRef("pk"))),
        "calendar_secret": first_of(CalendarToken.objects.filter(user=OuterRef("pk")), "token"),
    }


@me_section(order=10)
def my_activities(request):
    user = request.user
    mine = figures(request)
    token = mine["calendar_secret"] or services.get_calendar_token(user=user).token
    signups = []
    if mine["signup_count"]:
        signups = list(selectors.list_my_signups(user=user, include_past_days=RECENT_DAYS))
    return "centers/me_signups.html", {
        "signups": signups,
        "calendar_url": request.build_absolute_uri(reverse("centers:my_ical", kwargs={"token": token})),
        "children_count": mine["children_count"],
    }
