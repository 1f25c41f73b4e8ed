"""The work desk for meetings, notices and mediation, scoped by core.access.

Scope rule: a meeting (and a mediation case) belongs to its hosting center. That center's
social workers and manager see and change it; street staff see every center of their street;
the district administrator sees all. Status moves happen on the workbench page
(deliberation:manage) through the services, so the status fields are read-only here.
"""

from django import forms
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin_scoping import ScopedAdmin, ScopedInline
from core.models import User
from core.validators import normalize_mobile

from . import selectors
from .models import (
    FollowUp,
    FollowUpCall,
    MediationCase,
    MediationParty,
    MediationSession,
    Meeting,
    Notice,
    Objection,
    Option,
    Participant,
    Transition,
)


class ParticipantInline(ScopedInline):
    model = Participant
    fields = ["party", "name", "affiliation", "phone", "invited_at", "attended"]
    readonly_fields = ["invited_at", "attended"]


class OptionInline(ScopedInline):
    model = Option
    fields = ["title", "description"]


class FollowUpInline(ScopedInline):
    model = FollowUp
    fields = ["title", "responsible", "due_on", "status", "done_on", "note"]


class TransitionInline(ScopedInline):
    model = Transition
    fields = ["at", "from_status", "to_status", "by", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Meeting)
class MeetingAdmin(ScopedAdmin):
    list_display = ["topic", "community", "center", "starts_at", "status", "workbench"]
    list_filter = ["status", "center__street"]
    list_select_related = ["community", "center"]
    search_fields = ["topic", "community__name"]
    date_hierarchy = "starts_at"
    readonly_fields = ["status", "chosen_option", "booking", "created_by", "created_at", "updated_at"]
    fields = [
        "topic",
        "background",
        "community",
        "center",
        "space",
        "location",
        "organizer",
        "starts_at",
        "ends_at",
        "chair",
        "quorum_percent",
        "notice_days",
        "status",
        "booking",
        "chosen_option",
        "preliminary_plan",
        "final_plan",
        "created_by",
        "created_at",
        "updated_at",
    ]
    inlines = [ParticipantInline, OptionInline, FollowUpInline, TransitionInline]

    @admin.display(description=_("workbench"))
    def workbench(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_manage_url(), _("Open"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organizer":
            kwargs["queryset"] = selectors.organizations_for(request.user)
        if db_field.name == "chair":
            meeting_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            kwargs["queryset"] = Participant.objects.filter(meeting_id=meeting_id or 0)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.status != Meeting.Status.DRAFT:
            # Once scheduled, the hall is booked for these: they change only by cancelling.
            fields += ["community", "center", "space", "starts_at", "ends_at"]
        return fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class ObjectionInline(ScopedInline):
    model = Objection
    fields = ["created_at", "text", "answer", "answered_at", "answered_by"]
    readonly_fields = ["created_at", "text", "answer", "answered_at", "answered_by"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Notice)
class NoticeAdmin(ScopedAdmin):
    """Notices are posted and answered on the workbench; here they are read."""

    list_display = ["meeting", "published_at", "ends_at", "status"]
    list_filter = ["status"]
    list_select_related = ["meeting"]
    readonly_fields = [
        "meeting",
        "text",
        "days",
        "published_at",
        "ends_at",
        "status",
        "paused_at",
        "published_by",
    ]
    inlines = [ObjectionInline]


class MediationPartyInline(ScopedInline):
    model = MediationParty
    fields = ["side", "name", "phone", "note"]


class MediationSessionInline(ScopedInline):
    model = MediationSession
    fields = ["held_at", "place", "notes"]


class FollowUpCallInline(ScopedInline):
    model = FollowUpCall
    fields = ["called_on", "kept", "note"]


class MediationCaseAdminForm(forms.ModelForm):
    """Staff cannot browse people (PIPL): the mediator's account is named by its mobile number."""

    mediator_phone = forms.CharField(
        label=_("Mediator's mobile number"),
        required=False,
        max_length=20,
        help_text=_(
            "The mediator's account is found by this number; the mediator sees this case and its parties."
        ),
    )

    class Meta:
        model = MediationCase
        fields = [
            "center",
            "community",
            "dispute_type",
            "title",
            "description",
            "mediator_org",
            "opened_on",
            "status",
            "outcome",
            "closed_on",
            "agreement_summary",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.mediator_id:
            self.fields["mediator_phone"].initial = self.instance.mediator.phone

    def clean_mediator_phone(self):
        phone = normalize_mobile(self.cleaned_data["mediator_phone"])
        if not phone:
            self.instance.mediator = None
            return ""
        user = User.objects.filter(phone=phone, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No account has the mobile number %(phone)s.") % {"phone": phone})
        self.instance.mediator = user
        return phone


@admin.register(MediationCase)
class MediationCaseAdmin(ScopedAdmin):
    form = MediationCaseAdminForm
    list_display = ["title", "dispute_type", "center", "mediator", "status", "outcome", "opened_on"]
    list_filter = ["dispute_type", "status", "outcome"]
    list_select_related = ["center", "mediator"]
    search_fields = ["title"]
    readonly_fields = ["created_by", "created_at"]
    # The agreement document is served only through the access-checked mediation page.
    fields = [
        "center",
        "community",
        "dispute_type",
        "title",
        "description",
        "mediator_phone",
        "mediator_org",
        "opened_on",
        "status",
        "outcome",
        "closed_on",
        "agreement_summary",
        "created_by",
        "created_at",
    ]
    inlines = [MediationPartyInline, MediationSessionInline, FollowUpCallInline]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "mediator_org":
            kwargs["queryset"] = selectors.organizations_for(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
