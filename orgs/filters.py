import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import Community, Street

from .models import Domain, Organization, Stage

ANY = _("Any")


class OrganizationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or credit code"), method="search")
    status = django_filters.ChoiceFilter(
        label=_("Filed or registered"), choices=Organization.Status.choices, empty_label=ANY
    )
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=Organization.Kind.choices, empty_label=ANY)
    domain = django_filters.ModelChoiceFilter(
        label=_("Service domain"), field_name="domains", queryset=Domain.objects.all(), empty_label=ANY
    )
    street = django_filters.ModelChoiceFilter(
        label=_("Street"), queryset=Street.objects.all(), empty_label=ANY
    )
    community = django_filters.ModelChoiceFilter(
        label=_("Community"), queryset=Community.objects.all(), empty_label=ANY
    )
    stage = django_filters.ChoiceFilter(label=_("Lifecycle stage"), choices=Stage.choices, empty_label=ANY)
    grade = django_filters.ChoiceFilter(
        label=_("Evaluation grade"), choices=Organization.Grade.choices, empty_label=ANY
    )

    class Meta:
        model = Organization
        fields = ["q", "status", "kind", "domain", "street", "community", "stage", "grade"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(credit_code=value.upper()))
