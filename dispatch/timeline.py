"""The resident timeline: the resident's requests for help (core.timeline).

Every request shows its number, category and status; what was asked and the link to the desk
only where the viewer handles requests of that center."""

from django.utils.translation import gettext as _

from core import access
from core.timeline import TimelineEntry, timeline_source

from .models import ServiceRequest


@timeline_source
def service_requests(*, resident, viewer, limit: int = 50) -> list[TimelineEntry]:
    requests = list(ServiceRequest.objects.filter(requester=resident).order_by("-created_at")[:limit])
    visible = set(
        access.scope(viewer, ServiceRequest.objects.filter(pk__in=[r.pk for r in requests])).values_list(
            "pk", flat=True
        )
    )
    return [
        TimelineEntry(
            when=request.created_at,
            kind=_("Request for help"),
            title=f"{request.number} · {request.get_category_display()} · {request.get_status_display()}",
            detail=request.description if request.pk in visible else "",
            url=request.get_desk_url() if request.pk in visible else "",
        )
        for request in requests
    ]
