"""My page (/me/): my sign-ups with waitlist positions and cancel buttons, my calendar address."""

from django.urls import reverse

from core.profile import me_section

from . import selectors, services
from .models import Child


@me_section(order=10)
def my_activities(request):
    user = request.user
    token = services.get_calendar_token(user=user)
    return "centers/me_signups.html", {
        "signups": list(selectors.list_my_signups(user=user)),
        "calendar_url": request.build_absolute_uri(reverse("centers:my_ical", kwargs={"token": token.token})),
        "children_count": Child.objects.filter(guardian=user).count(),
    }
