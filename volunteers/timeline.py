"""The resident timeline: volunteer hours and points of the resident (core.timeline)."""

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

from core.timeline import TimelineEntry, timeline_source

from .models import HourRecord, LedgerEntry


@timeline_source
def hours_and_points(*, resident, viewer, limit: int = 50) -> list[TimelineEntry]:
    records = (
        HourRecord.objects.filter(volunteer__user=resident)
        .select_related("center")
        .order_by("-served_on", "-pk")[:limit]
    )
    entries = [
        TimelineEntry(
            when=record.served_on,
            kind=_("Volunteer hours"),
            title=_("%(hours)s hours at %(center)s")
            % {"hours": floatformat(record.hours, -2), "center": record.center.name},
            detail=" · ".join(filter(None, [record.description, record.get_status_display()])),
        )
        for record in records
    ]
    ledger = LedgerEntry.objects.filter(account__volunteer__user=resident).order_by("-created_at", "-pk")[
        :limit
    ]
    entries += [
        TimelineEntry(
            when=entry.created_at,
            kind=_("Points"),
            title=f"{entry.get_kind_display()} {entry.amount:+d}",
            detail=_("Balance %(balance)s") % {"balance": entry.balance_after},
        )
        for entry in ledger
    ]
    return entries
