"""Filters for the public lists of centers and activities (django-filter)."""

import datetime as dt

import django_filters as filters
from django import forms
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import Center, Community, Street

from .models import Activity, Audience, Category
from .selectors import not_ended

# Dates outside these years mean nothing to a resident and overflow the day arithmetic (9999-12-31 + 1).
FIRST_YEAR, LAST_YEAR = 1900, 2100


class BoundedDateField(forms.DateField):
    default_error_messages = {
        "out_of_range": _("Enter a date between the years %(first)s and %(last)s."),
    }

    def validate(self, value):
        super().validate(value)
        if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise forms.ValidationError(
                self.error_messages["out_of_range"],
                code="out_of_range",
                params={"first": FIRST_YEAR, "last": LAST_YEAR},
            )


class BoundedDateFilter(filters.DateFilter):
    field_class = BoundedDateField


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()), timezone.get_current_timezone())


class CenterFilter(filters.FilterSet):
    q = filters.CharFilter(label=_("Keyword"), method="filter_keyword")
    street = filters.ModelChoiceFilter(
        label=_("Street"),
        queryset=Street.objects.filter(centers__is_active=True).distinct(),
        empty_label=_("All"),
    )
    community = filters.ModelChoiceFilter(
        label=_("Community"),
        queryset=Community.objects.filter(centers__is_active=True).distinct(),
        empty_label=_("All"),
    )
    level = filters.ChoiceFilter(label=_("Level"), choices=Center.Level.choices, empty_label=_("All"))
    service = filters.CharFilter(label=_("Service"), field_name="services", lookup_expr="icontains")

    class Meta:
        model = Center
        fields = ["q", "street", "community", "level", "service"]

    def filter_keyword(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(address__icontains=value) | Q(services__icontains=value)
        )


class ActivityFilter(filters.FilterSet):
    """Without a start date, only activities that have not ended are listed."""

    q = filters.CharFilter(label=_("Keyword"), method="filter_keyword")
    center = filters.ModelChoiceFilter(
        label=_("Center"),
        queryset=Center.objects.filter(is_active=True).order_by("name"),
        empty_label=_("All"),
    )
    street = filters.ModelChoiceFilter(
        label=_("Street"),
        field_name="center__street",
        queryset=Street.objects.filter(centers__is_active=True).distinct(),
        empty_label=_("All"),
    )
    community = filters.ModelChoiceFilter(
        label=_("Community"),
        field_name="center__community",
        queryset=Community.objects.filter(centers__is_active=True).distinct(),
        empty_label=_("All"),
    )
    category = filters.ChoiceFilter(label=_("Category"), choices=Category.choices, empty_label=_("All"))
    audience = filters.ChoiceFilter(label=_("For whom"), choices=Audience.choices, empty_label=_("All"))
    date_from = BoundedDateFilter(
        label=pgettext_lazy("date range", "From"),
        method="filter_date_from",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = BoundedDateFilter(
        label=pgettext_lazy("date range", "To"),
        method="filter_date_to",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    free_seats = filters.BooleanFilter(
        label=_("Only with free seats"), method="filter_free_seats", widget=forms.CheckboxInput
    )

    class Meta:
        model = Activity
        fields = ["q", "center", "street", "community", "category", "audience", "date_from", "date_to"]

    def __init__(self, data=None, *args, **kwargs):
        # Always bound: an empty query still hides what has ended.
        super().__init__(data if data is not None else {}, *args, **kwargs)

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("date_from"):
            queryset = not_ended(queryset)
        return super().filter_queryset(queryset)

    def filter_keyword(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value) | Q(description__icontains=value) | Q(center__name__icontains=value)
        )

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(starts_at__gte=_day_start(value))

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(starts_at__lt=_day_start(value + dt.timedelta(days=1)))

    def filter_free_seats(self, queryset, name, value):
        return queryset.filter(confirmed_count__lt=F("capacity")) if value else queryset
