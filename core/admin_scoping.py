"""ModelAdmin base that asks core.access for every queryset, permission and choice list."""

import hashlib
import html

from django.conf import settings
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from . import access
from .forms import IdMultipleChoiceField

LARGEST_ID = 2**63 - 1


class _ValidChoicesOnly:
    """Django's autocomplete widgets look the submitted values up to show them again; a value that
    is not an id of the related model (typed junk, a number beyond 64 bits) would raise a server
    error there instead of the form's own "select a valid choice". Such values are left out."""

    def optgroups(self, name, value, attr=None):
        target = self.field.remote_field.model._meta.get_field(self.field.remote_field.field_name)
        valid = []
        for item in value:
            try:
                prepared = target.get_prep_value(target.to_python(item))
            except (TypeError, ValueError, ValidationError):
                continue
            if isinstance(prepared, int) and abs(prepared) > LARGEST_ID:
                continue
            valid.append(item)
        return super().optgroups(name, valid, attr)


class SafeAutocompleteSelect(_ValidChoicesOnly, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_ValidChoicesOnly, AutocompleteSelectMultiple):
    pass


class FastLinksChangeList(ChangeList):
    """Each row's link to its record from one address reversed per page, not one per row."""

    PLACEHOLDER = 2**62 + 12345  # an id no row has; the address is the same around any id

    def url_for_result(self, result):
        pk = getattr(result, self.pk_attname)
        if type(pk) is not int:
            return super().url_for_result(result)
        template = self.__dict__.get("_change_url")
        if template is None:
            template = self._change_url = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                args=(self.PLACEHOLDER,),
                current_app=self.model_admin.admin_site.name,
            ).split(str(self.PLACEHOLDER))
        return str(pk).join(template)

    def apply_select_related(self, qs):
        """Only the columns the list shows, when the admin names them (``list_only``): a visit's
        notes or a recipient's address are not read for a list that shows neither."""
        qs = super().apply_select_related(qs)
        only = getattr(self.model_admin, "list_only", None)
        return qs.only(*only) if only else qs


class PageFirstPaginator(Paginator):
    """A page's rows found by their ids first: the scoped, ordered query alone picks the page's
    ids, then only those rows are read with their related rows. Joined before the LIMIT,
    PostgreSQL joins and sorts every row in scope (4,400 hour records of a center: 15 ms -> 3 ms).
    """

    # A count of this many rows or more is kept for a minute: counting 50,000 users takes 9 ms on
    # every page, and nobody reads "50,012 users" a minute late. A smaller count is never kept, so a
    # record just added to a center's list shows at once. Only with a memory cache (Redis): the
    # database cache of `make run` would cost a query where it saves one.
    KEEP_COUNTS_FROM = 10_000
    COUNT_KEPT_SECONDS = 60

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if not isinstance(rows, QuerySet) or not self.keeps_counts():
            return super().count
        try:
            sql, params = rows.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:
            return 0
        key = "admin-count:" + hashlib.sha256(repr((rows.db, sql, params)).encode()).hexdigest()
        kept = cache.get(key)
        if kept is not None:
            return kept
        counted = rows.count()
        if counted >= self.KEEP_COUNTS_FROM:
            cache.set(key, counted, self.COUNT_KEPT_SECONDS)
        return counted

    @staticmethod
    def keeps_counts() -> bool:
        return not settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache")

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list
        if isinstance(rows, QuerySet) and not rows.query.distinct and rows.ordered:
            rows = rows.filter(pk__in=rows.values("pk")[bottom:top])
        else:
            rows = rows[bottom:top]
        return self._get_page(rows, number, self)


class ScopedAdmin(admin.ModelAdmin):
    """A social worker of center A never sees (or can pick) a row of center B."""

    list_per_page = 50
    paginator = PageFirstPaginator
    show_full_result_count = False  # a COUNT(*) of the whole table on every page is wasted work
    # False for rows that only the portal's services create (with fields the admin shows read-only).
    addable = True

    def get_queryset(self, request):
        return access.scope(request.user, super().get_queryset(request), "view")

    def get_changelist(self, request, **kwargs):
        return FastLinksChangeList

    def action_checkbox(self, obj):
        """Django's checkbox column, without rendering a widget template for each row."""
        # What format_html builds, without its layers (this runs for every row of every list).
        label = _("Select this object for an action - {}").format(html.escape(str(obj)))
        return mark_safe(
            f'<input type="checkbox" name="{html.escape(helpers.ACTION_CHECKBOX_NAME)}" '
            f'value="{html.escape(str(obj.pk))}" class="action-select" aria-label="{label}">'
        )

    def has_module_permission(self, request):
        return access.can(request.user, "view", self.model)

    def has_view_permission(self, request, obj=None):
        return access.can(request.user, "view", obj if obj is not None else self.model)

    def has_add_permission(self, request):
        return self.addable and access.can(request.user, "add", self.model)

    def has_change_permission(self, request, obj=None):
        return access.can(request.user, "change", obj if obj is not None else self.model)

    def has_delete_permission(self, request, obj=None):
        return access.can(request.user, "delete", obj if obj is not None else self.model)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.remote_field.model
        if access.rule_for(related) is not None and "queryset" not in kwargs:
            kwargs["queryset"] = access.scope(request.user, related._default_manager.all(), "view")
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        related = db_field.remote_field.model
        if access.rule_for(related) is not None and "queryset" not in kwargs:
            kwargs["queryset"] = access.scope(request.user, related._default_manager.all(), "view")
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        kwargs.setdefault("form_class", IdMultipleChoiceField)  # ids beyond 64 bits: a form error
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ScopedInline(admin.TabularInline):
    extra = 0

    def has_view_permission(self, request, obj=None):
        return access.can(request.user, "view", self.model)

    def has_add_permission(self, request, obj=None):
        return access.can(request.user, "add", self.model)

    def has_change_permission(self, request, obj=None):
        return access.can(request.user, "change", self.model)

    def has_delete_permission(self, request, obj=None):
        return access.can(request.user, "delete", self.model)

    def get_queryset(self, request):
        return access.scope(request.user, super().get_queryset(request), "view")
