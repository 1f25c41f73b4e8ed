"""A volunteer's profile, hours, points and redemptions in their data download, and erasure.

Hooks of core.privacy. Erasure keeps every hour record and ledger entry (hours served, points
issued and spent are aggregates of the district, and the ledger is append-only), ends the
volunteer's registration and team memberships, returns reserved shop items (refunding the
points through the ledger), and clears what the volunteer wrote about themselves.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import services
from .models import Certificate, DutySignup, HourRecord, LedgerEntry, Membership, Redemption, Volunteer


def _when(value) -> str:
    return timezone.localtime(value).isoformat() if value else ""


def export(user) -> dict[str, list[dict]]:
    volunteer = (
        Volunteer.objects.filter(user=user)
        .select_related("center")
        .prefetch_related("skills", "communities")
        .first()
    )
    if volunteer is None:
        return {}
    data: dict[str, list[dict]] = {
        _("Volunteer profile"): [
            {
                "center": volunteer.center.name,
                "availability": ", ".join(volunteer.availability_labels),
                "skills": ", ".join(s.name for s in volunteer.skills.all()),
                "communities": ", ".join(c.name for c in volunteer.communities.all()),
                "consented_at": _when(volunteer.consented_at),
                "registered_at": _when(volunteer.registered_at),
                "active": volunteer.is_active,
            }
        ],
        _("Teams"): [
            {
                "team": m.team.name,
                "status": m.status,
                "message": m.message,
                "requested_at": _when(m.requested_at),
            }
            for m in Membership.objects.filter(volunteer=volunteer).select_related("team").order_by("pk")
        ],
        _("Duties signed up for"): [
            {
                "duty": s.duty.title,
                "starts_at": _when(s.duty.starts_at),
                "status": s.status,
                "checked_in_at": _when(s.checked_in_at),
                "checked_out_at": _when(s.checked_out_at),
            }
            for s in DutySignup.objects.filter(volunteer=volunteer).select_related("duty").order_by("pk")
        ],
        _("Service hours"): [
            {
                "served_on": r.served_on.isoformat(),
                "hours": str(r.hours),
                "center": r.center.name,
                "team": r.team.name if r.team_id else "",
                "category": r.category,
                "what_was_done": r.description,
                "status": r.status,
            }
            for r in HourRecord.objects.filter(volunteer=volunteer)
            .select_related("center", "team")
            .order_by("served_on", "pk")
        ],
        _("Points ledger"): [
            {
                "at": _when(e.created_at),
                "kind": e.kind,
                "points": e.amount,
                "balance_after": e.balance_after,
                "reason": e.reason,
                "expires_at": _when(e.expires_at),
            }
            for e in LedgerEntry.objects.filter(account__volunteer=volunteer).order_by("created_at", "pk")
        ],
        _("Redemptions"): [
            {
                "item": r.item.name,
                "quantity": r.quantity,
                "points": r.points,
                "status": r.status,
                "redeemed_at": _when(r.created_at),
                "closed_at": _when(r.closed_at),
            }
            for r in Redemption.objects.filter(volunteer=volunteer).select_related("item").order_by("pk")
        ],
        _("Certificates"): [
            {
                "number": c.number,
                "hours": str(c.hours),
                "records": c.record_count,
                "issued_at": _when(c.issued_at),
            }
            for c in Certificate.objects.filter(volunteer=volunteer).order_by("pk")
        ],
    }
    return {title: rows for title, rows in data.items() if rows}


@transaction.atomic
def erase(user) -> None:
    volunteer = Volunteer.objects.filter(user=user).first()
    if volunteer is None:
        return
    for redemption in Redemption.objects.filter(volunteer=volunteer, status=Redemption.Status.RESERVED):
        services.cancel_redemption(redemption=redemption, by=user)
    upcoming = DutySignup.objects.filter(
        volunteer=volunteer, status=DutySignup.Status.SIGNED_UP, duty__starts_at__gt=timezone.now()
    )
    for signup in upcoming:
        services.cancel_duty_signup(signup=signup)
    for membership in Membership.objects.filter(volunteer=volunteer):
        services.leave_team(membership=membership)
    Membership.objects.filter(volunteer=volunteer).update(message="")
    HourRecord.objects.filter(volunteer=volunteer).exclude(description="").update(description="")
    volunteer.skills.clear()
    volunteer.communities.clear()
    Volunteer.objects.filter(pk=volunteer.pk).update(availability="", is_active=False)
