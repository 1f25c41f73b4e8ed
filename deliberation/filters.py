"""Filters of the public list of notices and decisions."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import Community

from .models import PUBLIC_STATUSES, Meeting


def communities_with_decisions(request):
    return (
        Community.objects.filter(deliberation_meetings__status__in=PUBLIC_STATUSES)
        .select_related("street")
        .distinct()
        .order_by("street__name", "name")
    )


class CommunityField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.street.name} · {obj.name}"


class CommunityChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = CommunityField


class PublicMeetingFilter(django_filters.FilterSet):
    community = CommunityChoiceFilter(
        label=_("Community"), queryset=communities_with_decisions, empty_label=_("All communities")
    )
    topic = django_filters.CharFilter(label=_("Topic"), field_name="topic", lookup_expr="icontains")
    state = django_filters.ChoiceFilter(
        label=pgettext_lazy("meeting", "Stage"),
        field_name="status",
        choices=[(Meeting.Status.NOTICE, _("On public notice")), (Meeting.Status.CLOSED, _("Decided"))],
        empty_label=_("All"),
    )

    class Meta:
        model = Meeting
        fields = ["community", "topic", "state"]


class StaffMeetingFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Meeting.Status.choices, empty_label=_("All")
    )
    topic = django_filters.CharFilter(label=_("Topic"), field_name="topic", lookup_expr="icontains")

    class Meta:
        model = Meeting
        fields = ["status", "topic"]
