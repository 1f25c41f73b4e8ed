"""Recipients: one form with the consent and the sensitive fields; referrals and visits below."""

from django import forms
from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core import access
from core.admin_scoping import ScopedInline
from core.audit import audit

from .. import selectors, services
from ..forms import RecipientAdminForm, ReferralAdminForm
from ..models import Consent, Recipient, Referral, Visit
from .base import CareAdmin, CenterFilter, DueFilter, audit_context


# ------------------------------------------------------------------ recipients
class ConsentInline(ScopedInline):
    model = Consent
    fields = [
        "scope",
        "given_by",
        "guardian_name",
        "given_on",
        "channel",
        "text_version",
        "recorder",
        "withdrawn_on",
    ]
    readonly_fields = fields
    verbose_name_plural = _("consent records (add a new one above; withdraw under “Consent records”)")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recorded_by")

    @admin.display(description=_("recorded by"))
    def recorder(self, obj):
        return str(obj.recorded_by)  # plain text: staff may not open user accounts


class ReferralInline(ScopedInline):
    model = Referral
    form = ReferralAdminForm
    fields = ["resource", "provider", "status", "referred_on", "closed_on", "outcome"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 28})}}
    show_change_link = True


class VisitInline(ScopedInline):
    model = Visit
    fields = ["visited_on", "kind", "duration_minutes", "mood", "crisis", "visitor"]
    readonly_fields = fields
    show_change_link = True
    verbose_name_plural = _("visits (log a new one with “Log a visit”)")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("visited_by")

    @admin.display(description=_("visited by"))
    def visitor(self, obj):
        return str(obj.visited_by)  # plain text: staff may not open user accounts


@admin.register(Recipient)
class RecipientAdmin(CareAdmin):
    form = RecipientAdminForm
    audit_label = "recipients"
    list_display = [
        "name",
        "center",
        "risk_tier",
        "flags",
        "phone_masked",
        "id_masked",
        "due_display",
        "social_worker",
        "consent_display",
    ]
    list_select_related = ["center", "social_worker"]
    # The list reads what it shows (phone and ID number only to mask them): not health notes,
    # guardians or family contacts.
    list_only = [
        *("name", "birth_year", "anonymised_at", "risk_tier", "lives_alone", "very_old"),
        *("phone", "id_number", "next_visit_due", "center__name"),
        *("social_worker__real_name", "social_worker__phone", "social_worker__email"),
    ]
    list_filter = [CenterFilter, DueFilter, "risk_tier", "status", "lives_alone", "very_old"]
    search_fields = ["name", "=phone", "=id_number"]
    ordering = ["next_visit_due", "id"]
    inlines = [ConsentInline, ReferralInline, VisitInline]
    readonly_fields = ["last_visited_on", "next_visit_due", "shortcuts"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "shortcuts",
                    "center",
                    "name",
                    "gender",
                    "birth_year",
                    "phone",
                    "address",
                    "source",
                    "found_on",
                ]
            },
        ),
        (
            _("Vulnerability and care plan"),
            {
                "fields": [
                    "lives_alone",
                    "very_old",
                    "risk_tier",
                    "social_worker",
                    "volunteer",
                    "resident_phone",
                    "last_visited_on",
                    "next_visit_due",
                ]
            },
        ),
        (
            _("New consent to data processing"),
            {
                "fields": [
                    "consent_scope",
                    "consent_given_by",
                    "consent_guardian_name",
                    "consent_given_on",
                    "consent_channel",
                    "consent_text_version",
                ],
                "description": _(
                    "Sensitive information below is stored only under a consent of scope “sensitive "
                    "information”, given by the recipient or their guardian. Record it here the first time."
                ),
            },
        ),
        (
            _("Sensitive information (needs consent)"),
            {
                "fields": [
                    "id_number",
                    "disability_type",
                    "health_notes",
                    "registered_but_absent",
                    "actual_address",
                    "guardian_name",
                    "guardian_phone",
                    "family_contacts",
                ]
            },
        ),
        (_("Closing the record"), {"fields": ["status", "closed_on", "closed_reason"]}),
    ]

    def get_queryset(self, request):
        return selectors.with_consent_state(super().get_queryset(request))

    def get_list_display(self, request):
        columns = list(super().get_list_display(request))
        if not request.user.is_superuser and len(access.center_ids(request.user, access.FIELD_WORKERS)) < 2:
            columns.remove("center")  # one center: the column would repeat its long name on every row
        return columns

    @admin.display(description=_("flags"))
    def flags(self, obj):
        names = [_("lives alone") if obj.lives_alone else "", _("very old") if obj.very_old else ""]
        return " · ".join(str(n) for n in names if n) or "—"

    def get_search_results(self, request, queryset, search_term):
        queryset, distinct = super().get_search_results(request, queryset, search_term)
        if request.resolver_match and request.resolver_match.url_name == "autocomplete":
            queryset = queryset.filter(status=Recipient.Status.ACTIVE, anonymised_at__isnull=True)
        return queryset, distinct

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "center":
            kwargs["queryset"] = access.visible_centers(request.user, access.FIELD_WORKERS)
        elif db_field.name == "social_worker":
            kwargs["queryset"] = selectors.social_workers_for(request.user)
        elif db_field.name == "volunteer":
            kwargs["queryset"] = selectors.volunteers_for(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.anonymised_at:
            return False
        return super().has_change_permission(request, obj)

    @admin.display(description=_("telephone"))
    def phone_masked(self, obj):
        return obj.masked_phone

    @admin.display(description=_("ID number"))
    def id_masked(self, obj):
        return obj.masked_id_number

    @admin.display(description=_("next visit due"), ordering="next_visit_due")
    def due_display(self, obj):
        if obj.next_visit_due is None:
            return "—"
        if obj.next_visit_due < timezone.localdate():
            return format_html(
                '<strong class="care-overdue">{} · {}</strong>', obj.next_visit_due, _("overdue")
            )
        return obj.next_visit_due

    @admin.display(description=_("consent"))
    def consent_display(self, obj):
        scope = getattr(obj, "consent_scope", None)
        if scope == Consent.Scope.SENSITIVE:
            return _("incl. sensitive")
        if scope:
            return _("care services")
        return _("none")

    @admin.display(description=_("shortcuts"))
    def shortcuts(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return format_html(
            '<a href="{}?recipient={}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:care_visit_add"),
            obj.pk,
            _("Log a visit"),
            reverse("care:timeline", args=[obj.pk]),
            _("Timeline"),
        )

    def save_model(self, request, obj, form, change):
        services.save_recipient(
            recipient=obj,
            actor=request.user,
            changed_fields=form.changed_data,
            consent=form.new_consent,
            context=audit_context(request, "admin save"),
        )

    def save_formset(self, request, form, formset, change):
        if formset.model is not Referral:
            return super().save_formset(request, form, formset, change)
        for referral in formset.save(commit=False):
            services.save_referral(
                referral=referral, actor=request.user, context=audit_context(request, "admin save")
            )
        for referral in formset.deleted_objects:
            audit(
                actor=request.user,
                action="delete",
                obj=referral,
                center_id=form.instance.center_id,
                context=audit_context(request, "admin delete"),
            )
            referral.delete()
        return None

    def delete_model(self, request, obj):
        audit(
            actor=request.user,
            action="delete",
            obj=obj,
            center_id=obj.center_id,
            context=audit_context(request, "admin delete"),
        )
        super().delete_model(request, obj)
