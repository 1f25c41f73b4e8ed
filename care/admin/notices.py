"""The cadence configuration and each person's own care notices."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core import access
from core.admin_scoping import ScopedAdmin

from .. import services
from ..models import Alert, CadencePolicy


# ------------------------------------------------------------------ configuration and notices
@admin.register(CadencePolicy)
class CadencePolicyAdmin(ScopedAdmin):
    list_display = ["risk_tier", "interval_days", "remind_days_before", "escalate_after_days"]

    def save_model(self, request, obj, form, change):
        services.save_cadence_policy(policy=obj, actor=request.user)


class ReadFilter(admin.SimpleListFilter):
    title = _("read")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("unread", _("Unread")), ("read", _("Read"))]

    def queryset(self, request, queryset):
        if self.value() in ("unread", "read"):
            return queryset.filter(read_at__isnull=self.value() == "unread")
        return queryset


@admin.register(Alert)
class AlertAdmin(ScopedAdmin):
    """Each person's own care notices; street staff's name no one."""

    list_display = ["created_at", "kind", "text", "read_at", "open_link"]
    list_filter = ["kind", ReadFilter]
    list_select_related = ["recipient__center"]
    fields = ["kind", "text", "due_on", "days_overdue", "created_at", "read_at"]
    readonly_fields = fields
    actions = ["mark_read"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("notice"))
    def text(self, obj):
        return obj.text

    @admin.display(description=_("go to"))
    def open_link(self, obj):
        if not obj.names_recipient:
            return "—"
        if obj.visit_id:
            return format_html(
                '<a href="{}">{}</a>', reverse("admin:care_visit_change", args=[obj.visit_id]), _("visit")
            )
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:care_recipient_change", args=[obj.recipient_id]),
            _("recipient"),
        )

    @admin.action(description=_("Mark as read"), permissions=["view"])
    def mark_read(self, request, queryset):
        count = services.mark_alerts_read(alerts=access.scope(request.user, queryset, "view"))
        self.message_user(
            request, _("%(count)s notice(s) marked as read.") % {"count": count}, messages.SUCCESS
        )
