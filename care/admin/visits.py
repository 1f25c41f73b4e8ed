"""Visits on one screen (recipient by autocomplete, follow-ups inline), referrals and consent."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import access
from core.admin_scoping import ScopedInline
from core.audit import audit

from .. import services
from ..forms import ConsentAdminForm, ReferralAdminForm, VisitAdminForm
from ..models import Consent, FollowUp, Referral, Visit
from .base import CareAdmin, RecipientCenterFilter, VisitCenterFilter, audit_context


# ------------------------------------------------------------------ visits
class FollowUpInline(ScopedInline):
    model = FollowUp
    fields = ["action", "due_on", "done_on"]

    def get_extra(self, request, obj=None, **kwargs):
        return 0 if obj is not None else 1


@admin.register(Visit)
class VisitAdmin(CareAdmin):
    """One screen: the recipient by autocomplete, what happened, and the follow-ups below."""

    form = VisitAdminForm
    audit_label = "visits"
    autocomplete_fields = ["recipient"]
    fields = [
        "recipient",
        "kind",
        "visited_on",
        "duration_minutes",
        "mood",
        "observations",
        "needs_found",
        "crisis",
        "visitor",
    ]
    readonly_fields = ["visitor"]
    inlines = [FollowUpInline]
    list_display = [
        "visited_on",
        "recipient_name",
        "center_name",
        "kind",
        "duration_minutes",
        "mood",
        "crisis",
        "visited_by",
    ]
    list_display_links = ["visited_on", "recipient_name"]
    list_select_related = ["recipient", "center", "visited_by"]
    list_only = [
        *("visited_on", "kind", "duration_minutes", "mood", "crisis"),
        *("recipient__name", "recipient__birth_year", "recipient__anonymised_at", "center__name"),
        *("visited_by__real_name", "visited_by__phone", "visited_by__email"),
    ]
    list_filter = [VisitCenterFilter, "kind", "crisis", "mood", "visited_on"]
    search_fields = ["recipient__name"]
    ordering = ["-visited_on", "-id"]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("visited_on", timezone.localdate())
        return initial

    @admin.display(description=_("care recipient"), ordering="recipient__name")
    def recipient_name(self, obj):
        return obj.recipient

    @admin.display(description=_("center"))
    def center_name(self, obj):
        return obj.center.name

    @admin.display(description=_("visited by"))
    def visitor(self, obj):
        return str(obj.visited_by) if obj.visited_by_id else str(_("you (on saving)"))

    def save_model(self, request, obj, form, change):
        services.save_visit(visit=obj, actor=request.user, context=audit_context(request, "admin save"))

    def save_formset(self, request, form, formset, change):
        for follow_up in formset.save(commit=False):
            services.save_follow_up(follow_up=follow_up)
        for follow_up in formset.deleted_objects:
            follow_up.delete()

    def delete_model(self, request, obj):
        services.delete_visit(visit=obj, actor=request.user, context=audit_context(request, "admin delete"))


# ------------------------------------------------------------------ referrals and consent
@admin.register(Referral)
class ReferralAdmin(CareAdmin):
    form = ReferralAdminForm
    autocomplete_fields = ["recipient"]
    fields = [
        "recipient",
        "resource",
        "provider",
        "status",
        "referred_on",
        "closed_on",
        "outcome",
        "referrer",
    ]
    readonly_fields = ["referrer"]
    list_display = ["referred_on", "recipient_name", "center_name", "resource", "status", "closed_on"]
    list_select_related = ["recipient__center"]
    list_filter = [RecipientCenterFilter, "resource", "status"]
    search_fields = ["recipient__name", "provider"]

    @admin.display(description=_("care recipient"), ordering="recipient__name")
    def recipient_name(self, obj):
        return obj.recipient

    @admin.display(description=_("center"))
    def center_name(self, obj):
        return obj.recipient.center.name

    @admin.display(description=_("referred by"))
    def referrer(self, obj):
        return str(obj.referred_by) if obj.referred_by_id else str(_("you (on saving)"))

    def save_model(self, request, obj, form, change):
        services.save_referral(referral=obj, actor=request.user, context=audit_context(request, "admin save"))

    def delete_model(self, request, obj):
        audit(
            actor=request.user,
            action="delete",
            obj=obj,
            center_id=obj.recipient.center_id,
            context=audit_context(request, "admin delete"),
        )
        super().delete_model(request, obj)


@admin.register(Consent)
class ConsentAdmin(CareAdmin):
    form = ConsentAdminForm
    autocomplete_fields = ["recipient"]
    list_display = [
        "recipient",
        "center_name",
        "scope",
        "given_by",
        "given_on",
        "channel",
        "text_version",
        "recorded_by",
        "withdrawn_on",
    ]
    list_select_related = ["recipient__center", "recorded_by"]
    list_filter = [RecipientCenterFilter, "scope", "channel"]
    search_fields = ["recipient__name"]
    actions = ["withdraw"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [
            "recipient",
            "scope",
            "given_by",
            "guardian_name",
            "given_on",
            "channel",
            "text_version",
            "recorded_by",
            "recorded_at",
            "withdrawn_on",
        ]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ConsentAdminForm._meta.fields
        return self.get_readonly_fields(request, obj)

    @admin.display(description=_("center"))
    def center_name(self, obj):
        return obj.recipient.center.name

    def save_model(self, request, obj, form, change):
        if not change:
            services.record_consent(
                consent=obj, actor=request.user, context=audit_context(request, "admin save")
            )

    @admin.action(
        description=_("Withdraw the selected consents (erases what they covered)"), permissions=["change"]
    )
    def withdraw(self, request, queryset):
        scoped = access.scope(request.user, queryset, "change")
        count = 0
        for consent in scoped.filter(withdrawn_on__isnull=True):
            services.withdraw_consent(
                consent=consent, actor=request.user, context=audit_context(request, "withdrawal")
            )
            count += 1
        self.message_user(request, _("%(count)s consent(s) withdrawn.") % {"count": count}, messages.SUCCESS)
