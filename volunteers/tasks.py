from celery import shared_task
from django.db.models import Q
from django.utils import timezone

from .models import HourRecord, LedgerEntry, Volunteer
from .services import award_points, expire_points


@shared_task(acks_late=True)
def expire_points_task() -> int:
    """Daily: expire unspent points past their date. Idempotent (each run recomputes what is due)."""
    now = timezone.now()
    ids = (
        LedgerEntry.objects.filter(kind=LedgerEntry.Kind.EARN, expires_at__lte=now)
        .values_list("account__volunteer_id", flat=True)
        .distinct()
    )
    expired = 0
    for volunteer in Volunteer.objects.filter(pk__in=list(ids)).iterator():
        if expire_points(volunteer=volunteer, now=now) is not None:
            expired += 1
    return expired


@shared_task(acks_late=True)
def award_missing_points_task() -> int:
    """Hourly safety net: credit verified hours that have no earn entry (e.g. verified in bulk).

    Idempotent: the unique earn entry per hour record makes a second run a no-op.
    """
    missing = HourRecord.objects.filter(status=HourRecord.Status.VERIFIED).exclude(
        Q(ledger_entries__kind=LedgerEntry.Kind.EARN)
    )
    awarded = 0
    for record in missing.select_related("volunteer", "duty").iterator():
        if award_points(record=record) is not None:
            awarded += 1
    return awarded
