"""Public pages (centers, activities, week view, iCal) and a resident's own actions.

Views are thin: reads through selectors, writes through services.
"""

import datetime as dt
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_filters.views import FilterView

from core.models import Center
from core.pagecache import anonymous_page_cache, version

from . import ical, selectors, services
from .filters import FIRST_YEAR, LAST_YEAR, ActivityFilter, CenterFilter
from .forms import ChildForm, SignupForm
from .models import Activity, CalendarToken, Child, Signup
from .panels import render_center_panels
from .receivers import ACTIVITY_PAGES

# Anonymous visitors get the activity list from a cache dropped on every change of an activity,
# a sign-up, a space or a center; the timeout only bounds what "starts soon" and "ended" show.
ACTIVITY_PAGE_SECONDS = 60


class CenterListView(FilterView):
    filterset_class = CenterFilter
    template_name = "centers/center_list.html"
    context_object_name = "centers"
    paginate_by = 30

    def get_queryset(self):
        return selectors.list_centers()


def center_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        center = selectors.get_center(slug=slug)
    except Center.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request,
        "centers/center_detail.html",
        {
            "center": center,
            "spaces": selectors.list_center_spaces(center=center),
            "activities": selectors.list_upcoming_activities(center=center)[:12],
            "notices": selectors.list_center_notices(center=center),
            "photos": selectors.list_center_photos(center=center),
            "panels": render_center_panels(request, center),
        },
    )


@require_GET
def center_ical(request: HttpRequest, slug: str) -> HttpResponse:
    center = get_object_or_404(Center, slug=slug, is_active=True)
    return ical.center_feed(request, center, selectors.center_calendar_activities(center=center))


@method_decorator(anonymous_page_cache(group=ACTIVITY_PAGES, timeout=ACTIVITY_PAGE_SECONDS), name="dispatch")
class ActivityListView(FilterView):
    filterset_class = ActivityFilter
    template_name = "centers/activity_list.html"
    context_object_name = "activities"
    paginate_by = 20
    strict = False

    def get_queryset(self):
        return selectors.public_activities().order_by("starts_at", "id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query"] = query.urlencode()
        # The cards are the same for everyone: cached as a fragment for signed-in users too.
        context["cards_version"] = version(ACTIVITY_PAGES)
        context["cards_seconds"] = ACTIVITY_PAGE_SECONDS
        return context


def _monday(value: str | None) -> dt.date:
    try:
        day = dt.date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        day = timezone.localdate()
    if not FIRST_YEAR <= day.year <= LAST_YEAR:  # the previous or next week would overflow
        day = timezone.localdate()
    return day - dt.timedelta(days=day.weekday())


def activity_week(request: HttpRequest) -> HttpResponse:
    monday = _monday(request.GET.get("week"))
    data = request.GET.copy()
    data.pop("week", None)
    data["date_from"] = monday.isoformat()
    data["date_to"] = (monday + dt.timedelta(days=6)).isoformat()
    filterset = ActivityFilter(data, queryset=selectors.public_activities())
    days = selectors.week_activities(
        queryset=filterset.qs if filterset.is_valid() else filterset.queryset, monday=monday
    )
    keep = request.GET.copy()
    keep.pop("week", None)
    return render(
        request,
        "centers/activity_week.html",
        {
            "filter": filterset,
            "days": days,
            "monday": monday,
            "today": timezone.localdate(),
            "previous_week": (monday - dt.timedelta(days=7)).isoformat(),
            "next_week": (monday + dt.timedelta(days=7)).isoformat(),
            "query": keep.urlencode(),
        },
    )


def _activity_or_404(pk: int) -> Activity:
    try:
        return selectors.get_activity(pk=pk)
    except Activity.DoesNotExist as exc:
        raise Http404 from exc


