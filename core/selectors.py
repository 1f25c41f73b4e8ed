"""Reads for places and people."""

from django.db.models import Prefetch, QuerySet

from .models import Center, Street


def list_streets_with_centers() -> QuerySet[Street]:
    """Streets with their active centers, for the home page: two queries whatever the size."""
    return Street.objects.prefetch_related(
        Prefetch(
            "centers",
            # the street-level center first, then the community centers
            queryset=Center.objects.filter(is_active=True)
            .select_related("community")
            .order_by("-level", "name"),
        )
    ).select_related("district")
