"""Admin for the dispatch app: scoped by center; states change only through the desk's services."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin_scoping import ScopedAdmin, ScopedInline

from . import selectors, services
from .models import (
    Assignment,
    CallAnswer,
    Channel,
    CollectionSite,
    DispatchReminder,
    Feedback,
    Mobilisation,
    ServiceRequest,
    ServiceVehicle,
    StatusChange,
    SupplyEntry,
    Wave,
)
from .services.supplies import plain_number


@admin.register(CollectionSite)
class CollectionSiteAdmin(ScopedAdmin):
    list_display = ["name", "center", "address", "opening_hours", "is_active"]
    list_filter = ["is_active", "center__street"]
    list_select_related = ["center"]
    search_fields = ["name", "address"]
    filter_horizontal = ["communities"]


@admin.register(ServiceVehicle)
class ServiceVehicleAdmin(ScopedAdmin):
    list_display = ["name", "plate", "center", "is_active"]
    list_filter = ["is_active"]
    list_select_related = ["center"]
    search_fields = ["name", "plate"]
    filter_horizontal = ["communities"]


class StatusChangeInline(ScopedInline):
    model = StatusChange
    fields = ["at", "from_status", "to_status", "by", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class AssignmentInline(ScopedInline):
    model = Assignment
    fk_name = "request"
    readonly_fields = [
        "assigned_at",
        "kind",
        "assignee_label",
        "response",
        "responded_at",
        "assigned_by",
        "note",
    ]
    fields = readonly_fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("assignee"))
    def assignee_label(self, obj):
        return obj.assignee_label


class RecordRequestForm(forms.ModelForm):
    """The admin's "add": checks up front what the filing service would refuse."""

    class Meta:
        model = ServiceRequest
        fields = [
            "channel",
            "collection_site",
            "category",
            "community",
            "description",
            "address",
            "contact_name",
            "contact_phone",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "channel" in self.fields:
            self.fields["channel"].choices = [c for c in Channel.choices if c[0] != Channel.WEB]
            self.fields["contact_phone"].required = True

    def clean(self):
        data = super().clean()
        if self.instance.pk is None:
            community = data.get("community")
            if community is None:
                self.add_error("community", _("Choose the resident's community."))
            elif selectors.center_for_community(community) is None:
                self.add_error("community", _("No center serves this community yet."))
            if data.get("channel") == Channel.COLLECTION_SITE and not data.get("collection_site"):
                self.add_error("collection_site", _("Choose the collection site where the request came in."))
        return data

    def _post_clean(self):
        if self.instance.pk is None:
            return  # the service builds and validates the row
        super()._post_clean()


@admin.register(ServiceRequest)
class ServiceRequestAdmin(ScopedAdmin):
    """Staff add hotline, collection-site, app and WeChat requests here too (through the service);
    assigning and closing happen on the dispatch desk, which keeps the history."""

    list_display = ["number", "created_at", "category", "channel", "community", "center", "status"]
    # A date filter instead of date_hierarchy, whose year links cost two queries on every page.
    list_filter = ["status", "category", "channel", "created_at", "center__street"]
    list_select_related = ["community", "center"]
    search_fields = ["number", "contact_name", "contact_phone"]
    inlines = [AssignmentInline, StatusChangeInline]
    form = RecordRequestForm
    add_fields = [
        "channel",
        "collection_site",
        "category",
        "community",
        "description",
        "address",
        "contact_name",
        "contact_phone",
    ]
    readonly_after_add = [
        "number",
        "status",
        "channel",
        "collection_site",
        "center",
        "community",
        "requester",
        "contact_phone",
        "phone_confirmed",
        "recorded_by",
        "created_at",
        "waiting_since",
        "assigned_at",
        "started_at",
        "closed_at",
        "closing_note",
    ]
    autocomplete_fields = ["community"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return self.add_fields
        return [
            *self.readonly_after_add[:2],
            "category",
            "description",
            "address",
            "contact_name",
            *self.readonly_after_add[2:],
        ]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_after_add

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        created = services.submit_request(
            category=data["category"],
            description=data["description"],
            community=data["community"],
            contact_name=data.get("contact_name", ""),
            contact_phone=data.get("contact_phone", ""),
            address=data.get("address", ""),
            channel=data["channel"] or Channel.HOTLINE,
            collection_site=data.get("collection_site"),
            recorded_by=request.user,
        )
        obj.pk = created.pk
        obj.number = created.number


@admin.register(Feedback)
class FeedbackAdmin(ScopedAdmin):
    addable = False  # given by the resident or recorded on the desk
    list_display = ["request", "rating", "source", "created_at"]
    list_filter = ["rating", "source"]
    list_select_related = ["request"]
    readonly_fields = ["request", "rating", "comment", "source", "recorded_by", "created_at"]


@admin.register(DispatchReminder)
class DispatchReminderAdmin(ScopedAdmin):
    addable = False  # written by the reminder task
    list_display = ["request", "level", "waiting_since", "created_at", "sent_at"]
    list_filter = ["level"]
    list_select_related = ["request"]
    readonly_fields = ["request", "level", "waiting_since", "created_at", "sent_at"]


class SupplyEntryForm(forms.ModelForm):
    class Meta:
        model = SupplyEntry
        fields = ["center", "direction", "item", "unit", "quantity", "party", "note"]

    def clean(self):
        data = super().clean()
        if (
            data.get("direction") == SupplyEntry.Direction.DISTRIBUTED
            and data.get("center")
            and data.get("quantity")
        ):
            stock = selectors.supply_stock(
                center=data["center"], item=data.get("item", ""), unit=data.get("unit", "")
            )
            if data["quantity"] > stock:
                self.add_error("quantity", _("Only %(stock)s are in stock.") % {"stock": plain_number(stock)})
        return data


@admin.register(SupplyEntry)
class SupplyEntryAdmin(ScopedAdmin):
    list_display = ["at", "center", "direction", "item", "quantity", "unit", "party"]
    list_filter = ["direction", "center"]
    list_select_related = ["center"]
    search_fields = ["item", "party"]
    form = SupplyEntryForm

    def save_model(self, request, obj, form, change):
        if change:
            return  # the ledger is append-only (change permission is refused anyway)
        fields = ["center", "direction", "item", "unit", "quantity", "party", "note"]
        entry = services.record_supplies(
            recorded_by=request.user, **{k: form.cleaned_data.get(k) or "" for k in fields}
        )
        obj.pk = entry.pk


class WaveInline(ScopedInline):
    model = Wave
    fields = ["number", "group", "sent_at", "recipients"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class CallAnswerInline(ScopedInline):
    model = CallAnswer
    fields = ["volunteer", "wave", "answer", "notified_at", "answered_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Mobilisation)
class MobilisationAdmin(ScopedAdmin):
    """Calls are broadcast from the dispatch desk (which sends the waves); here they are read."""

    list_display = ["title", "center", "created_at", "needed", "wave", "status", "exhausted"]
    list_filter = ["status", "center__street"]
    list_select_related = ["center"]
    search_fields = ["title"]
    readonly_fields = [
        "title",
        "message",
        "center",
        "communities",
        "team",
        "skill",
        "needed",
        "answer_within_minutes",
        "wave",
        "status",
        "exhausted",
        "created_by",
        "created_at",
        "closed_at",
    ]
    inlines = [WaveInline, CallAnswerInline]

    def has_add_permission(self, request):
        return False
