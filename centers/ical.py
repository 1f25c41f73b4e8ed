"""iCalendar feeds: a center's upcoming activities, and a resident's own sign-ups."""

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import Activity, Signup

PRODID = "-//Happy Neighborhood//centers//ZH"


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    return cal


def _event(activity: Activity, request, summary: str | None = None, extra: str = "") -> Event:
    event = Event()
    event.add("uid", f"activity-{activity.pk}@{request.get_host()}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", activity.starts_at)
    event.add("dtend", activity.ends_at)
    event.add("summary", summary or activity.title)
    place = activity.center.name + (f" · {activity.space.name}" if activity.space_id else "")
    if activity.center.address:
        place += f" ({activity.center.address})"
    event.add("location", place)
    event.add("description", (extra + "\n" + activity.description).strip())
    event.add("url", request.build_absolute_uri(activity.get_absolute_url()))
    return event


def _response(cal: Calendar, filename: str) -> HttpResponse:
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def center_feed(request, center, activities: list[Activity]) -> HttpResponse:
    cal = _calendar(center.name)
    for activity in activities:
        cal.add_component(_event(activity, request))
    return _response(cal, f"{center.slug}.ics")


def activity_feed(request, activity: Activity) -> HttpResponse:
    cal = _calendar(activity.title)
    cal.add_component(_event(activity, request))
    return _response(cal, f"activity-{activity.pk}.ics")


def resident_feed(request, signups: list[Signup]) -> HttpResponse:
    with translation.override(settings.LANGUAGE_CODE):
        cal = _calendar(_("My activities"))
        for signup in signups:
            prefix = f"{signup.child.name}: " if signup.child_id else ""
            waiting = signup.status == Signup.Status.WAITLISTED
            summary = prefix + signup.activity.title + (" " + _("(waitlist)") if waiting else "")
            extra = _("Check-in code %(code)s") % {"code": signup.code} if not waiting else ""
            event = _event(signup.activity, request, summary=summary, extra=extra)
            event["uid"] = f"signup-{signup.pk}@{request.get_host()}"
            cal.add_component(event)
    return _response(cal, "my-activities.ics")
