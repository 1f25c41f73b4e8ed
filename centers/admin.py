"""The work desk for center managers and social workers, scoped to their centers by core.access.

Every change goes through centers.services (bookings never overlap, sign-ups never overbook),
and the roll of an activity (attendance, sign-ups on a resident's behalf, who collected a
child) is one extra page per activity.
"""

import datetime as dt

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core import access
from core.admin_scoping import ScopedAdmin, ScopedInline

from . import photos, selectors, services
from .forms import (
    ActivityAdminForm,
    ActivitySeriesAdminForm,
    BookingAdminForm,
    CheckInCodeForm,
    CollectionForm,
    OnBehalfForm,
    PhotoAdminForm,
)
from .models import Activity, ActivitySeries, Booking, CenterNotice, Photo, Reminder, Signup, Space


def _report(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


@admin.register(Space)
class SpaceAdmin(ScopedAdmin):
    list_display = ["name", "center", "kind", "capacity", "is_bookable"]
    list_filter = ["kind", "is_bookable"]
    list_select_related = ["center"]
    search_fields = ["name", "center__name"]


@admin.register(Booking)
class BookingAdmin(ScopedAdmin):
    form = BookingAdminForm
    list_display = ["space", "starts_at", "ends_at", "purpose", "activity", "cancelled_at"]
    list_filter = [("cancelled_at", admin.EmptyFieldListFilter), "space__kind"]
    list_select_related = ["space", "space__center", "activity"]
    date_hierarchy = "starts_at"
    search_fields = ["purpose", "space__name"]
    actions = ["cancel_selected"]

    def save_model(self, request, obj, form, change):
        # The form has checked for overlaps; the service checks again under a lock.
        if change:
            services.move_booking(booking=obj, starts_at=obj.starts_at, ends_at=obj.ends_at)
            obj.save(update_fields=["purpose"])
        else:
            booking = services.book_space(
                space=obj.space,
                starts_at=obj.starts_at,
                ends_at=obj.ends_at,
                purpose=obj.purpose,
                booked_by=request.user,
            )
            obj.pk = booking.pk

    @admin.action(description=_("Cancel the selected bookings"))
    def cancel_selected(self, request, queryset):
        for booking in access.scope(request.user, queryset, "change"):
            services.cancel_booking(booking=booking)


class SignupInline(ScopedInline):
    model = Signup
    fields = ["resident", "child", "status", "channel", "signed_up_at", "code", "attended_at", "collected_by"]
    readonly_fields = fields
    ordering = ["status", "signed_up_at", "id"]
    can_delete = False
    show_change_link = False
    max_num = 0

    def has_add_permission(self, request, obj=None):
        return False  # sign-ups are made through the roll (the service), never as raw rows

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("resident", "child")


@admin.register(Activity)
class ActivityAdmin(ScopedAdmin):
    form = ActivityAdminForm
    exclude = ["created_by"]
    list_display = ["title", "center", "starts_at", "capacity", "confirmed_count", "status", "roll_link"]
    # A date filter instead of date_hierarchy, whose year links cost two queries on every page.
    list_filter = ["status", "category", "audience", "starts_at", "center"]
    list_select_related = ["center"]
    search_fields = ["title"]
    readonly_fields = ["confirmed_count", "roll_link"]
    inlines = [SignupInline]
    save_on_top = True

    def get_list_filter(self, request):
        # Staff of one center do not need a center filter of one row.
        return (
            self.list_filter if access.is_district_wide(request.user) else ["status", "category", "audience"]
        )

    @admin.display(description=_("Roll"))
    def roll_link(self, obj):
        if not obj.pk:
            return "-"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:centers_activity_roll", args=[obj.pk]),
            _("Roll and check-in"),
        )

    def save_model(self, request, obj, form, change):
        services.save_activity(activity=obj, by=request.user)

    def get_urls(self):
        return [
            path("<int:pk>/roll/", self.admin_site.admin_view(self.roll_view), name="centers_activity_roll"),
        ] + super().get_urls()

    # ---------------------------------------------------------------- the roll
    def roll_view(self, request, pk: int):
        """One page per activity: check attendees in (one tap, or by their code), sign a resident
        up on their behalf, and for the 3:30 classroom record who collected each child."""
        activity = (
            access.scope(request.user, Activity.objects.select_related("center", "space"), "view")
            .filter(pk=pk)
            .first()
        )
        if activity is None:
            raise Http404
        may_change = access.can(request.user, "change", activity)
        code_form, behalf_form, collect_form = (
            CheckInCodeForm(prefix="code"),
            OnBehalfForm(prefix="behalf"),
            None,
        )
        if request.method == "POST":
            if not may_change:
                raise PermissionDenied
            response, code_form, behalf_form = self._roll_post(request, activity)
            if response is not None:
                return response
        context = {
            **self.admin_site.each_context(request),
            "title": _("Roll: %(title)s") % {"title": activity.title},
            "activity": activity,
            "signups": list(selectors.list_attendance(activity=activity)),
            "may_change": may_change,
            "code_form": code_form,
            "behalf_form": behalf_form,
            "collect_form": collect_form or CollectionForm(prefix="collect"),
            "opts": self.model._meta,
            "original": activity,
            "now": timezone.now(),
        }
        return TemplateResponse(request, "admin/centers/activity/roll.html", context)

    def _roll_post(self, request, activity):
        here = HttpResponseRedirect(request.path)
        code_form, behalf_form = CheckInCodeForm(prefix="code"), OnBehalfForm(prefix="behalf")
        action = request.POST.get("action")
        try:
            if action == "check_in":
                signup = Signup.objects.filter(activity=activity, pk=request.POST.get("signup") or 0).first()
                if signup is None:
                    raise Http404
                services.check_in(signup=signup, by=request.user)
                messages.success(request, _("%(who)s checked in.") % {"who": signup.child or signup.resident})
                return here, code_form, behalf_form
            if action == "code":
                code_form = CheckInCodeForm(request.POST, prefix="code")
                if code_form.is_valid():
                    signup = services.check_in_by_code(
                        activity=activity, code=code_form.cleaned_data["code"], by=request.user
                    )
                    messages.success(
                        request, _("%(who)s checked in.") % {"who": signup.child or signup.resident}
                    )
                    return here, code_form, behalf_form
            elif action == "collect":
                signup = Signup.objects.filter(activity=activity, pk=request.POST.get("signup") or 0).first()
                form = CollectionForm(request.POST, prefix="collect")
                if signup is None:
                    raise Http404
                if form.is_valid():
                    services.record_collection(
                        signup=signup, collected_by=form.cleaned_data["collected_by"], by=request.user
                    )
                    messages.success(
                        request, _("Collection of %(child)s recorded.") % {"child": signup.child}
                    )
                else:
                    messages.error(request, _("Enter who collected the child."))
                return here, code_form, behalf_form
            elif action == "behalf":
                behalf_form = OnBehalfForm(request.POST, prefix="behalf")
                if behalf_form.is_valid():
                    signup = services.sign_up_on_behalf(
                        activity=activity, staff=request.user, **behalf_form.cleaned_data
                    )
                    if signup.status == Signup.Status.CONFIRMED:
                        messages.success(
                            request,
                            _("Signed up %(who)s (code %(code)s).")
                            % {"who": signup.child or signup.resident, "code": signup.code},
                        )
                    else:
                        messages.warning(
                            request,
                            _("The activity is full: %(who)s is on the waitlist.")
                            % {"who": signup.child or signup.resident},
                        )
                    return here, code_form, behalf_form
            elif action == "cancel":
                signup = Signup.objects.filter(activity=activity, pk=request.POST.get("signup") or 0).first()
                if signup is None:
                    raise Http404
                promoted = services.cancel_signup(signup=signup, by=request.user)
                messages.success(request, _("Sign-up cancelled."))
                if promoted:
                    messages.info(
                        request,
                        _("%(who)s moved up from the waitlist and is being told.")
                        % {"who": promoted.child or promoted.resident},
                    )
                return here, code_form, behalf_form
        except ValidationError as exc:
            target = code_form if action == "code" else behalf_form if action == "behalf" else None
            if target is not None:
                target.add_error(None, exc)
            else:
                _report(request, exc)
                return here, code_form, behalf_form
        return None, code_form, behalf_form


