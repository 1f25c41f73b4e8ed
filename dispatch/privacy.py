"""A resident's service requests in their data download, and their erasure (core.privacy hooks).

Erasure keeps every request row (requests per category, channel and status, response times and
satisfaction are the district's figures) and removes what identifies the person: the name and
number to call, the address, their own words, the photo, and drafts waiting for an SMS code.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Feedback, PendingRequest, ServiceRequest


def _when(value) -> str:
    return timezone.localtime(value).isoformat() if value else ""


def export(user) -> dict[str, list[dict]]:
    requests = list(
        ServiceRequest.objects.filter(requester=user)
        .select_related("center", "feedback")
        .order_by("created_at")
    )
    if not requests:
        return {}
    rows = []
    for r in requests:
        feedback = getattr(r, "feedback", None)
        rows.append(
            {
                "number": r.display_number,
                "center": r.center.name,
                "category": r.category,
                "what_you_needed": r.description,
                "where": r.address,
                "contact_name": r.contact_name,
                "contact_phone": r.contact_phone,
                "channel": r.channel,
                "status": r.status,
                "received_at": _when(r.created_at),
                "closed_at": _when(r.closed_at),
                "rating": feedback.rating if feedback else "",
                "comment": feedback.comment if feedback else "",
            }
        )
    return {_("Service requests"): rows}


@transaction.atomic
def erase(user) -> None:
    removed = _("(removed at the resident's request)")
    requests = ServiceRequest.objects.filter(requester=user)
    for request in requests.exclude(photo=""):
        request.photo.delete(save=False)
    # The requester link stays (the account itself is anonymised): a request must stay reachable.
    requests.update(description=removed, address="", contact_name="", contact_phone="", photo="")
    Feedback.objects.filter(request__requester=user).exclude(comment="").update(comment="")
    if user.phone:
        PendingRequest.objects.filter(phone=user.phone).delete()
