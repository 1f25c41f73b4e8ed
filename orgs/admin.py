from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import BaseModelAdmin
from django.core.exceptions import ValidationError
from django.db.models import Avg, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core import access
from core.admin_scoping import ScopedAdmin, ScopedInline

from . import services
from .credit_code import normalize_credit_code
from .forms import OrganizationAdminForm
from .models import (
    ContractTarget,
    Domain,
    GrantCall,
    GrantProposal,
    Organization,
    ProjectProgress,
    ProposalReview,
    ServiceContract,
    StaffMember,
    StageChange,
)


class DistinctScopeMixin:
    """Scope through a many-to-many path (a contract's centers) without repeating rows."""

    def get_queryset(self, request):
        allowed = access.scope(request.user, self.model._default_manager.all(), "view").values("pk")
        return BaseModelAdmin.get_queryset(self, request).filter(pk__in=allowed)


# ------------------------------------------------------------------ organizations
class StaffMemberInline(ScopedInline):
    model = StaffMember
    fields = ["name", "position", "level", "is_party_member"]


class StageChangeInline(ScopedInline):
    """The lifecycle history, read-only: moves are made on the organization's page."""

    model = StageChange
    fk_name = "organization"
    fields = [
        "sequence",
        "from_stage",
        "to_stage",
        "moved_at",
        "moved_by",
        "reason",
        "incubation_center",
        "incubation_room",
    ]
    readonly_fields = fields
    can_delete = False
    ordering = ["-sequence"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OrganizationForm(OrganizationAdminForm):
    def clean_credit_code(self):
        return normalize_credit_code(self.cleaned_data.get("credit_code")) or None


@admin.register(Organization)
class OrganizationAdmin(ScopedAdmin):
    form = OrganizationForm
    list_display = ["name", "kind", "status", "street", "community", "stage", "grade", "is_active"]
    list_filter = ["status", "kind", "stage", "grade", "is_active"]
    list_select_related = ["street", "community"]
    search_fields = ["name", "credit_code"]
    readonly_fields = [
        "stage",
        "stage_changed_at",
        "incubator",
        "incubation_center",
        "incubation_room",
        "created_at",
        "updated_at",
    ]
    fieldsets = (
        (None, {"fields": ("name", "kind", "status", "is_active", "description")}),
        (_("Filing"), {"fields": ("street", "community", "filed_on")}),
        (_("Registration"), {"fields": ("credit_code", "registering_authority", "registered_on")}),
        (_("Work"), {"fields": ("domains", "roles")}),
        (_("Contact"), {"fields": ("address", "phone", "contact_name", "contact_phone")}),
        (
            _("Party building and evaluation"),
            {"fields": ("party_branch", "party_members", "grade", "graded_on")},
        ),
        (
            _("Lifecycle"),
            {"fields": ("stage", "stage_changed_at", "incubator", "incubation_center", "incubation_room")},
        ),
        (None, {"fields": ("created_at", "updated_at")}),
    )
    filter_horizontal = ["domains"]
    inlines = [StaffMemberInline, StageChangeInline]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "domains":  # the district's list of domains is for everyone to pick from
            kwargs["queryset"] = Domain.objects.all()
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        services.save_organization(organization=obj, actor=request.user)


# ------------------------------------------------------------------ service contracts
class ContractTargetInline(DistinctScopeMixin, ScopedInline):
    model = ContractTarget
    fields = ["metric", "period", "minimum", "note"]
    extra = 1


class ServiceContractForm(forms.ModelForm):
    class Meta:
        model = ServiceContract
        fields = "__all__"

    def clean(self):
        data = super().clean()
        centers = data.get("centers")
        if centers is not None and data.get("buyer_street") and data.get("starts_on") and data.get("ends_on"):
            draft = ServiceContract(
                pk=self.instance.pk,
                buyer_street=data["buyer_street"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                terminated_on=data.get("terminated_on"),
            )
            try:
                services.check_contract_centers(contract=draft, centers=centers)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    self.add_error(field if field in self.fields else None, errors)
        return data


@admin.register(ServiceContract)
class ServiceContractAdmin(DistinctScopeMixin, ScopedAdmin):
    form = ServiceContractForm
    list_display = [
        "number",
        "title",
        "operator",
        "buyer_street",
        "starts_on",
        "ends_on",
        "terminated_on",
        "amount",
    ]
    list_filter = ["starts_on"]
    list_select_related = ["operator", "buyer_street"]
    search_fields = ["number", "title", "operator__name"]
    filter_horizontal = ["centers"]
    date_hierarchy = "starts_on"
    inlines = [ContractTargetInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "operator":
            # Any active registered organization may operate a center; filed ones of the user's own street too.
            own = access.scope(request.user, Organization.objects.all(), "change").values("pk")
            kwargs["queryset"] = Organization.objects.filter(is_active=True).filter(
                Q(status=Organization.Status.REGISTERED) | Q(pk__in=own)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        services.save_contract(contract=obj, centers=form.cleaned_data["centers"])

    def save_related(self, request, form, formsets, change):
        for formset in formsets:  # the centers are saved by the service
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        for target in formset.save(commit=False):
            services.set_target(
                contract=form.instance,
                metric=target.metric,
                period=target.period,
                minimum=target.minimum,
                note=target.note,
            )
        for target in formset.deleted_objects:
            target.delete()


# ------------------------------------------------------------------ venture grants
@admin.register(GrantCall)
class GrantCallAdmin(ScopedAdmin):
    list_display = ["title", "street", "opens_on", "closes_on", "budget"]
    list_select_related = ["street"]
    search_fields = ["title"]


class ProposalReviewInline(ScopedInline):
    model = ProposalReview
    fields = ["reviewer", "score", "comment", "reviewed_at"]
    readonly_fields = ["reviewer", "reviewed_at"]
    extra = 1


class ProjectProgressInline(ScopedInline):
    model = ProjectProgress
    fields = ["reported_on", "percent_done", "note", "recorded_by"]
    readonly_fields = ["recorded_by"]
    extra = 1


@admin.register(GrantProposal)
class GrantProposalAdmin(ScopedAdmin):
    list_display = [
        "title",
        "organization",
        "call",
        "requested_amount",
        "average_score",
        "status",
        "granted_amount",
    ]
    list_filter = ["status"]
    list_select_related = ["organization", "call"]
    search_fields = ["title", "organization__name"]
    readonly_fields = ["status", "granted_amount", "decided_at"]
    inlines = [ProposalReviewInline, ProjectProgressInline]
    actions = ["fund_as_requested", "decline"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(avg_score=Avg("reviews__score"))

    @admin.display(description=_("average score"), ordering="avg_score")
    def average_score(self, obj):
        return None if obj.avg_score is None else round(obj.avg_score, 1)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organization":
            kwargs["queryset"] = Organization.objects.filter(is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            obj.full_clean()
            obj.save()
        else:
            new = services.submit_proposal(
                call=obj.call,
                organization=obj.organization,
                title=obj.title,
                requested_amount=obj.requested_amount,
                summary=obj.summary,
                on=obj.call.opens_on,
            )
            obj.pk, obj.submitted_at = new.pk, new.submitted_at
            obj._state.adding = False

    def save_formset(self, request, form, formset, change):
        for item in formset.save(commit=False):
            if isinstance(item, ProposalReview) and item.pk is None:
                services.review_proposal(
                    proposal=form.instance, reviewer=request.user, score=item.score, comment=item.comment
                )
            elif isinstance(item, ProjectProgress) and item.pk is None:
                services.record_progress(
                    proposal=form.instance,
                    percent_done=item.percent_done,
                    note=item.note,
                    actor=request.user,
                    on=item.reported_on,
                )
            else:
                item.full_clean()
                item.save()

    def _decide(self, request, queryset, fund: bool):
        done = 0
        for proposal in queryset:
            try:
                services.decide_proposal(proposal=proposal, fund=fund)
                done += 1
            except ValidationError as exc:
                self.message_user(request, f"{proposal}: {' '.join(exc.messages)}", messages.ERROR)
        if done:
            self.message_user(request, ngettext("%d proposal decided.", "%d proposals decided.", done) % done)

    @admin.action(description=_("Fund the selected proposals as requested"), permissions=["change"])
    def fund_as_requested(self, request, queryset):
        self._decide(request, queryset, True)

    @admin.action(description=_("Decline the selected proposals"), permissions=["change"])
    def decline(self, request, queryset):
        self._decide(request, queryset, False)


@admin.register(Domain)
class DomainAdmin(ScopedAdmin):
    search_fields = ["name"]
