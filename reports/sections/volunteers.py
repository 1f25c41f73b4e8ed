"""Volunteers: registered and active volunteers, verified hours, points issued and redeemed (volunteers app).

Hours count where the service was given (the hour record's center); registrations and points
(issued and redeemed, from the ledger) at the volunteer's home center, the ledger's own scope.
"""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_noop

from ..periods import Period, Scope
from . import DECIMAL, Column, Table, breakdown, need_fields, need_model, per_center_month, unit_column


def _hours(scope: Scope, first: Period, last: Period):
    HourRecord = need_model("volunteers", "HourRecord")
    need_fields(HourRecord, "center", "volunteer", "served_on", "hours", "status")
    return HourRecord.objects.filter(
        scope.by_center("center"), served_on__gte=first.start, served_on__lt=last.end
    )


def _grouped(qs, unit: str, **figures) -> list[dict]:
    return [{"unit": r.pop(unit), **r} for r in qs.values(unit).annotate(**figures).order_by()]


def volunteers(period: Period, scope: Scope) -> Table:
    Volunteer = need_model("volunteers", "Volunteer")
    need_fields(Volunteer, "center", "is_active", "registered_at")
    LedgerEntry = need_model("volunteers", "LedgerEntry")
    need_fields(LedgerEntry, "kind", "amount", "created_at", "account")

    people = Volunteer.objects.filter(scope.by_center("center"), registered_at__lt=period.end_at)
    people_figures = {
        "registered": Count("pk", filter=Q(is_active=True)),
        "new": Count("pk", filter=Q(registered_at__gte=period.start_at)),
    }
    hours = _hours(scope, period, period)
    verified = Q(status="verified")
    hour_figures = {
        "active": Count("volunteer", filter=verified, distinct=True),
        "verified_hours": Sum("hours", filter=verified),
        "pending_hours": Sum("hours", filter=Q(status="pending")),
    }
    # Points are counted on the volunteer's account, at its home center (the ledger's own scope).
    ledger = LedgerEntry.objects.filter(
        scope.by_center("account__volunteer__center"),
        created_at__gte=period.start_at,
        created_at__lt=period.end_at,
    )
    ledger_figures = {
        "issued": Sum("amount", filter=Q(kind="earn")),
        "spent": Sum("amount", filter=Q(kind__in=["redeem", "refund"])),
    }
    per_unit = _grouped(people, scope.unit_of_center("center"), **people_figures)
    per_unit += _grouped(hours, scope.unit_of_center("center"), **hour_figures)
    per_unit += _grouped(ledger, scope.unit_of_center("account__volunteer__center"), **ledger_figures)
    # A volunteer may serve at several centers: active volunteers are counted once in the total.
    totals = hours.aggregate(active=Count("volunteer", filter=verified, distinct=True))
    columns = [
        unit_column(scope),
        Column("registered", gettext_noop("Registered volunteers")),
        Column("new", gettext_noop("New this month")),
        Column("active", gettext_noop("Active volunteers")),
        Column("verified_hours", gettext_noop("Verified hours"), DECIMAL),
        Column("pending_hours", gettext_noop("Hours waiting for verification"), DECIMAL),
        Column("issued", gettext_noop("Points issued")),
        Column("redeemed", gettext_noop("Points redeemed")),
    ]
    table = breakdown(
        scope,
        columns,
        per_unit,
        totals,
        # Redemptions are negative in the ledger and refunds positive: redeemed = -(their sum).
        derived=lambda v: {
            "redeemed": -(v.get("spent") or 0),
            "verified_hours": float(v.get("verified_hours") or 0),
            "pending_hours": float(v.get("pending_hours") or 0),
        },
    )
    table.notes.append(
        gettext_noop(
            "Active volunteers: volunteers with verified hours served this month. Points redeemed are net of cancelled redemptions returned this month."
        )
    )
    return table


def month_figures(center_ids: list[int], first: Period, last: Period) -> dict[tuple[int, str], dict]:
    """Verified hours per center (where the service was given) and month, as ``volunteers`` counts them."""
    HourRecord = need_model("volunteers", "HourRecord")
    need_fields(HourRecord, "center", "served_on", "hours", "status")
    verified = HourRecord.objects.filter(
        center_id__in=center_ids, served_on__gte=first.start, served_on__lt=last.end, status="verified"
    )
    return per_center_month(verified, "center_id", "served_on", verified_hours=Sum("hours"))
