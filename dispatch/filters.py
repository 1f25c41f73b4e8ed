"""Filters of the dispatch desk's request list."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import access
from core.models import Center

from .models import Category, Channel, ServiceRequest, Status


class RequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices, empty_label=_("All"))
    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=Category.choices, empty_label=_("All")
    )
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=Channel.choices, empty_label=_("All"))
    center = django_filters.ModelChoiceFilter(
        label=_("Center"), queryset=Center.objects.none(), empty_label=_("All")
    )
    q = django_filters.CharFilter(label=_("Number or name"), method="search")

    class Meta:
        model = ServiceRequest
        fields = ["status", "category", "channel", "center"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["center"].queryset = access.visible_centers(user).order_by("name")

    def search(self, queryset, name, value):
        value = value.strip().replace("-", "").upper()
        if not value:
            return queryset
        return queryset.filter(Q(number__startswith=value) | Q(contact_name__icontains=value))
