"""What every care admin shares: 404 outside one's centers, audited record pages, scoped filters."""

import datetime as dt
from urllib.parse import unquote_plus

from django.contrib import admin
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import access
from core.admin_scoping import ScopedAdmin
from core.audit import AuditContext, audit

from ..models import Recipient


def audit_context(request, why: str) -> AuditContext:
    return AuditContext.from_request(request, why)


def center_id_of(obj) -> int | None:
    if isinstance(obj, Recipient):
        return obj.center_id
    recipient = getattr(obj, "recipient", None)
    return recipient.center_id if recipient is not None else None


class CenterFilter(admin.SimpleListFilter):
    """Only the centers the user works in: the filter itself never lists another center."""

    title = _("center")
    parameter_name = "center"
    path = "center"

    def lookups(self, request, model_admin):
        return access.center_choices(request.user, access.FIELD_WORKERS)

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        # Only a listed center: anything else in the address (a word, another center) lists nothing.
        if self.value() not in {str(pk) for pk, _name in self.lookup_choices}:
            return queryset.none()
        return queryset.filter(**{f"{self.path}_id": self.value()})


class RecipientCenterFilter(CenterFilter):
    path = "recipient__center"


class VisitCenterFilter(CenterFilter):
    path = "center"


class DueFilter(admin.SimpleListFilter):
    title = _("next visit")
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [
            ("overdue", _("Overdue")),
            ("week", _("Due within 7 days")),
            ("later", _("Later")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        week = today + dt.timedelta(days=7)
        if self.value() == "overdue":
            return queryset.filter(next_visit_due__lt=today)
        if self.value() == "week":
            return queryset.filter(next_visit_due__gte=today, next_visit_due__lte=week)
        if self.value() == "later":
            return queryset.filter(next_visit_due__gt=week)
        return queryset


class CareAdmin(ScopedAdmin):
    """Another center's record answers 404 (not a redirect that confirms it exists); every
    opened record and every list page is written to the audit log."""

    save_as = False
    audit_label = ""

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        request._care_object = obj
        return obj

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        obj = getattr(request, "_care_object", None)
        if request.method == "GET" and response.status_code == 200 and obj is not None:
            audit(
                actor=request.user,
                action="view",
                obj=obj,
                center_id=center_id_of(obj),
                context=audit_context(request, "admin record page"),
            )
        return response

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if self.audit_label and request.method == "GET" and response.status_code == 200:
            audit(
                actor=request.user,
                action="list",
                obj=self.model._meta.label,
                center_id=None,
                context=audit_context(request, "admin list"),
                detail=f"query={unquote_plus(request.GET.urlencode())[:80]}",
            )
        return response

    def get_list_display(self, request):
        columns = list(super().get_list_display(request))
        if (
            "center_name" in columns
            and not access.is_district_wide(request.user)
            and len(access.center_ids(request.user)) < 2
        ):
            columns.remove("center_name")  # one center: the column would repeat its name on every row
        return columns

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # deletions go one by one, through the services
        return actions
