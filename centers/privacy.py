"""A resident's activity sign-ups and children in their data download, and their erasure.

Hooks of core.privacy. Erasure keeps every sign-up row (attendance counts and reports count
them) and removes what identifies the person or their children: the children's names and years
of birth, who collected a child, and the personal calendar address. Sign-ups for activities
that have not started yet are cancelled, so that the seat goes to the next person waiting.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import services
from .models import CalendarToken, Child, Signup


def _when(value) -> str:
    return timezone.localtime(value).isoformat() if value else ""


def export(user) -> dict[str, list[dict]]:
    signups = list(
        Signup.objects.filter(resident=user)
        .select_related("activity__center", "child")
        .order_by("signed_up_at", "pk")
    )
    children = list(Child.objects.filter(guardian=user).order_by("pk"))
    data: dict[str, list[dict]] = {}
    if signups:
        data[_("Activity sign-ups")] = [
            {
                "activity": s.activity.title,
                "center": s.activity.center.name,
                "starts_at": _when(s.activity.starts_at),
                "for_child": s.child.name if s.child_id else "",
                "status": s.status,
                "channel": s.channel,
                "signed_up_at": _when(s.signed_up_at),
                "cancelled_at": _when(s.cancelled_at),
                "checked_in_at": _when(s.attended_at),
                "collected_by": s.collected_by,
            }
            for s in signups
        ]
    if children:
        data[_("Children")] = [
            {"name": c.name, "birth_year": c.birth_year or "", "relation": c.relation} for c in children
        ]
    return data


@transaction.atomic
def erase(user) -> None:
    now = timezone.now()
    upcoming = Signup.objects.filter(
        resident=user,
        activity__starts_at__gt=now,
        status__in=[Signup.Status.CONFIRMED, Signup.Status.WAITLISTED],
    )
    for signup in upcoming:
        services.cancel_signup(signup=signup, by=user)
    Signup.objects.filter(resident=user).exclude(collected_by="").update(collected_by="")
    for child in Child.objects.filter(guardian=user):
        # Names are unique per guardian: the row's id keeps the placeholder unique.
        Child.objects.filter(pk=child.pk).update(name=f"— {child.pk}", birth_year=None, relation="")
    CalendarToken.objects.filter(user=user).delete()