def _render_activity(
    request: HttpRequest, activity: Activity, form: SignupForm | None = None, status: int = 200
):
    user = request.user
    mine = selectors.my_signups_for_activity(user=user, activity=activity)
    children = (
        list(Child.objects.filter(guardian=user)) if user.is_authenticated and activity.for_children else []
    )
    signed_children = {s.child_id for s in mine}
    if form is None:
        form = SignupForm(activity=activity, user=user)
        if "child" in form.fields:
            form.fields["child"].queryset = form.fields["child"].queryset.exclude(pk__in=signed_children)
    can_sign_more = activity.for_children and any(c.pk not in signed_children for c in children)
    return render(
        request,
        "centers/activity_detail.html",
        {
            "activity": activity,
            "center": activity.center,
            "photos": list(activity.photos.all()),
            "waitlist_length": selectors.waitlist_length(activity=activity),
            "closed_reason": activity.signup_window_problem(),
            "my_signups": mine,
            "children": children,
            "show_form": user.is_authenticated and (not mine or can_sign_more),
            "form": form,
        },
        status=status,
    )


def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_activity(request, _activity_or_404(pk))


@require_GET
def activity_ical(request: HttpRequest, pk: int) -> HttpResponse:
    return ical.activity_feed(request, _activity_or_404(pk))


def _signup_message(signup: Signup) -> str:
    who = f"{signup.child.name}: " if signup.child_id else ""
    if signup.status == Signup.Status.CONFIRMED:
        return who + _("You are signed up. Your check-in code is %(code)s.") % {"code": signup.code}
    return who + _("The activity is full: you are on the waitlist. We will tell you when a seat frees up.")


@login_required
def signup(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity_or_404(pk)
    if request.method != "POST":  # e.g. back from signing in: show the activity and its button
        return redirect(activity.get_absolute_url())
    form = SignupForm(request.POST, activity=activity, user=request.user)
    if form.is_valid():
        try:
            result = services.sign_up(
                activity=activity, resident=request.user, child=form.cleaned_data.get("child")
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _signup_message(result))
            return redirect(activity.get_absolute_url())
    return _render_activity(request, selectors.get_activity(pk=pk), form=form, status=400)


@login_required
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel one of the user's sign-ups for activity ``pk`` (``signup`` in the form, or their own)."""
    if request.method != "POST":
        return redirect(f"/activities/{pk}/")
    qs = Signup.objects.filter(activity_id=pk, resident=request.user).exclude(status=Signup.Status.CANCELLED)
    if request.POST.get("signup", "").isdigit():
        qs = qs.filter(pk=int(request.POST["signup"]))
    target = qs.order_by("child_id", "id").first()
    if target is None:
        raise Http404
    try:
        services.cancel_signup(signup=target, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your sign-up is cancelled."))
    back = request.POST.get("next", "")
    return redirect(back if back == "/me/" else f"/activities/{pk}/")


@never_cache
def my_ical(request: HttpRequest, token: str) -> HttpResponse:
    """A resident's personal feed; the secret in the address is the only credential."""
    holder = CalendarToken.objects.select_related("user").filter(token=token, user__is_active=True).first()
    if holder is None:
        raise Http404
    return ical.resident_feed(request, selectors.resident_calendar_signups(user=holder.user))


@login_required
@require_POST
def reset_calendar(request: HttpRequest) -> HttpResponse:
    services.reset_calendar_token(user=request.user)
    messages.success(request, _("Your calendar has a new address; the old one no longer works."))
    return redirect("core:me")


_ACTIVITY_PATH = re.compile(r"^/activities/\d+/$")


def _activity_path(value: str) -> str:
    """``value`` if it is an activity page's path (the only place a guardian is sent back to)."""
    return value if _ACTIVITY_PATH.match(value or "") else ""


@login_required
@never_cache
def children(request: HttpRequest) -> HttpResponse:
    """The children a guardian holds on their account, and a form to add one."""
    form = ChildForm(request.POST if request.method == "POST" else None, guardian=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_child(guardian=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(name)s is added. You can now sign them up.") % {"name": form.cleaned_data["name"]},
            )
            back = _activity_path(request.POST.get("next", ""))
            return redirect(back or "centers:children")
    return render(
        request,
        "centers/child_list.html",
        {
            "children": Child.objects.filter(guardian=request.user),
            "form": form,
            "next": _activity_path(request.GET.get("next", request.POST.get("next", ""))),
        },
        status=400 if form.errors else 200,
    )
