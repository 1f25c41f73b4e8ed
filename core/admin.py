from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .admin_scoping import ScopedAdmin, ScopedInline
from .models import AuditEntry, Center, Community, District, RoleAssignment, Street, User


@admin.register(District)
class DistrictAdmin(ScopedAdmin):
    search_fields = ["name"]


@admin.register(Street)
class StreetAdmin(ScopedAdmin):
    list_display = ["name", "district"]
    search_fields = ["name"]


@admin.register(Community)
class CommunityAdmin(ScopedAdmin):
    list_display = ["name", "street"]
    list_filter = ["street"]
    list_select_related = ["street"]
    search_fields = ["name"]


@admin.register(Center)
class CenterAdmin(ScopedAdmin):
    list_display = ["name", "level", "street", "community", "is_active"]
    list_filter = ["level", "street", "is_active"]
    list_select_related = ["street", "community"]
    search_fields = ["name", "address"]
    prepopulated_fields = {"slug": ["name"]}


class RoleInline(ScopedInline):
    model = RoleAssignment
    fk_name = "user"
    autocomplete_fields = ["center", "street"]


@admin.register(User)
class UserAdmin(ScopedAdmin, DjangoUserAdmin):
    ordering = ["id"]
    list_display = ["id", "real_name", "masked_phone", "email", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_active"]
    search_fields = ["real_name", "phone", "email"]
    inlines = [RoleInline]
    fieldsets = (
        (None, {"fields": ("real_name", "phone", "phone_verified", "email", "password")}),
        (_("Status"), {"fields": ("is_active", "is_staff", "is_superuser", "date_joined", "last_login")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("real_name", "phone", "email", "password1", "password2")}),
    )
    readonly_fields = ["date_joined", "last_login"]

    @admin.display(description=_("mobile number"))
    def masked_phone(self, obj):
        return obj.masked_phone


@admin.register(AuditEntry)
class AuditEntryAdmin(ScopedAdmin):
    list_display = ["at", "actor", "role", "action", "object_type", "object_id", "reason", "ip", "detail"]
    list_filter = ["action", "role", "object_type"]
    list_select_related = ["actor"]
    date_hierarchy = "at"

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
