"""Reads for places and people."""

from django.db.models import QuerySet

from .models import Center, Street


def list_streets_with_centers() -> QuerySet[Street]:
    """Streets with their active centers, for the home page: two queries whatever the size."""
    from django.db.models import Prefetch

    return Street.objects.prefetch_related(
        Prefetch("centers", queryset=Center.objects.filter(is_active=True).select_related("community"))
    ).select_related("district")
