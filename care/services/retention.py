"""Retention: records closed longer than CARE_RETENTION_DAYS are anonymised."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.audit import AuditContext, audit_many

from ..models import (
    Alert,
    Consent,
    FollowUp,
    Recipient,
    Referral,
    Visit,
)
from .recipients import erase_sensitive_fields


# ------------------------------------------------------------------ retention
def retention_days() -> int:
    return int(getattr(settings, "CARE_RETENTION_DAYS", 3 * 365))


@transaction.atomic
def anonymise_expired_recipients(*, today: dt.date | None = None) -> int:
    """Erase the personal data of records closed longer than the retention period. Idempotent.

    What remains (center, risk tier, flags, dates, visit types and durations) still counts in
    the monthly figures but names no one.
    """
    today = today or timezone.localdate()
    cutoff = today - dt.timedelta(days=retention_days())
    expired = Recipient.objects.select_for_update().filter(
        status=Recipient.Status.CLOSED, closed_on__lt=cutoff, anonymised_at__isnull=True
    )
    ids = list(expired.values_list("pk", flat=True))
    return anonymise_recipients(ids=ids, why="retention", extra=f"closed-before={cutoff.isoformat()}")


def anonymise_recipients(*, ids: list[int], why: str, extra: str = "") -> int:
    """Erase what identifies these recipients, keep what the figures count; one audit row each."""
    if not ids:
        return 0
    targets = Recipient.objects.filter(pk__in=ids)
    erase_sensitive_fields(targets)
    targets.filter(status=Recipient.Status.ACTIVE).update(
        status=Recipient.Status.CLOSED, closed_on=timezone.localdate()
    )
    targets.update(
        name="",
        phone="",
        address="",
        birth_year=None,
        resident=None,
        volunteer=None,
        anonymised_at=timezone.now(),
        next_visit_due=None,
    )
    Visit.objects.filter(recipient_id__in=ids).update(mood="", observations="", needs_found="")
    FollowUp.objects.filter(visit__recipient_id__in=ids).update(action="-")
    Referral.objects.filter(recipient_id__in=ids).update(outcome="")
    Consent.objects.filter(recipient_id__in=ids, given_by=Consent.GivenBy.GUARDIAN).update(guardian_name="-")
    Alert.objects.filter(recipient_id__in=ids).delete()
    audit_many(
        actor=None, action="anonymise", objects=list(targets), context=AuditContext(why=why), detail=extra
    )
    return len(ids)