@admin.register(ActivitySeries)
class ActivitySeriesAdmin(ScopedAdmin):
    form = ActivitySeriesAdminForm
    list_display = [
        "title",
        "center",
        "rrule",
        "start_time",
        "end_time",
        "first_date",
        "last_date",
        "is_active",
    ]
    list_filter = ["is_active", "category"]
    list_select_related = ["center"]
    actions = ["generate_selected"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        created = services.generate_occurrences(
            series=obj,
            until=timezone.localdate() + dt.timedelta(days=services.SERIES_HORIZON_DAYS),
            by=request.user,
        )
        messages.info(request, _("%(n)s occurrences created.") % {"n": len(created)})

    @admin.action(description=_("Generate the coming weeks' occurrences"))
    def generate_selected(self, request, queryset):
        until = timezone.localdate() + dt.timedelta(days=services.SERIES_HORIZON_DAYS)
        total = sum(
            len(services.generate_occurrences(series=s, until=until, by=request.user))
            for s in access.scope(request.user, queryset, "change")
        )
        messages.info(request, _("%(n)s occurrences created.") % {"n": total})


@admin.register(Signup)
class SignupAdmin(ScopedAdmin):
    list_display = ["__str__", "status", "channel", "signed_up_at", "attended_at"]
    list_filter = ["status", "channel"]
    list_select_related = ["activity", "resident", "child"]
    search_fields = ["activity__title", "code"]
    readonly_fields = [f.name for f in Signup._meta.fields if f.name != "id"]
    actions = ["check_in_selected", "cancel_selected"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Check in the selected sign-ups"))
    def check_in_selected(self, request, queryset):
        for signup in access.scope(request.user, queryset, "change").filter(status=Signup.Status.CONFIRMED):
            services.check_in(signup=signup, by=request.user)

    @admin.action(description=_("Cancel the selected sign-ups"))
    def cancel_selected(self, request, queryset):
        for signup in access.scope(request.user, queryset, "change"):
            services.cancel_signup(signup=signup, by=request.user)


@admin.register(CenterNotice)
class CenterNoticeAdmin(ScopedAdmin):
    list_display = ["title", "center", "published_at", "expires_at", "is_published"]
    list_filter = ["is_published"]
    list_select_related = ["center"]
    search_fields = ["title"]


@admin.register(Photo)
class PhotoAdmin(ScopedAdmin):
    form = PhotoAdminForm
    list_display = ["thumb", "caption", "center", "activity", "uploaded_at"]
    list_select_related = ["center", "activity"]

    @admin.display(description=_("thumbnail"))
    def thumb(self, obj):
        return format_html('<img src="{}" alt="" width="80">', obj.thumbnail.url) if obj.thumbnail else "-"

    def save_model(self, request, obj, form, change):
        upload = form.cleaned_data.get("upload")
        if change and not upload:
            obj.save()
            return
        photo = photos.add_photo(
            center=obj.center,
            activity=obj.activity,
            upload=upload,
            uploaded_by=request.user,
            caption=obj.caption,
        )
        if change:
            obj.delete()
        obj.pk = photo.pk


@admin.register(Reminder)
class ReminderAdmin(ScopedAdmin):
    list_display = ["signup", "hours_before", "channel", "sent_at"]
    list_filter = ["hours_before", "channel"]
    list_select_related = ["signup__activity", "signup__resident", "signup__child"]
