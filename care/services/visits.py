"""Visits, follow-ups and referrals; a visit moves the recipient's next due date."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import AuditContext, audit
from core.models import User

from ..models import (
    Consent,
    FollowUp,
    Recipient,
    Referral,
    Visit,
)
from .recipients import has_consent, refresh_cadence

NO_CONSENT_FOR_NOTES = _(
    "This recipient has not consented to data processing yet: record only the type, date and duration "
    "of the visit, or record the consent first. (A crisis intervention may always be noted.)"
)
VISIT_NOTE_FIELDS = ("mood", "observations", "needs_found")


# ------------------------------------------------------------------ visits
def check_visit_notes_allowed(*, recipient: Recipient, kind: str, notes: dict) -> None:
    """Notes of a visit need a consent, except in a crisis intervention."""
    if kind == Visit.Kind.CRISIS or not any(notes.get(name) for name in VISIT_NOTE_FIELDS):
        return
    if not has_consent(recipient, Consent.Scope.CARE):
        raise ValidationError({name: NO_CONSENT_FOR_NOTES for name in VISIT_NOTE_FIELDS if notes.get(name)})


@transaction.atomic
def save_visit(*, visit: Visit, actor: User, context: AuditContext | None = None) -> Visit:
    """Log (or correct) a visit; moves the recipient's next due date by the tier's cadence.

    A visit newly flagged as a crisis notifies the center manager once the transaction commits.
    """
    from ..tasks import notify_crisis_task

    adding = visit.pk is None
    recipient = Recipient.objects.select_for_update().get(pk=visit.recipient_id)
    if recipient.anonymised_at is not None or recipient.status != Recipient.Status.ACTIVE:
        raise ValidationError({"recipient": _("This recipient's record is closed: no new visits.")})
    if adding and visit.visited_by_id is None:
        visit.visited_by = actor
    visit.center_id = recipient.center_id
    if visit.kind == Visit.Kind.CRISIS:
        visit.crisis = True
    if visit.visited_on and visit.visited_on > timezone.localdate():
        raise ValidationError({"visited_on": _("A visit cannot be logged for a future date.")})
    check_visit_notes_allowed(
        recipient=recipient, kind=visit.kind, notes={name: getattr(visit, name) for name in VISIT_NOTE_FIELDS}
    )
    was_crisis = False if adding else Visit.objects.filter(pk=visit.pk, crisis=True).exists()
    visit.full_clean()
    visit.save()
    refresh_cadence(recipient=recipient)
    audit(
        actor=actor,
        action="add" if adding else "change",
        obj=visit,
        center_id=recipient.center_id,
        context=context,
    )
    if visit.crisis and not was_crisis:
        notify_crisis_task.delay_on_commit(visit.pk)
    return visit


def record_visit(
    *,
    recipient: Recipient,
    visited_by: User,
    kind: str = Visit.Kind.HOME,
    visited_on: dt.date | None = None,
    duration_minutes: int = 30,
    mood: str = "",
    observations: str = "",
    needs_found: str = "",
    crisis: bool = False,
    follow_ups: list[tuple[str, dt.date | None]] | tuple = (),
    context: AuditContext | None = None,
) -> Visit:
    """Log a visit with its follow-ups (the keyword form of save_visit)."""
    with transaction.atomic():
        visit = save_visit(
            visit=Visit(
                recipient=recipient,
                visited_by=visited_by,
                kind=kind,
                visited_on=visited_on or timezone.localdate(),
                duration_minutes=duration_minutes,
                mood=mood,
                observations=observations,
                needs_found=needs_found,
                crisis=crisis,
            ),
            actor=visited_by,
            context=context,
        )
        for action, due_on in follow_ups:
            save_follow_up(follow_up=FollowUp(visit=visit, action=action, due_on=due_on))
    return visit


@transaction.atomic
def delete_visit(*, visit: Visit, actor: User, context: AuditContext | None = None) -> None:
    recipient = Recipient.objects.select_for_update().get(pk=visit.recipient_id)
    audit(actor=actor, action="delete", obj=visit, center_id=recipient.center_id, context=context)
    visit.delete()
    refresh_cadence(recipient=recipient)


def save_follow_up(*, follow_up: FollowUp) -> FollowUp:
    follow_up.full_clean()
    follow_up.save()
    return follow_up


# ------------------------------------------------------------------ referrals
@transaction.atomic
def save_referral(*, referral: Referral, actor: User, context: AuditContext | None = None) -> Referral:
    """Create or update a referral; a closing status gets today's date unless one was given."""
    adding = referral.pk is None
    if adding and referral.referred_by_id is None:
        referral.referred_by = actor
    if referral.status in Referral.CLOSED and referral.closed_on is None:
        referral.closed_on = timezone.localdate()
    if referral.status not in Referral.CLOSED:
        referral.closed_on = None
    referral.full_clean()
    referral.save()
    audit(
        actor=actor,
        action="add" if adding else "change",
        obj=referral,
        center_id=referral.recipient.center_id,
        context=context,
    )
    return referral
