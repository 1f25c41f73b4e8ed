"""Recipients, their cadence and their consent."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import AuditContext, audit
from core.models import User

from ..models import (
    DEFAULT_CADENCE,
    SENSITIVE_FIELDS,
    CadencePolicy,
    Consent,
    Recipient,
    RiskTier,
    Visit,
)

CONSENT_TEXT_VERSION = "care-consent-2026.1"
NO_CONSENT_FOR_SENSITIVE = _(
    "Sensitive information (health, disability, whereabouts, ID number, family contacts) can only be "
    "saved after the recipient or their guardian has consented to it. Record the consent (scope: "
    "sensitive information) first, or leave these fields empty."
)


# ------------------------------------------------------------------ cadence
@dataclass(frozen=True)
class Cadence:
    interval_days: int
    remind_days_before: int
    escalate_after_days: int


def cadences() -> dict[str, Cadence]:
    """The cadence of each risk tier: the configured policy, or the built-in default."""
    result = {tier: Cadence(*values) for tier, values in DEFAULT_CADENCE.items()}
    for policy in CadencePolicy.objects.all():
        result[policy.risk_tier] = Cadence(
            policy.interval_days, policy.remind_days_before, policy.escalate_after_days
        )
    return result


def cadence_for(tier: str) -> Cadence:
    return cadences()[RiskTier(tier)]


def refresh_cadence(*, recipient: Recipient) -> Recipient:
    """Set the last visit and the next due date: the last visit plus the tier's interval.

    A recipient never visited is due at once (from the day they were found); a closed one never.
    """
    last = recipient.visits.aggregate(last=Max("visited_on"))["last"]
    due = None
    if recipient.status == Recipient.Status.ACTIVE and not recipient.anonymised_at:
        due = (
            last + dt.timedelta(days=cadence_for(recipient.risk_tier).interval_days)
            if last
            else recipient.found_on
        )
    Recipient.objects.filter(pk=recipient.pk).update(last_visited_on=last, next_visit_due=due)
    recipient.last_visited_on, recipient.next_visit_due = last, due
    return recipient


@transaction.atomic
def save_cadence_policy(*, policy: CadencePolicy, actor: User) -> CadencePolicy:
    """Change a tier's cadence; every active recipient of the tier gets its due date moved."""
    policy.full_clean()
    policy.save()
    delta = dt.timedelta(days=policy.interval_days)
    recipients = list(
        Recipient.objects.filter(
            risk_tier=policy.risk_tier,
            status=Recipient.Status.ACTIVE,
            anonymised_at__isnull=True,
            last_visited_on__isnull=False,
        ).only("pk", "last_visited_on", "next_visit_due")
    )
    for recipient in recipients:
        recipient.next_visit_due = recipient.last_visited_on + delta
    Recipient.objects.bulk_update(recipients, ["next_visit_due"], batch_size=2000)
    audit(actor=actor, action="change", obj=policy, detail=f"interval={policy.interval_days}")
    return policy


# ------------------------------------------------------------------ consent
def has_consent(recipient: Recipient, scope: str = Consent.Scope.CARE) -> bool:
    """An active consent covering ``scope`` (a sensitive-scope consent covers care as well)."""
    if recipient.pk is None:
        return False
    scopes = [Consent.Scope.SENSITIVE] if scope == Consent.Scope.SENSITIVE else list(Consent.Scope)
    return recipient.consents.filter(withdrawn_on__isnull=True, scope__in=scopes).exists()


def _check_sensitive_consent(recipient: Recipient, pending: Consent | None) -> None:
    if not recipient.has_sensitive_data():
        return
    if pending is not None and pending.scope == Consent.Scope.SENSITIVE:
        return
    if has_consent(recipient, Consent.Scope.SENSITIVE):
        return
    filled = [name for name in SENSITIVE_FIELDS if getattr(recipient, name)]
    raise ValidationError(dict.fromkeys(filled, NO_CONSENT_FOR_SENSITIVE) or NO_CONSENT_FOR_SENSITIVE)


@transaction.atomic
def save_recipient(
    *,
    recipient: Recipient,
    actor: User,
    changed_fields: list[str] | tuple[str, ...] = (),
    consent: Consent | None = None,
    context: AuditContext | None = None,
) -> Recipient:
    """Create or change a recipient, with an optional new consent recorded in the same step.

    Refuses sensitive fields without an active consent of scope "sensitive" (or the new one).
    """
    adding = recipient.pk is None
    if recipient.status == Recipient.Status.CLOSED and recipient.closed_on is None:
        recipient.closed_on = timezone.localdate()
    if recipient.status == Recipient.Status.ACTIVE:
        recipient.closed_on, recipient.closed_reason = None, ""
    recipient.full_clean()
    if consent is not None:
        consent.recorded_by = actor
        consent.full_clean(exclude=["recipient"])
    _check_sensitive_consent(recipient, consent)
    recipient.save()
    if not adding:
        Visit.objects.filter(recipient=recipient).exclude(center_id=recipient.center_id).update(
            center_id=recipient.center_id
        )
    if consent is not None:
        consent.recipient = recipient
        consent.save()
        audit(actor=actor, action="add", obj=consent, center_id=recipient.center_id, context=context)
    refresh_cadence(recipient=recipient)
    fields = "" if adding else "fields=" + ",".join(changed_fields)
    audit(
        actor=actor,
        action="add" if adding else "change",
        obj=recipient,
        center_id=recipient.center_id,
        context=context,
        detail=fields,
    )
    return recipient


@transaction.atomic
def record_consent(*, consent: Consent, actor: User, context: AuditContext | None = None) -> Consent:
    consent.recorded_by = actor
    consent.full_clean()
    consent.save()
    audit(actor=actor, action="add", obj=consent, center_id=consent.recipient.center_id, context=context)
    return consent


@transaction.atomic
def withdraw_consent(
    *, consent: Consent, actor: User, on: dt.date | None = None, context: AuditContext | None = None
) -> Consent:
    """Withdraw a consent; what it covered and no other consent still covers is erased at once."""
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_on is not None:
        return consent
    consent.withdrawn_on = on or timezone.localdate()
    consent.full_clean()
    consent.save(update_fields=["withdrawn_on"])
    recipient = Recipient.objects.select_for_update().get(pk=consent.recipient_id)
    erased = []
    if not has_consent(recipient, Consent.Scope.SENSITIVE) and recipient.has_sensitive_data():
        erased.append("sensitive")
        erase_sensitive_fields(Recipient.objects.filter(pk=recipient.pk))
    if not has_consent(recipient, Consent.Scope.CARE):
        erased.append("visit-notes")
        Visit.objects.filter(recipient=recipient).exclude(kind=Visit.Kind.CRISIS).update(
            mood="", observations="", needs_found=""
        )
    audit(
        actor=actor,
        action="withdraw",
        obj=consent,
        center_id=recipient.center_id,
        context=context,
        detail="erased=" + ",".join(erased),
    )
    return consent


def erase_sensitive_fields(queryset: QuerySet[Recipient]) -> int:
    return queryset.update(
        id_number="",
        disability_type="",
        health_notes="",
        registered_but_absent=False,
        actual_address="",
        guardian_name="",
        guardian_phone="",
        family_contacts="",
    )
