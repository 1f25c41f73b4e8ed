from django.contrib import admin, messages
from django.utils.html import format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.admin_scoping import ScopedAdmin

from . import exports, selectors, services
from .models import Report, ReportNotice
from .periods import Period


@admin.register(Report)
class ReportAdmin(ScopedAdmin):
    """Read-only: reports are computed by the worker; "generate again" makes a new version."""

    list_display = ["__str__", "kind", "period", "version", "status", "progress", "trigger", "published_at"]
    list_filter = ["status", "kind", "trigger", "period"]
    search_fields = ["street__name", "center__name", "district__name"]
    list_select_related = ["district", "street", "center"]
    date_hierarchy = "period"
    actions = ["generate_again"]
    fields = [
        "kind",
        "district",
        "street",
        "center",
        "period",
        "version",
        "status",
        "progress",
        "step",
        "trigger",
        "requested_by",
        "requested_at",
        "started_at",
        "published_at",
        "section_states",
        "error",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("data")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("sections"))
    def section_states(self, obj: Report):
        return format_html_join(
            "",
            "<div>{}: {}</div>",
            (
                (
                    exports.section_title(s),
                    gettext("complete") if s["status"] == "ok" else exports.section_reason(s),
                )
                for s in obj.sections
            ),
        )

    @admin.action(description=_("Generate again (a new version)"), permissions=["view"])
    def generate_again(self, request, queryset):
        allowed = {c.key for c in selectors.scope_choices(user=request.user)}
        count = 0
        for report in queryset:
            if report.scope_key not in allowed:
                continue
            services.request_report(
                scope=services.scope_of(report),
                period=Period.of(report.period),
                requested_by=request.user,
                trigger=Report.Trigger.ADMIN,
            )
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d report queued.", "%(count)d reports queued.", count) % {"count": count},
            messages.SUCCESS,
        )


@admin.register(ReportNotice)
class ReportNoticeAdmin(ScopedAdmin):
    list_display = ["report", "user", "created_at", "texted"]
    list_select_related = ["report__district", "report__street", "report__center", "user"]
    readonly_fields = ["report", "user", "created_at", "texted"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
